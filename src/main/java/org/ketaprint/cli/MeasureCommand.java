package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.measure.Measure;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.pipeline.MeasureRun;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.Stages;
import org.ketaprint.table.Json;
import org.ketaprint.table.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code ketaprint measure NAME}: one measure on files given directly, through its stage's own code (the
 * pipeline's path): {@code --<input>} per stage input, the stage's parameters and the measure's, all
 * generated from their records. Prints the value (or n/a and why), or with {@code --json} a record.
 */
@Command(name = "measure", mixinStandardHelpOptions = true,
    description = {"Compute one measure on files given directly, exactly as a pipeline stage does.",
        "  ketaprint measure NAME --<input> FILE ... [--<parameter> VALUE ...]",
        "Measures: see the subcommands; each lists its inputs and parameters (-h)."})
public final class MeasureCommand implements Runnable, Subcommand {
    private static final Set<String> OWN = Set.of("--atlas-dir", "--out-dir", "--prefix", "--json");

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Override
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        for (Measure<?, ?> m : Measures.all().values()) cl.addSubcommand(m.name(), new CommandLine(spec(m)));
        return cl;
    }

    /** The generated subcommand of one measure. */
    static CommandSpec spec(Measure<?, ?> m) {
        Stage stage = Stages.get(m.stage());
        CommandSpec[] self = new CommandSpec[1];
        CommandSpec spec = CommandSpec.wrapWithoutInspection((java.util.concurrent.Callable<Integer>) () -> execute(self[0]));
        self[0] = spec;
        spec.name(m.name()).mixinStandardHelpOptions(true);
        spec.usageMessage().description(m.name() + ": computed by " + m.getClass().getName() + " on the data of stage '"
            + stage.type() + "' (" + stage.description() + ").");
        for (InputSpec in : stage.inputs()) {
            spec.addOption(OptionSpec.builder("--" + in.name().replace('_', '-')).type(Path.class).paramLabel("FILE")
                .description("Input '" + in.name() + "': " + in.description()).build());
        }
        ParamOptions.add(spec, stage.parameters(), Set.of());
        ParamOptions.add(spec, m.params(), Set.of());
        spec.addOption(OptionSpec.builder("--atlas-dir").type(List.class).auxiliaryTypes(Path.class).arity("1..*")
            .paramLabel("DIR").description("Folders searched first for atlases.").build());
        spec.addOption(OptionSpec.builder("--out-dir").type(Path.class).paramLabel("DIR")
            .description("Write the stage's derived maps here (default: none are written).").build());
        spec.addOption(OptionSpec.builder("--prefix").type(String.class).paramLabel("NAME").defaultValue("ketaprint")
            .description("Name prefix of derived files.").build());
        spec.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class)
            .description("Print a JSON record: value, n/a reason, parameters, inputs.").build());
        return spec;
    }

    /** Runs a parsed measure subcommand; returns the exit code. */
    static int execute(CommandSpec spec) {
        Measure<?, ?> m = Measures.get(spec.name());
        Stage stage = Stages.get(m.stage());
        Map<String, Path> files = new LinkedHashMap<>();
        for (InputSpec in : stage.inputs()) {
            Path p = spec.findOption("--" + in.name().replace('_', '-')).getValue();
            if (p != null) {
                if (!java.nio.file.Files.exists(p)) throw new KetaprintException(p + ": no such file (--" + in.name().replace('_', '-') + ")");
                files.put(in.name(), p.toAbsolutePath());
            }
        }
        Path outDir = spec.findOption("--out-dir").getValue();
        Map<String, Object> sp = ParamOptions.given(spec, stage.parameters());
        if (outDir == null && ParamSet.of(stage.parameters()).get("write_maps") != null) sp.put("write_maps", "false");
        Record stageParams = ParamSet.of(stage.parameters()).bind(sp);
        Record params = ParamOptions.bind(spec, m.params());
        List<Path> atlasDirs = spec.findOption("--atlas-dir").getValue();
        String prefix = spec.findOption("--prefix").getValue();
        MeasureRun.Result r = MeasureRun.run(m, stageParams, params, files, atlasDirs == null ? List.of() : atlasDirs,
            outDir == null ? null : outDir.toAbsolutePath(), prefix, line -> System.err.println("ketaprint: " + line));
        Boolean json = spec.findOption("--json").getValue();
        if (Boolean.TRUE.equals(json)) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("measure", m.name());
            o.put("method", m.method());
            Json.putNumber(o, "value", r.value());
            if (r.na() == null) o.putNull("na_reason"); else o.put("na_reason", r.na());
            o.set("stage_parameters", Json.MAPPER.valueToTree(describe(stageParams)));
            o.set("parameters", Json.MAPPER.valueToTree(describe(params)));
            o.set("inputs", Json.MAPPER.valueToTree(r.inputs()));
            o.set("derived", Json.MAPPER.valueToTree(r.derived().stream().map(Path::toString).toList()));
            System.out.println(Json.pretty(o));
        } else {
            System.out.println(r.na() == null ? Table.format(r.value()) : Table.NA);
            if (r.na() != null) System.err.println("ketaprint: n/a: " + r.na());
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> describe(Record r) {
        return ParamSet.of((Class) r.getClass()).describe(r);
    }
}
