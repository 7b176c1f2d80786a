package org.ketaprint.taskfmri;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.special.Gamma;
import org.ketaprint.KetaprintException;

/**
 * Haemodynamic response models as nilearn defines them ({@code hemodynamic_models.py}): the difference of two gamma
 * densities sampled on a grid of {@code tr / oversampling} over 32 s, normalised to sum 1; {@code spm} (delay 6 s,
 * undershoot 16 s, dispersions 1, ratio 0.167) and {@code glover} (6, 12, 0.9, 0.48); optional time derivative
 * (finite difference of the onset, 0.1 s) and dispersion derivative (finite difference of the dispersion, 0.01).
 */
public record Hrf(String base, boolean timeDerivative, boolean dispersionDerivative) {
    public static final double TIME_LENGTH = 32.0;

    /** "spm", "glover", "spm + derivative", "glover + derivative + dispersion" (spaces optional, any case). */
    public static Hrf parse(String spec) {
        String s = spec == null ? "" : spec.toLowerCase(Locale.ROOT).replace(" ", "");
        String[] parts = s.split("\\+");
        String base = parts[0];
        boolean ok = (base.equals("spm") || base.equals("glover"))
            && (parts.length == 1 || parts.length == 2 && parts[1].equals("derivative")
                || parts.length == 3 && parts[1].equals("derivative") && parts[2].equals("dispersion"));
        if (!ok) {
            throw new KetaprintException("unknown HRF model '" + spec + "' (known: spm, glover, spm + derivative, "
                + "spm + derivative + dispersion, glover + derivative, glover + derivative + dispersion)");
        }
        return new Hrf(base, parts.length >= 2, parts.length == 3);
    }

    /** nilearn's name of the model ("spm + derivative"). */
    public String name() {
        return base + (timeDerivative ? " + derivative" : "") + (dispersionDerivative ? " + dispersion" : "");
    }

    /** The design columns of a condition: cond, cond_derivative, cond_dispersion. */
    public List<String> columnNames(String condition) {
        List<String> n = new ArrayList<>();
        n.add(condition);
        if (timeDerivative) n.add(condition + "_derivative");
        if (dispersionDerivative) n.add(condition + "_dispersion");
        return n;
    }

    /** The kernels (the HRF, then its derivatives) on the oversampled grid of step tr / oversampling. */
    public List<double[]> kernels(double tr, int oversampling) {
        return kernels(tr, oversampling, TIME_LENGTH);
    }

    /** As {@link #kernels(double, int)} over {@code timeLength} seconds (nilearn's time_length). */
    public List<double[]> kernels(double tr, int oversampling, double timeLength) {
        boolean spm = base.equals("spm");
        double undershoot = spm ? 16.0 : 12.0;
        double disp = spm ? 1.0 : 0.9;
        double ratio = spm ? 0.167 : 0.48;
        List<double[]> k = new ArrayList<>();
        double[] h = gammaDifference(tr, oversampling, timeLength, 0.0, 6, undershoot, disp, disp, ratio);
        k.add(h);
        if (timeDerivative) {
            double dt = 0.1;
            double[] h2 = gammaDifference(tr, oversampling, timeLength, dt, 6, undershoot, disp, disp, ratio);
            k.add(difference(h, h2, dt));
        }
        if (dispersionDerivative) {
            double dd = 0.01;
            // nilearn's _generic_dispersion_derivative varies only the first gamma's dispersion (u_dispersion stays 1)
            double[] a = gammaDifference(tr, oversampling, timeLength, 0.0, 6, undershoot, disp, 1.0, ratio);
            double[] b = gammaDifference(tr, oversampling, timeLength, 0.0, 6, undershoot, disp + dd, 1.0, ratio);
            k.add(difference(a, b, dd));
        }
        return k;
    }

    private static double[] difference(double[] a, double[] b, double step) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = 1.0 / step * (a[i] - b[i]);
        return d;
    }

    /** nilearn's {@code _gamma_difference_hrf}. */
    static double[] gammaDifference(double tr, int oversampling, double timeLength, double onset, double delay, double undershoot,
                                    double dispersion, double uDispersion, double ratio) {
        double dt = tr / oversampling;
        int n = (int) Math.rint(timeLength / dt);
        double[] h = new double[n];
        double sum = 0;
        double[] grid = linspace(0, timeLength, n);
        for (int i = 0; i < n; i++) {
            double t = grid[i] - onset;
            h[i] = gammaPdf(t, delay / dispersion, dt, dispersion) - ratio * gammaPdf(t, undershoot / uDispersion, dt, uDispersion);
            sum += h[i];
        }
        for (int i = 0; i < n; i++) h[i] /= sum;
        return h;
    }

    /** numpy.linspace(start, stop, n): start + i * step, the last exactly stop. */
    static double[] linspace(double start, double stop, int n) {
        double[] y = new double[n];
        double step = n > 1 ? (stop - start) / (n - 1) : 0;
        for (int i = 0; i < n; i++) y[i] = i * step + start;
        if (n > 1) y[n - 1] = stop;
        return y;
    }

    /** scipy.stats.gamma.pdf(x, a, loc, scale). */
    static double gammaPdf(double x, double a, double loc, double scale) {
        double y = (x - loc) / scale;
        if (y < 0) return 0;
        if (y == 0) return a > 1 ? 0 : a == 1 ? 1 / scale : Double.POSITIVE_INFINITY;
        return Math.exp((a - 1) * Math.log(y) - y - Gamma.logGamma(a)) / scale;
    }
}
