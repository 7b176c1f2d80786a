package org.ketaprint.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.measure.Measure;

/**
 * One measure on files given directly (the command-line and ImageJ doors): a one-feature stage spec run
 * by the stage itself, exactly as a pipeline runs it, so every door gives the same numbers.
 */
public final class MeasureRun {
    private MeasureRun() {
    }

    /** What one measure gave: the value (NaN when n/a), why n/a, inputs read with their SHA-256, derived files. */
    public record Result(double value, String na, Map<String, String> inputs, List<Path> derived) {
    }

    /**
     * The measure on files given directly (the command-line and ImageJ doors): a one-feature stage spec,
     * run by the stage itself, as a pipeline runs it.
     */
    public static Result run(Measure<?, ?> m, Record stageParams, Record params, Map<String, Path> files, List<Path> atlasDirs,
                             Path outDir, String prefix, java.util.function.Consumer<String> log) {
        Stage stage = Stages.get(m.stage());
        StageSpec spec = StageSpec.of(m.name(), stage.type(), stageParams);
        spec.features.add(new Feature(m.name(), null, m, params, YNode.scalar(m.name(), 0)));
        StageContext ctx = StageContext.forFiles(spec, files, Atlases.standard(atlasDirs), outDir, prefix, log);
        StageResult r;
        try {
            r = stage.run(ctx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new KetaprintException(m.name() + ": " + e.getMessage(), e);
        }
        double v = r.values.getOrDefault(m.name(), Double.NaN);
        return new Result(v, r.notes.get(m.name()), new LinkedHashMap<>(ctx.usedInputs()), new ArrayList<>(r.derived));
    }
}
