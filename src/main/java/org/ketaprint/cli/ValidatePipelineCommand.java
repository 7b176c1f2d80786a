package org.ketaprint.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.pipeline.AtlasCheck;
import org.ketaprint.pipeline.ColumnInfo;
import org.ketaprint.KetaprintException;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint validate-pipeline FILE}: every problem with its line, or the columns it yields. */
@Command(name = "validate-pipeline", mixinStandardHelpOptions = true,
    description = {"Check a pipeline file: unknown stages or parameters, bad ROIs, duplicate columns; every atlas found "
        + "as the run finds it and every label name in its table (with line numbers)."})
public final class ValidatePipelineCommand implements Callable<Integer>, Subcommand {
    @Parameters(paramLabel = "FILE", description = "A pipeline YAML file, or the name of one in the pipelines folder.")
    String file;

    @Option(names = "--atlas-dir", arity = "1..*", paramLabel = "DIR",
        description = "Folders searched first for atlases (then $FSLDIR/data/atlases, /usr/share/mricron/templates), as the run's.")
    List<Path> atlasDirs = new ArrayList<>();

    @Override
    public Integer call() {
        Path p = Path.of(file);
        if (!p.toFile().isFile()) p = PipelineSpec.resolve(file, RunCommand.pipelineDirs()).file;
        Problems pr = new Problems();
        PipelineSpec s = PipelineSpec.parse(p, pr);
        List<AtlasCheck.Found> atlases = s == null ? List.of() : AtlasCheck.check(s, Atlases.standard(atlasDirs), pr);
        if (!pr.ok()) {
            for (String e : pr.errors()) System.err.println(KetaprintException.oneLine(p + ": " + e));
            return 2;
        }
        System.out.println(p + ": valid pipeline '" + s.name + "' (" + s.stages.size() + " stages, sha256 " + s.sha256.substring(0, 12) + ")");
        for (ColumnInfo c : s.columns()) {
            System.out.printf("  %-28s %-14s %s%n", c.column(), c.stage(), c.description());
        }
        for (AtlasCheck.Found f : atlases) {
            System.out.println("  atlas " + f.name() + ": " + f.atlas().image() + " (space " + f.atlas().space() + ", names: "
                + (f.atlas().labels() == null ? "none" : f.atlas().labels().source()) + ")");
        }
        return 0;
    }
}
