package org.ketaprint.taskfmri;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/** Measure {@code task_quality}: the task run's mean framewise displacement and its number of spike regressors. */
public final class TaskQuality extends BaseMeasure<TaskQuality.Params, TaskData> {
    public static final String NAME = "task_quality";

    /** The parameters of {@code task_quality}. */
    public record Params(
        @Param(help = "fd_mean: mean framewise displacement (the first volume counts as 0); n_spikes: volumes with a "
            + "spike regressor (FD above fd_threshold)", required = true, choices = {"fd_mean", "n_spikes"}) String value) {
    }

    public TaskQuality() {
        super(NAME, TaskStage.TYPE, Params.class, TaskData.class);
    }

    @Override
    public String units(Params p) {
        return p.value().equals("fd_mean") ? "mm" : "volumes";
    }

    @Override
    public String describe(Params p) {
        return p.value().equals("fd_mean")
            ? "Mean framewise displacement of the task run(s) over every volume (the first, n/a in fMRIPrep, counts as 0)"
            : "Volumes of the task run(s) modelled out by a spike regressor (framewise displacement above fd_threshold)";
    }

    @Override
    public Value compute(TaskData d, Params p) {
        if (p.value().equals("n_spikes")) {
            return Value.of(d.runs().stream().mapToInt(TaskRun::spikes).sum());
        }
        double s = 0;
        int n = 0;
        for (TaskRun r : d.runs()) {
            if (Double.isNaN(r.fdMean())) return Value.na("no framewise_displacement column in the task run's confounds");
            s += r.fdMean() * r.bold().volumes();
            n += r.bold().volumes();
        }
        return Value.of(s / n);
    }
}
