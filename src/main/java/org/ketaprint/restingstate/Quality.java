package org.ketaprint.restingstate;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/**
 * Measure {@code quality}: the run's motion and censoring columns, from the framewise displacement and
 * the stage's fd_threshold (the censoring every resting-state feature of the run uses).
 */
public final class Quality extends BaseMeasure<Quality.Params, RestingData> {
    public static final String NAME = "quality";

    public Quality() {
        super(NAME, RestingStateStage.TYPE, Params.class, RestingData.class);
    }

    /** The parameters of {@code quality}. */
    public record Params(
        @Param(help = "fd_mean: mean framewise displacement (the first volume, n/a in fMRIPrep, counts as 0); "
            + "n_censored: volumes with FD above fd_threshold; n_used: volumes left", required = true,
            choices = {"fd_mean", "n_censored", "n_used"}) String value) {
    }

    @Override
    public String units(Params p) {
        return p.value().equals("fd_mean") ? "mm" : "volumes";
    }

    @Override
    public String describe(Params p) {
        return switch (p.value()) {
            case "fd_mean" -> "Mean framewise displacement over all volumes (the first, n/a in fMRIPrep, counts as 0)";
            case "n_censored" -> "Volumes censored (framewise displacement above the threshold)";
            default -> "Volumes used in every fit and correlation";
        };
    }

    @Override
    public Value compute(RestingData d, Params p) {
        double v;
        if (d.multiRun()) {
            v = values(d.concatenation(false)).get(p.value());
        } else {
            Censoring c = d.cleaning(false, true).censoring();
            v = values(c).get(p.value());
        }
        if (Double.isNaN(v) && p.value().equals("fd_mean")) return Value.na(NO_FD);
        return Value.of(v);
    }

    /** Why fd_mean is n/a. */
    static final String NO_FD = "no framewise displacement: no confounds file, or one without a framewise_displacement column"
        + " (for several runs: in at least one run)";

    /** The same over several runs: n_used and n_censored summed, fd_mean over every volume of every run. */
    public static java.util.Map<String, Double> values(Concatenation c) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("n_used", (double) c.used());
        m.put("n_censored", (double) c.censored());
        m.put("fd_mean", c.fdMean());
        return m;
    }

    /** Every quality value of a censoring, by its {@code value} name (fd_mean, n_censored, n_used): what every door reports. */
    public static java.util.Map<String, Double> values(Censoring c) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("n_used", (double) c.used());
        m.put("n_censored", (double) c.censored());
        m.put("fd_mean", c.fdMean());
        return m;
    }
}
