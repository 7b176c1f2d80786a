package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Several runs of one session as one series, as XCP-D's {@code --combine-runs} does it (XCP-D 26.0.0 on): each run
 * is denoised alone (its own confounds, mask, censoring and design), each clean series is z-scored over the run's
 * used volumes (mean 0, SD 1 with divisor n, as {@code scipy.stats.zscore}), then the runs are concatenated and
 * correlations taken on the concatenation. As the z-scored runs have norm sqrt(n_r), the correlation of two
 * concatenated series is the used-volume-weighted mean of the runs' correlations, sum(n_r r_r) / sum(n_r). The
 * {@code min_seconds} rule applies to the time left in all runs together; a run whose design leaves fewer than 3
 * degrees of freedom makes the features n/a.
 */
public final class Concatenation {
    private final List<RestingData.Run> runs;
    private final List<Censoring> censorings;
    /** null for a run with no volume left (its features are n/a). */
    private final List<Cleaning> cleanings;
    private final String naReason;
    private final Settings settings;

    private Concatenation(List<RestingData.Run> runs, List<Censoring> censorings, List<Cleaning> cleanings, String naReason,
                          Settings settings) {
        this.settings = settings;
        this.runs = runs;
        this.censorings = censorings;
        this.cleanings = cleanings;
        this.naReason = naReason;
    }

    /** Each run cleaned alone with the settings (their min_seconds applied to the total). */
    public static Concatenation of(List<RestingData.Run> runs, Settings s) {
        return of(runs, s, s.band());
    }

    /** The same with another band (null: no band-pass regressors). */
    public static Concatenation of(List<RestingData.Run> runs, Settings s, Band band) {
        Settings each = perRun(s);
        List<Censoring> cens = new ArrayList<>();
        List<Cleaning> cs = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (RestingData.Run r : runs) {
            Censoring c = Cleaning.censoring(r.bold(), r.confounds(), each);
            cens.add(c);
            Cleaning cl = c.used() == 0 ? null : Cleaning.of(r.bold(), r.confounds(), each, band);
            cs.add(cl);
            reasons.add(cl == null ? "no volume left after censoring FD > " + s.fdThreshold() + " mm" : cl.naReason());
        }
        return new Concatenation(List.copyOf(runs), cens, cs, naReason(runs, cens, reasons, s), s);
    }

    /** The settings each run is cleaned with: the same, but no min_seconds rule of its own. */
    static Settings perRun(Settings s) {
        return new Settings(s.strategy(), s.fdThreshold(), 0, s.band());
    }

    /** Too little time in all runs together, else the first run whose design is saturated, else null. */
    static String naReason(List<RestingData.Run> runs, List<Censoring> cens, List<String> runReasons, Settings s) {
        double left = 0;
        int used = 0;
        for (int i = 0; i < runs.size(); i++) {
            left += cens.get(i).used() * runs.get(i).bold().tr();
            used += cens.get(i).used();
        }
        if (left < s.minSeconds()) {
            return String.format(Locale.ROOT, "only %.1f s (%d volumes) left in %d runs after censoring FD > %s mm; need %s s",
                left, used, runs.size(), s.fdThreshold(), s.minSeconds());
        }
        for (int i = 0; i < runs.size(); i++) {
            if (runReasons.get(i) != null) return runs.get(i).label() + ": " + runReasons.get(i);
        }
        return null;
    }

    /** The settings (min_seconds applying to all runs together). */
    public Settings settings() {
        return settings;
    }

    public List<RestingData.Run> runs() {
        return runs;
    }

    /** Run i's cleaning (only when {@link #naReason()} is null is every run's there). */
    public Cleaning cleaning(int i) {
        return cleanings.get(i);
    }

    public Censoring censoring(int i) {
        return censorings.get(i);
    }

    /** Why the features are n/a, or null. */
    public String naReason() {
        return naReason;
    }

    /** Volumes used in all runs. */
    public int used() {
        return censorings.stream().mapToInt(Censoring::used).sum();
    }

    public int censored() {
        return censorings.stream().mapToInt(Censoring::censored).sum();
    }

    /** Mean framewise displacement over every volume of every run (each run's first counts as 0); NaN without FD. */
    public double fdMean() {
        double s = 0;
        int n = 0;
        for (Censoring c : censorings) {
            s += c.fdMean() * c.volumes();
            n += c.volumes();
        }
        return s / n;
    }

    /** Used volumes per run, as weights. */
    double[] usedPerRun() {
        return censorings.stream().mapToDouble(Censoring::used).toArray();
    }

    /** The series, each z-scored (mean 0, SD 1 with divisor n, as scipy.stats.zscore), concatenated in order. */
    public static double[] zscored(List<double[]> series) {
        int n = series.stream().mapToInt(x -> x.length).sum();
        double[] out = new double[n];
        int o = 0;
        for (double[] x : series) {
            double m = 0;
            for (double v : x) m += v;
            m /= x.length;
            double ss = 0;
            for (double v : x) ss += (v - m) * (v - m);
            double sd = Math.sqrt(ss / x.length);
            for (int t = 0; t < x.length; t++) out[o + t] = (x[t] - m) / sd;
            o += x.length;
        }
        return out;
    }

    /**
     * Per run, the row in that run's mask of every mask voxel of the first run (-1: outside the run's mask); null
     * when the runs are not all on one grid (no voxel-wise concatenation then).
     */
    static int[][] rowsOfFirst(List<RestingData.Run> runs) {
        BoldRun first = runs.get(0).bold();
        int[][] out = new int[runs.size()][];
        for (int i = 0; i < runs.size(); i++) {
            BoldRun b = runs.get(i).bold();
            if (!b.grid().sameAs(first.grid())) return null;
            int[] vox = b.voxels();
            int[] rows = new int[first.size()];
            for (int v = 0; v < rows.length; v++) {
                int at = Arrays.binarySearch(vox, first.voxels()[v]);
                rows[v] = at >= 0 ? at : -1;
            }
            out[i] = rows;
        }
        return out;
    }

    /**
     * Per first-run mask voxel, the weighted mean over the runs of the runs' voxel values (sum w_r x_r / sum w_r);
     * NaN where a run lacks the voxel or its value is NaN.
     */
    static double[] weighted(int[][] rows, List<double[]> perRun, double[] weights) {
        double total = 0;
        for (double w : weights) total += w;
        double[] out = new double[rows[0].length];
        for (int v = 0; v < out.length; v++) {
            double s = 0;
            for (int i = 0; i < rows.length; i++) {
                int row = rows[i][v];
                s = row < 0 ? Double.NaN : s + weights[i] * perRun.get(i)[row];
            }
            out[v] = s / total;
        }
        return out;
    }

    /** Weighted mean of per-run values (sum w_r x_r / sum w_r). */
    static double weighted(double[] values, double[] weights) {
        double s = 0, total = 0;
        for (int i = 0; i < values.length; i++) {
            s += weights[i] * values[i];
            total += weights[i];
        }
        return s / total;
    }
}
