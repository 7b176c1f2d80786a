package org.ketaprint.taskfmri;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;

/**
 * Student t tail probabilities and nilearn's t-to-z conversion, accurate in the far tails: the tail of |t| is the
 * regularised incomplete beta {@code I_x(dof/2, 1/2) / 2} with {@code x = dof / (dof + t^2)} (no cancellation),
 * and z is the normal quantile of that tail (clipped to [1e-300, 1 - 1e-16] as nilearn's {@code z_score}), with the
 * sign of t.
 */
public final class TDist {
    private TDist() {
    }

    /** The tail beyond |t|: P(T > |t|). */
    static double tail(double t, double dof) {
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return 0;
        double x = dof / (dof + t * t);
        return 0.5 * Beta.regularizedBeta(x, dof / 2, 0.5, 1e-15, 100000);
    }

    /** P(0 &lt; T &lt; |t|) = I_y(1/2, dof/2) / 2 with y = t^2 / (dof + t^2): accurate where the tail is near 1/2. */
    static double central(double t, double dof) {
        double y = t * t / (dof + t * t);
        return 0.5 * Beta.regularizedBeta(y, 0.5, dof / 2, 1e-15, 100000);
    }

    /** scipy.stats.t.sf(t, dof). */
    public static double sf(double t, double dof) {
        if (Math.abs(t) < 1) {
            double c = central(t, dof);
            return t >= 0 ? 0.5 - c : 0.5 + c;
        }
        double q = tail(t, dof);
        return t >= 0 ? q : 1 - q;
    }

    /** nilearn's z of a t statistic: norm.isf(t.sf) for t &gt;= 0, norm.ppf(t.cdf) for t &lt; 0. */
    public static double z(double t, double dof) {
        if (Double.isNaN(t)) return Double.NaN;
        if (Math.abs(t) < 1) {
            // near 0 the tail is 1/2 - c: z from c itself (erf^-1, one Newton step on erf), not from the tail
            double c = central(t, dof);
            double z = Math.sqrt(2) * Erf.erfInv(2 * c);
            z -= (0.5 * Erf.erf(z / Math.sqrt(2)) - c) / (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
            return t >= 0 ? z : -z;
        }
        double q = Math.min(Math.max(tail(t, dof), 1e-300), 1 - 1e-16);
        double z = upperQuantile(q);
        return t >= 0 ? z : -z;
    }

    /** The z with P(Z &gt; z) = q, for 0 &lt; q &lt; 1. */
    public static double upperQuantile(double q) {
        if (q == 0.5) return 0;
        if (q > 0.5) return -upperQuantile(1 - q);
        double z = acklam(q);
        // Newton steps on log Q(z) = log q, Q the normal upper tail (erfc keeps its relative accuracy far out)
        double logQ = Math.log(q);
        for (int i = 0; i < 4; i++) {
            double upper = upperTail(z);
            double phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            if (!(upper > 0) || !(phi > 0)) break;
            double step = (Math.log(upper) - logQ) * upper / phi;
            z += step;
            if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
        }
        return z;
    }

    /** P(Z &gt; z) = erfc(z / sqrt 2) / 2. */
    static double upperTail(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    /** Acklam's rational approximation of the upper quantile (relative error 1.2e-9), the start of the refinement. */
    private static double acklam(double q) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double plow = 0.02425;
        double lower;   // the lower quantile of q; the upper one is its negative
        if (q < plow) {
            double s = Math.sqrt(-2 * Math.log(q));
            lower = (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5])
                / ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1);
        } else {
            double r0 = q - 0.5, r = r0 * r0;
            lower = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * r0
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        return -lower;
    }
}
