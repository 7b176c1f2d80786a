package org.ketaprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.pipeline.GroupRunner;
import org.ketaprint.pipeline.ParticipantRunner;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Progress;
import org.ketaprint.pipeline.RecordedPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The BIDS-App entry point: {@code ketaprint BIDS_DIR OUTPUT_DIR participant|group [options]}. */
@Command(name = "run", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Run a pipeline on a BIDS dataset (BIDS-App convention; the word 'run' may be left out:",
        "  ketaprint BIDS_DIR OUTPUT_DIR participant [options]",
        "  ketaprint BIDS_DIR OUTPUT_DIR group [options]"})
public final class RunCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "BIDS_DIR", description = "The BIDS dataset.")
    Path bids;

    @Parameters(index = "1", paramLabel = "OUTPUT_DIR", description = "Where the derivatives go.")
    Path out;

    @Parameters(index = "2", paramLabel = "LEVEL", description = "participant or group.")
    String level;

    @Option(names = "--participant-label", arity = "1..*", paramLabel = "ID", description = "Subjects to run (default: all).")
    List<String> participants = new ArrayList<>();

    @Option(names = "--session-label", arity = "1..*", paramLabel = "ID", description = "Sessions to run (default: all).")
    List<String> sessions = new ArrayList<>();

    /** The participant level's pipeline when none is given. */
    static final String DEFAULT_PIPELINE = "ketamine-response";

    @Option(names = "--pipeline", paramLabel = "NAME|FILE",
        description = {"A pipeline file, or the name of one in the pipelines folder. Participant level default: "
            + DEFAULT_PIPELINE + "; group level default: the participant level's (OUTPUT_DIR/pipeline.yaml)."})
    String pipeline;

    @Option(names = "--force", description = "Group level: make the tables even with a --pipeline other than the participant"
        + " level's, or from sessions run with different pipelines (a warning instead of an error).")
    boolean force;

    @Option(names = "--derivatives", arity = "1..*", paramLabel = "DIR",
        description = "Extra derivatives folders (BIDS_DIR/derivatives/* are always searched).")
    List<Path> derivatives = new ArrayList<>();

    @Option(names = "--atlas-dir", arity = "1..*", paramLabel = "DIR",
        description = "Folders searched first for atlases (then $FSLDIR/data/atlases, /usr/share/mricron/templates).")
    List<Path> atlasDirs = new ArrayList<>();

    @Option(names = "--nthreads", defaultValue = "1", description = "Subjects processed in parallel.")
    int nthreads;

    @Option(names = "--skip-existing", description = "Skip subjects whose outputs exist with the same inputs and pipeline.")
    boolean skipExisting;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Accepted for BIDS-App compatibility; ketaprint keeps no intermediates (outputs are written "
            + "through temporary files beside them and renamed). Relative to the current folder.")
    Path workDir;

    @Option(names = "--space", paramLabel = "NAME", description = "The space of inputs whose files have no space- entity"
        + " nor SpatialReference (e.g. MNI152NLin2009cAsym when raw BIDS data are already in MNI space); a stage's"
        + " space: parameter wins over it.")
    String space;

    @Mixin
    CompressionOption compression;

    @Option(names = "--no-report", description = "Write no HTML QC reports (sub-X[_ses-Y]_report.html, group/report.html); "
        + "the pipeline's report: false does the same.")
    boolean noReport;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!level.equals("participant") && !level.equals("group")) {
            throw new KetaprintException("LEVEL must be participant or group, not '" + level + "' (ketaprint BIDS_DIR OUTPUT_DIR LEVEL)");
        }
        org.ketaprint.nifti.Compression comp = compression.given();   // a bad value fails before anything is read
        // relative folders are taken from the current folder, as absolute ones (derived-file paths are compared)
        bids = bids.toAbsolutePath().normalize();
        out = out.toAbsolutePath().normalize();
        derivatives.replaceAll(d -> d.toAbsolutePath().normalize());
        atlasDirs.replaceAll(d -> d.toAbsolutePath().normalize());
        if (workDir != null) workDir = workDir.toAbsolutePath().normalize();
        for (Path d : atlasDirs) if (!Files.isDirectory(d)) throw new KetaprintException(d + ": no such folder (--atlas-dir)");
        if (workDir != null && Files.exists(workDir) && !Files.isDirectory(workDir)) {
            throw new KetaprintException(workDir + ": not a folder (--work-dir)");
        }
        checkOutputDir(bids, out);
        PipelineSpec given = pipeline == null ? null : PipelineSpec.resolve(pipeline, pipelineDirs());
        BidsLayout layout = BidsLayout.index(bids, derivatives, List.of(out));
        layout.warnings().forEach(RunCommand::warn);
        if (layout.subjects().isEmpty()) {
            throw new KetaprintException(bids + ": no subjects (no sub-<label> folder) in BIDS_DIR");
        }
        if (level.equals("participant")) {
            PipelineSpec spec = given != null ? given : PipelineSpec.resolve(DEFAULT_PIPELINE, pipelineDirs());
            String replacing = RecordedPipeline.replacing(out, spec);
            if (replacing != null) warn(replacing);
            ParticipantRunner.Options o = new ParticipantRunner.Options();
            o.space = space;
            o.compression = comp;   // over the pipeline's compression:
            if (noReport) o.report = false;   // over the pipeline's report:
            o.participants = participants;
            o.sessions = sessions;
            o.threads = nthreads;
            o.skipExisting = skipExisting;
            o.workDir = workDir;
            Progress p = quiet ? Progress.silent() : Progress.auto();
            List<ParticipantRunner.Outcome> res = new ParticipantRunner(spec, layout, Atlases.standard(atlasDirs), out, o, p).run();
            System.err.println("ketaprint: " + ParticipantRunner.summary(res));
            for (ParticipantRunner.Outcome r : res) {
                for (String[] pr : r.problems()) {
                    System.err.println("ketaprint: sub-" + r.subject() + (r.session() == null ? "" : "_ses-" + r.session())
                        + " [" + pr[0] + "] " + pr[1] + ": " + KetaprintException.oneLine(pr[2]));
                }
            }
            System.out.println("Outputs: " + out.toAbsolutePath());
            return res.stream().anyMatch(r -> r.status().equals("failed")) ? 1 : 0;
        }
        PipelineSpec spec = RecordedPipeline.forGroup(out, given, () -> PipelineSpec.resolve(DEFAULT_PIPELINE, pipelineDirs()),
            force, RunCommand::warn);
        int bad = new GroupRunner(spec, layout, out).force(force).report(noReport ? false : null)
            .warnings(RunCommand::warn).run();
        Path g = out.toAbsolutePath().resolve("group");
        System.out.println("Group tables: " + g.resolve("features.tsv")
            + " (also features_long.tsv, features_change.tsv, failures.tsv, associations.tsv)");
        if (!noReport && spec.report) System.out.println("Group report: " + g.resolve("report.html"));
        if (bad > 0) System.err.println("ketaprint: " + bad + " subject-session stage(s) failed or have no outputs: see " + g.resolve("failures.tsv"));
        return bad > 0 ? 1 : 0;
    }

    private static void warn(String w) {
        System.err.println("ketaprint: warning: " + w);
    }

    /**
     * OUTPUT_DIR must not be BIDS_DIR nor inside it, except in a folder under BIDS_DIR/derivatives/ (BIDS keeps
     * derived data there); links are resolved first.
     */
    static void checkOutputDir(Path bids, Path out) {
        Path b = BidsLayout.realPath(bids);
        Path o = BidsLayout.realPath(out);
        Path d = b.resolve("derivatives");
        if (!o.startsWith(b) || (o.startsWith(d) && !o.equals(d))) return;
        throw new KetaprintException(out + ": OUTPUT_DIR is " + (o.equals(b) ? "BIDS_DIR itself" : "inside BIDS_DIR " + bids)
            + "; use a folder outside it, or one under its derivatives/ (e.g. " + bids.resolve("derivatives").resolve("ketaprint") + ")");
    }

    /** Where pipelines are looked up by name: $KETAPRINT_PIPELINES, ./pipelines, then beside the jar. */
    static List<Path> pipelineDirs() {
        List<Path> d = new ArrayList<>();
        String env = System.getenv("KETAPRINT_PIPELINES");
        if (env != null) d.add(Path.of(env));
        d.add(Path.of("pipelines"));
        try {
            Path jar = Path.of(RunCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path repo = jar.getParent() == null ? null : jar.getParent().getParent();
            if (repo != null && Files.isDirectory(repo.resolve("pipelines"))) d.add(repo.resolve("pipelines"));
        } catch (Exception ignored) {
            // running from an unusual class path: the other folders still apply
        }
        return d;
    }
}
