package org.ketaprint.stats;

import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.StatUtils;

/**
 * Two groups (a: responders, b: non-responders): means, Hedges' g (a - b) with a 95 % CI, Welch's t-test p (scipy's
 * {@code ttest_ind(equal_var=False)}) and the Mann-Whitney U p ({@link MannWhitney}). Missing (NaN) values are
 * dropped; fewer than 2 values in a group, or no spread, give NaN with the reason in {@code note}.
 */
public final class GroupComparison {
    private GroupComparison() {
    }

    /** The comparison; note null when everything is defined. */
    public record Result(int nA, int nB, double meanA, double meanB, double g, double gLow, double gHigh, double welchP,
                         double mannWhitneyP, String note) {
    }

    public static Result compare(double[] a, double[] b) {
        double[] x = Pairs.complete(a)[0];
        double[] y = Pairs.complete(b)[0];
        int n1 = x.length;
        int n2 = y.length;
        double m1 = n1 == 0 ? Double.NaN : Pairs.mean(x);
        double m2 = n2 == 0 ? Double.NaN : Pairs.mean(y);
        if (n1 < 2 || n2 < 2) {
            return new Result(n1, n2, m1, m2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                n1 + " and " + n2 + " values: at least 2 per group");
        }
        double v1 = StatUtils.variance(x, m1);
        double v2 = StatUtils.variance(y, m2);
        MannWhitney.Result u = MannWhitney.test(x, y);
        if (v1 == 0 && v2 == 0) {
            return new Result(n1, n2, m1, m2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, u.p(),
                "no spread within the groups" + (u.note() == null ? "" : "; " + u.note()));
        }
        double df = n1 + n2 - 2;
        double d = (m1 - m2) / Math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df);
        double g = d * j(df);
        double se = Math.sqrt((double) (n1 + n2) / ((double) n1 * n2) + g * g / (2.0 * (n1 + n2)));
        double h = Correlation.Z975 * se;
        return new Result(n1, n2, m1, m2, g, g - h, g + h, welchP(m1, v1, n1, m2, v2, n2), u.p(), u.note());
    }

    /** Hedges' exact small-sample correction J(df) = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2)). */
    static double j(double df) {
        return Math.exp(Gamma.logGamma(df / 2) - 0.5 * Math.log(df / 2) - Gamma.logGamma((df - 1) / 2));
    }

    /** Welch: t = (m1 - m2) / sqrt(v1/n1 + v2/n2) on the Welch-Satterthwaite df, two-sided. */
    static double welchP(double m1, double v1, int n1, double m2, double v2, int n2) {
        double a = v1 / n1;
        double b = v2 / n2;
        double df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
        return Pairs.tP((m1 - m2) / Math.sqrt(a + b), df);
    }
}
