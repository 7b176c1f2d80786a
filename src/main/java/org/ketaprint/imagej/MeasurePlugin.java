package org.ketaprint.imagej;

import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.measure.Measure;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.MeasureRun;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.Stages;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>Measures>NAME (the menu entry's argument names the measure): a dialog generated from
 * the stage's inputs and the stage's and measure's parameter records (macro keys are the parameter
 * names, e.g. {@code fd_threshold=0.5}), run by {@link MeasureRun} as {@code ketaprint measure NAME}.
 * The value goes to the Results table.
 */
public final class MeasurePlugin implements PlugIn {
    @Override
    public void run(String arg) {
        Measure<?, ?> m = Measures.get(arg == null ? "" : arg.trim());
        if (m == null) {
            IJ.error("ketaprint", "no measure '" + arg + "' (known: " + Measures.all().keySet() + ")");
            return;
        }
        Stage stage = Stages.get(m.stage());
        OptionsDialog gd = new OptionsDialog("ketaprint: " + m.name());
        for (InputSpec in : stage.inputs()) gd.addFile(in.name() + " (file, optional)", "");
        ParamDialog.add(gd, stage.parameters(), java.util.Set.of());
        ParamDialog.add(gd, m.params(), java.util.Set.of());
        gd.addDirectory("out_dir (derived maps; blank: none)", "");
        if (!gd.show()) return;
        Map<String, Path> files = new LinkedHashMap<>();
        for (InputSpec in : stage.inputs()) {
            String f = gd.nextString().trim();
            if (!f.isEmpty()) files.put(in.name(), Path.of(f).toAbsolutePath());
        }
        Map<String, Object> values = ParamDialog.read(gd, stage.parameters(), java.util.Set.of());
        values.putAll(ParamDialog.read(gd, m.params(), java.util.Set.of()));
        String out = gd.nextString().trim();
        Ij1.guard(m.name(), () -> {
            Output o = run(m, values, files, out.isEmpty() ? null : Path.of(out).toAbsolutePath());
            Ij1.showAsResults(o.table(), "");
        });
    }

    /** The value as a one-row table. */
    public record Output(Table table, MeasureRun.Result result) {
    }

    /** The measure with parameters by key (stage's and measure's together) on the given files. */
    public static Output run(Measure<?, ?> m, Map<String, Object> values, Map<String, Path> files, Path outDir) {
        Stage stage = Stages.get(m.stage());
        Map<String, Object> sp = new LinkedHashMap<>();
        Map<String, Object> mp = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (ParamSet.of(stage.parameters()).get(e.getKey()) != null) {
                sp.put(e.getKey(), e.getValue());
            } else if (ParamSet.of(m.params()).get(e.getKey()) != null) {
                mp.put(e.getKey(), e.getValue());
            } else {
                throw new KetaprintException(m.name() + ": unknown parameter '" + e.getKey() + "'");
            }
        }
        if (outDir == null && ParamSet.of(stage.parameters()).get("write_maps") != null) sp.put("write_maps", "false");
        MeasureRun.Result r = MeasureRun.run(m, ParamSet.of(stage.parameters()).bind(sp), ParamSet.of(m.params()).bind(mp),
            files, List.of(), outDir, m.name(), line -> IJ.log("ketaprint: " + line));
        Table t = new Table(List.of("measure", "value", "na_reason"));
        Map<String, String> row = new LinkedHashMap<>();
        row.put("measure", m.name());
        row.put("value", Table.format(r.value()));
        row.put("na_reason", r.na() == null ? Table.NA : r.na());
        t.add(row);
        return new Output(t, r);
    }
}
