package org.ketaprint.taskfmri;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/** Measure {@code contrast}: the ROI mean of a contrast's effect size (percent signal change), t or z map. */
public final class TaskContrast extends BaseMeasure<TaskContrast.Params, TaskData> {
    public static final String NAME = "contrast";

    /** The parameters of {@code contrast}. */
    public record Params(
        @Param(help = "ROI: a name from the stage's rois, or sphere:X,Y,Z,R / atlas:FILE:LABEL[+LABEL]", required = true)
        String roi,
        @Param(help = "t contrast over the design's columns: 'fearful - neutral', '0.5*a + 0.5*b - c', NAME=EXPR",
            required = true) String contrast,
        @Param(help = "beta: the effect size (percent signal change); z or t: the statistic", dflt = "beta",
            choices = {"beta", "z", "t"}) String value) {
    }

    public TaskContrast() {
        super(NAME, TaskStage.TYPE, Params.class, TaskData.class);
    }

    @Override
    public String units(Params p) {
        return p.value().equals("beta") ? "percent signal change" : p.value() + " statistic";
    }

    @Override
    public String roi(Params p) {
        return p.roi();
    }

    @Override
    public String describe(Params p) {
        String what = switch (p.value()) {
            case "beta" -> "effect size (percent of the voxel's mean signal)";
            case "z" -> "z statistic (from t with the model's degrees of freedom, nilearn)";
            default -> "t statistic";
        };
        return "Contrast " + p.contrast() + ": mean " + what + " over the ROI's voxels; first-level GLM with the stage's HRF, "
            + "cosine drift, confounds, spike regressors and noise model";
    }

    @Override
    public Value compute(TaskData d, Params p) {
        TaskData.ContrastMaps m = d.contrast(p.contrast());
        int[] rows = d.rows(p.roi());
        double[] map = switch (p.value()) {
            case "z" -> m.z();
            case "t" -> m.t();
            default -> m.effect();
        };
        return Value.of(TaskRun.mean(map, rows));
    }
}
