package org.ketaprint.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Mann-Whitney U test as scipy's {@code mannwhitneyu(x, y, alternative="two-sided", use_continuity=True,
 * method="asymptotic")}: U1 = R1 - n1 (n1 + 1) / 2 (R1 the rank sum of x, average ranks), U = max(U1, n1 n2 - U1),
 * z = (U - n1 n2 / 2 - 0.5) / s with the tie-corrected s = sqrt(n1 n2 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1)))),
 * p = min(1, 2 P(Z > z)). Commons Math's MannWhitneyUTest has neither the continuity correction nor the tie term.
 */
public final class MannWhitney {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private MannWhitney() {
    }

    /** U1 (of x) and the two-sided p; p NaN with a note when every value is tied (s = 0). */
    public record Result(double u1, double p, String note) {
    }

    /** x and y without missing values, each of at least one value. */
    public static Result test(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        double[] all = new double[n1 + n2];
        System.arraycopy(x, 0, all, 0, n1);
        System.arraycopy(y, 0, all, n1, n2);
        double[] r = Correlation.ranks(all);
        double r1 = 0;
        for (int i = 0; i < n1; i++) r1 += r[i];
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u = Math.max(u1, (double) n1 * n2 - u1);
        double n = n1 + n2;
        double s = Math.sqrt(n1 * (double) n2 / 12 * ((n + 1) - tieTerm(all) / (n * (n - 1))));
        if (!(s > 0)) return new Result(u1, Double.NaN, "Mann-Whitney: every value tied");
        double z = (u - n1 * (double) n2 / 2 - 0.5) / s;
        return new Result(u1, Math.min(1, 2 * NORMAL.cumulativeProbability(-z)), null);
    }

    /** sum(t^3 - t) over the groups of tied values. */
    static double tieTerm(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        double sum = 0;
        for (int i = 0; i < s.length;) {
            int k = i;
            while (k < s.length && s[k] == s[i]) k++;
            double t = k - i;
            sum += t * t * t - t;
            i = k;
        }
        return sum;
    }
}
