package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the projection for a run: confound columns of the strategy (the global signal from the confounds
 * file, else the brain-mask mean), FD censoring, pass band; and says when too little time is left.
 */
public final class Cleaning {
    private final Censoring censoring;
    private final Denoiser denoiser;
    private final String naReason;
    private final String globalSource;
    private final List<String> derived;

    private Cleaning(Censoring c, Denoiser d, String naReason, String globalSource, List<String> derived) {
        this.censoring = c;
        this.denoiser = d;
        this.naReason = naReason;
        this.globalSource = globalSource;
        this.derived = List.copyOf(derived);
    }

    /** {@code confounds} may be null (then no censoring and the global signal is the mask mean). */
    public static Cleaning of(BoldRun run, Confounds confounds, Settings s) {
        return of(run, confounds, s, s.band());
    }

    /** The same with another band (null: no band-pass regressors), as fALFF's denominator needs. */
    public static Cleaning of(BoldRun run, Confounds confounds, Settings s, Band band) {
        int n = run.volumes();
        Censoring cens = censoring(run, confounds, s);
        Strategy st = s.strategy();
        List<String> names = new ArrayList<>(st.columns());
        double[][] m;
        List<String> derived = List.of();
        if (names.isEmpty()) {
            m = new double[n][0];
        } else {
            if (confounds == null) {
                throw new org.ketaprint.KetaprintException("strategy " + st + " needs a confounds file (--confounds)");
            }
            m = confounds.matrix(names); // expansions the file lacks are derived from their base columns
            derived = confounds.derived(names);
        }
        String gs = null;
        if (st.gsr()) {
            double[] g;
            if (confounds != null && confounds.has(Strategy.GLOBAL)) {
                confounds.matrix(List.of(Strategy.GLOBAL)); // checks for missing values
                g = confounds.column(Strategy.GLOBAL);
                gs = "confounds column global_signal";
            } else {
                g = run.globalSignal();
                gs = "mean over the brain mask";
            }
            double[][] m2 = new double[n][m[0].length + 1];
            for (int t = 0; t < n; t++) {
                System.arraycopy(m[t], 0, m2[t], 0, m[t].length);
                m2[t][m[t].length] = g[t];
            }
            m = m2;
            names.add(Strategy.GLOBAL);
        }
        Denoiser d = new Denoiser(n, run.tr(), m, names, cens.keep(), band);
        String reason = null;
        double left = cens.used() * run.tr();
        if (left < s.minSeconds()) {
            reason = String.format(Locale.ROOT, "only %.1f s (%d volumes) left after censoring FD > %s mm; need %s s",
                left, cens.used(), s.fdThreshold(), s.minSeconds());
        } else if (d.dof() < 3) {
            reason = "the design (" + d.rank() + " independent regressors) leaves " + d.dof()
                + " degrees of freedom in " + d.used() + " volumes";
        }
        return new Cleaning(cens, d, reason, gs, derived);
    }

    /** The run's censoring alone (FD above the threshold; none without confounds), as {@link #of} makes it. */
    public static Censoring censoring(BoldRun run, Confounds confounds, Settings s) {
        int n = run.volumes();
        if (confounds != null && confounds.rows() != n) {
            throw new org.ketaprint.KetaprintException(confounds.source() + ": " + confounds.rows()
                + " rows but " + run.path() + " has " + n + " volumes");
        }
        return confounds != null && s.fdThreshold() > 0
            ? Censoring.byFd(confounds.framewiseDisplacement(), n, s.fdThreshold())
            : confounds != null && confounds.has("framewise_displacement")
                ? Censoring.byFd(confounds.framewiseDisplacement(), n, 0) : Censoring.none(n);
    }

    public Censoring censoring() {
        return censoring;
    }

    public Denoiser denoiser() {
        return denoiser;
    }

    /** Why the run's features are n/a, or null when they are computed. */
    public String naReason() {
        return naReason;
    }

    /** The confound columns of the design that the file lacked and that were derived from their base columns. */
    public List<String> derivedConfounds() {
        return derived;
    }

    /** Where the regressed global signal came from, null without GSR. */
    public String globalSource() {
        return globalSource;
    }
}
