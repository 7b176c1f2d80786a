package org.ketaprint.stats;

/** Pairwise deletion: the rows where every array holds a finite value. */
final class Pairs {
    private Pairs() {
    }

    /** The columns restricted to the rows finite in all of them (same order). */
    static double[][] complete(double[]... cols) {
        int n = cols[0].length;
        boolean[] keep = new boolean[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            boolean ok = true;
            for (double[] c : cols) ok &= Double.isFinite(c[i]);
            keep[i] = ok;
            if (ok) m++;
        }
        double[][] out = new double[cols.length][m];
        for (int j = 0; j < cols.length; j++) {
            for (int i = 0, k = 0; i < n; i++) if (keep[i]) out[j][k++] = cols[j][i];
        }
        return out;
    }

    /** True when all values are equal (or there are none). */
    static boolean constant(double[] x) {
        for (double v : x) if (v != x[0]) return false;
        return true;
    }

    /** The mean, two-pass. */
    static double mean(double[] x) {
        return org.apache.commons.math3.stat.StatUtils.mean(x);
    }

    /** Pearson r from centred sums (exact near 0, unlike Commons Math's PearsonsCorrelation, which goes through R^2). */
    static double r(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double a = x[i] - mx;
            double b = y[i] - my;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    /** Two-sided p of a t statistic on df degrees of freedom: 2 P(T <= -|t|) (scipy's 2 t.sf(|t|)). */
    static double tP(double t, double df) {
        if (Double.isNaN(t) || !(df > 0)) return Double.NaN;
        return Math.min(1, 2 * new org.apache.commons.math3.distribution.TDistribution(null, df).cumulativeProbability(-Math.abs(t)));
    }
}
