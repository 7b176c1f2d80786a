package org.ketaprint.taskfmri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ketaprint.KetaprintException;

/**
 * A first-level design matrix as nilearn's {@code make_first_level_design_matrix} builds it: the conditions (sorted)
 * convolved with the HRF on a grid oversampled 50 times and sampled at the frame times, the confounds, one spike
 * column per high-motion volume, the cosine drift basis (high-pass cut-off) and a constant. Unlike nilearn it is never
 * regularised: a contrast that is not estimable is refused ({@link Contrast#weights}).
 *
 * @param names   the columns' names
 * @param x       volumes x columns
 */
public record Design(List<String> names, double[][] x, double[] frameTimes, List<String> conditions, int spikes,
                     List<String> warnings) {
    public static final int OVERSAMPLING = 50;
    public static final double MIN_ONSET = -24;
    /**
     * The most samples of the oversampled time grid, and of the grid times the HRF kernel's (the convolution's work):
     * 2000 volumes at a TR of 0.3 s need 1e5 and 6e8; a TR of 1e-300 s would need arrays of 2^31 doubles.
     */
    static final double MAX_SAMPLES = 1e7;
    static final double MAX_WORK = 1e10;

    /** frame_times = arange(n) * tr + sliceTimeRef * tr. */
    public static double[] frameTimes(int n, double tr, double sliceTimeRef) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i * tr + sliceTimeRef * tr;
        return t;
    }

    /**
     * The design of a run of {@code frameTimes.length} volumes: {@code confounds} (volumes x k, may be null) named
     * {@code confoundNames}; a spike column for each volume with {@code fd} above {@code fdThreshold} (fd null or
     * threshold 0: none).
     */
    public static Design build(double[] frameTimes, Events events, Hrf hrf, double highPass, List<String> confoundNames,
                               double[][] confounds, double[] fd, double fdThreshold) {
        int n = frameTimes.length;
        if (n < 2) throw new KetaprintException("a run of " + n + " volume(s) cannot be modelled");
        List<String> warnings = new ArrayList<>(events.warnings());
        List<String> names = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        double tr = Double.POSITIVE_INFINITY;
        for (int i = 1; i < n; i++) tr = Math.min(tr, frameTimes[i] - frameTimes[i - 1]);
        double end = frameTimes[n - 1] * (1 + 1.0 / (n - 1));
        String past = events.pastEnd(end);
        if (past != null) warnings.add(past);
        double runSeconds = n * tr;
        if (runSeconds < Hrf.TIME_LENGTH) {
            warnings.add(String.format(Locale.ROOT, "the run lasts %.6g s, less than the %.0f s HRF: responses are cut off "
                + "at the end of the run and the estimates are unreliable", runSeconds, Hrf.TIME_LENGTH));
        }
        double last = frameTimes[n - 1], first = frameTimes[0];
        double grid = (n - 1) / (last - first) * (last * (1 + 1.0 / (n - 1)) - first - MIN_ONSET) * OVERSAMPLING;
        double kernel = Hrf.TIME_LENGTH / (tr / OVERSAMPLING);
        if (!(grid <= MAX_SAMPLES && grid * kernel <= MAX_WORK)) {   // (NaN too) else arrays of 2^31 doubles, or hours
            throw new KetaprintException(String.format(Locale.ROOT, "a TR of %.6g s over %d volumes needs an oversampled "
                + "time grid of %.3g samples and an HRF of %.3g (at most %.0g and a product of %.0g): is the TR in seconds?",
                tr, n, grid, kernel, MAX_SAMPLES, MAX_WORK));
        }
        List<double[]> kernels = hrf.kernels(tr, OVERSAMPLING);
        List<String> conditions = events.conditions();
        for (String c : conditions) {
            double[][] e = events.of(c);
            double[][] hr = sample(e[0], e[1], e[2], frameTimes);
            double[][] reg = new double[kernels.size()][];
            for (int k = 0; k < kernels.size(); k++) reg[k] = interpolate(hr[1], convolve(hr[0], kernels.get(k)), frameTimes);
            if (reg.length > 1) orthogonalize(reg);
            names.addAll(hrf.columnNames(c));
            for (double[] r : reg) cols.add(r);
        }
        if (confounds != null) {
            for (int j = 0; j < confoundNames.size(); j++) {
                double[] col = new double[n];
                for (int t = 0; t < n; t++) col[t] = confounds[t][j];
                names.add(confoundNames.get(j));
                cols.add(col);
            }
        }
        int spikes = 0;
        if (fd != null && fdThreshold > 0) {
            for (int t = 0; t < n; t++) {
                if (fd[t] > fdThreshold) {
                    double[] col = new double[n];
                    col[t] = 1;
                    names.add(String.format(Locale.ROOT, "motion_outlier_%02d", spikes++));
                    cols.add(col);
                }
            }
        }
        double[][] drift = cosineDrift(highPass, frameTimes);
        for (int k = 0; k < drift.length; k++) {
            names.add(k == drift.length - 1 ? "constant" : "drift_" + (k + 1));
            cols.add(drift[k]);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String s : names) {
            if (!seen.add(s)) {
                throw new KetaprintException("two design columns are named '" + s + "'" + (conditions.contains(s) ? ": a "
                    + "trial_type of " + events.source() + " has the name of a confound, spike, drift or constant column" : ""));
            }
        }
        if (cols.size() >= n) {
            throw new KetaprintException("the design has " + cols.size() + " columns for " + n + " volumes: "
                + "nothing is left to estimate the noise (fewer confounds, or a longer run)");
        }
        double[][] x = new double[n][cols.size()];
        for (int j = 0; j < cols.size(); j++) for (int t = 0; t < n; t++) x[t][j] = cols.get(j)[t];
        return new Design(List.copyOf(names), x, frameTimes.clone(), List.copyOf(conditions), spikes, List.copyOf(warnings));
    }

    /** nilearn's {@code _sample_condition}: the oversampled boxcar [0] on its time grid [1]. */
    static double[][] sample(double[] onsets, double[] durations, double[] values, double[] frameTimes) {
        int n = frameTimes.length;
        double min = frameTimes[0], max = frameTimes[0];
        for (double f : frameTimes) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        double nHr = (n - 1) * 1.0 / (max - min);
        nHr *= (max * (1 + 1.0 / (n - 1)) - min - MIN_ONSET) * OVERSAMPLING;
        nHr += 1;
        double[] times = Hrf.linspace(min + MIN_ONSET, max * (1 + 1.0 / (n - 1)), (int) Math.rint(nHr));
        int tmax = times.length;
        double[] reg = new double[tmax];
        int[] on = new int[onsets.length];
        for (int i = 0; i < onsets.length; i++) {
            on[i] = Math.min(searchLeft(times, onsets[i]), tmax - 1);
            reg[on[i]] += values[i];
        }
        for (int i = 0; i < onsets.length; i++) {
            int off = Math.min(searchLeft(times, onsets[i] + durations[i]), tmax - 1);
            if (off < tmax - 1 && off == on[i]) off++;
            reg[off] -= values[i];
        }
        for (int i = 1; i < tmax; i++) reg[i] += reg[i - 1];
        return new double[][] {reg, times};
    }

    /** numpy.searchsorted(a, v) (side left): the first index with a[i] >= v. */
    static int searchLeft(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** numpy.convolve(x, h)[:len(x)]. */
    static double[] convolve(double[] x, double[] h) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            if (xi == 0) continue;
            int kmax = Math.min(h.length, x.length - i);
            for (int k = 0; k < kmax; k++) y[i + k] += xi * h[k];
        }
        return y;
    }

    /** scipy's interp1d(x, y) (linear) at {@code at}. */
    static double[] interpolate(double[] x, double[] y, double[] at) {
        double[] out = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            int hi = Math.max(1, Math.min(x.length - 1, searchLeft(x, at[i])));
            int lo = hi - 1;
            if (at[i] < x[0] || at[i] > x[x.length - 1]) {
                throw new KetaprintException("frame time " + at[i] + " s is outside the oversampled grid");
            }
            double slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
            out[i] = slope * (at[i] - x[lo]) + y[lo];
        }
        return out;
    }

    /** nilearn's {@code orthogonalize}: each column minus its projection on the span of the columns before it. */
    static void orthogonalize(double[][] cols) {
        for (int i = 1; i < cols.length; i++) {
            double[] c = cols[i];
            for (int j = 0; j < i; j++) {   // the earlier columns are already mutually orthogonal
                double[] b = cols[j];
                double bb = 0, cb = 0;
                for (int t = 0; t < c.length; t++) {
                    bb += b[t] * b[t];
                    cb += c[t] * b[t];
                }
                if (bb == 0) continue;
                double f = cb / bb;
                for (int t = 0; t < c.length; t++) c[t] -= f * b[t];
            }
        }
    }

    /** nilearn's {@code create_cosine_drift}: the DCT-II basis below {@code highPass} Hz, then a constant (columns). */
    static double[][] cosineDrift(double highPass, double[] frameTimes) {
        int n = frameTimes.length;
        double dt = (frameTimes[n - 1] - frameTimes[0]) / (n - 1);
        int order = Math.min(n - 1, (int) Math.floor(2 * n * highPass * dt));
        double[][] d = new double[order + 1][n];
        double norm = Math.sqrt(2.0 / n);
        for (int k = 1; k <= order; k++) {
            for (int t = 0; t < n; t++) d[k - 1][t] = norm * Math.cos((Math.PI / n) * (t + 0.5) * k);
        }
        java.util.Arrays.fill(d[order], 1.0);
        return d;
    }

    public int columns() {
        return names.size();
    }

    public int volumes() {
        return x.length;
    }

    /**
     * The design as TSV (a header of column names, one row per volume, every digit), written whole or not at all: through
     * a temporary file beside it (removed on failure) and a rename; the folder is made when missing, as the maps' is.
     */
    public void writeTsv(Path out) {
        StringBuilder b = new StringBuilder(String.join("\t", names)).append('\n');
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                if (j > 0) b.append('\t');
                b.append(row[j]);
            }
            b.append('\n');
        }
        Path tmp = null;
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its defaults
            }
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new KetaprintException(out + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
