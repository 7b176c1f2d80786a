package org.ketaprint.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Pearson and Spearman correlations with scipy.stats' two-sided p-values; rows with a missing (NaN) value in either
 * array are dropped first (pairwise), and n is what remains. Too few values or a constant array give NaN with the
 * reason in {@code note}, never an exception.
 */
public final class Correlation {
    /** The 0.975 normal quantile (Commons Math's inverse, 1.959963984540054). */
    static final double Z975 = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(0.975);

    private Correlation() {
    }

    /** Pearson r, its 95 % CI (Fisher z), p; note null when all are defined. */
    public record Pearson(int n, double r, double ciLow, double ciHigh, double p, String note) {
    }

    /** Spearman rho (average ranks for ties) and p. */
    public record Spearman(int n, double rho, double p, String note) {
    }

    /**
     * r = sum(dx dy) / sqrt(sum dx^2 sum dy^2); p as scipy's pearsonr: 2 P(B > |r|) for B ~ Beta(n/2 - 1, n/2 - 1) on
     * [-1, 1], i.e. 2 I_{(1-|r|)/2}(a, a) (the t-test on n - 2 df); CI tanh(atanh(r) -/+ z_0.975 / sqrt(n - 3)), n >= 4.
     */
    public static Pearson pearson(double[] x, double[] y) {
        double[][] c = Pairs.complete(x, y);
        int n = c[0].length;
        String why = tooFew(c, 3);
        if (why != null) return new Pearson(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, why);
        double r = Pairs.r(c[0], c[1]);
        double a = n / 2.0 - 1;
        double p = Math.min(1, 2 * Beta.regularizedBeta((1 - Math.abs(r)) / 2, a, a));
        if (n < 4) return new Pearson(n, r, Double.NaN, Double.NaN, p, "CI: n = 3 < 4");
        double z = 0.5 * (Math.log1p(r) - Math.log1p(-r));
        double h = Z975 / Math.sqrt(n - 3);
        return new Pearson(n, r, Math.tanh(z - h), Math.tanh(z + h), p, null);
    }

    /** rho = Pearson r of the average ranks; p as scipy's spearmanr: t = rho sqrt((n-2) / ((1+rho)(1-rho))), n - 2 df. */
    public static Spearman spearman(double[] x, double[] y) {
        double[][] c = Pairs.complete(x, y);
        int n = c[0].length;
        String why = tooFew(c, 3);
        if (why != null) return new Spearman(n, Double.NaN, Double.NaN, why);
        double rho = Pairs.r(ranks(c[0]), ranks(c[1]));
        double t = rho * Math.sqrt((n - 2) / ((rho + 1) * (1 - rho)));
        return new Spearman(n, rho, Pairs.tP(t, n - 2), null);
    }

    /** Average ranks (1-based; ties share their mean rank), as scipy.stats.rankdata. */
    static double[] ranks(double[] x) {
        return new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(x);
    }

    /** Why a correlation of these (complete) columns is undefined, or null. */
    private static String tooFew(double[][] c, int min) {
        int n = c[0].length;
        if (n < min) return "n = " + n + " < " + min;
        if (Pairs.constant(c[0]) || Pairs.constant(c[1])) return "constant values";
        return null;
    }
}
