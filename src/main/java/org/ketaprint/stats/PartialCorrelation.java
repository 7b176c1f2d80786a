package org.ketaprint.stats;

/**
 * The partial correlation of x and y given covariate columns z: the Pearson r of the residuals of x and of y, each
 * regressed on 1 + z ({@link Ols}), with p from t = r sqrt(df / (1 - r^2)) on df = n - 2 - k (k columns in z).
 * That t is the OLS t of x in y ~ 1 + x + z.
 */
public final class PartialCorrelation {
    private PartialCorrelation() {
    }

    /** r, p and df; NaN with a note when undefined. */
    public record Result(double r, double p, int df, String note) {
    }

    /** x, y and the columns of z complete (no NaN), all of one length. */
    public static Result of(double[] x, double[] y, double[][] z) {
        int df = x.length - 2 - z.length;
        if (df < 1) return new Result(Double.NaN, Double.NaN, df, "n = " + x.length + " too small for " + z.length + " covariate column(s)");
        double[] ex = Ols.residuals(x, z);
        double[] ey = Ols.residuals(y, z);
        if (ex == null || ey == null) return new Result(Double.NaN, Double.NaN, df, "collinear covariates");
        if (explained(x, ex) || explained(y, ey)) return new Result(Double.NaN, Double.NaN, df, "no variance left after the covariates");
        double r = Pairs.r(ex, ey);
        return new Result(r, Pairs.tP(r * Math.sqrt(df / ((1 - r) * (1 + r))), df), df, null);
    }

    /** True when the residuals e of v are zero up to rounding (v constant, or a linear function of the covariates). */
    private static boolean explained(double[] v, double[] e) {
        double[] c = Ols.residuals(v, new double[0][]);
        return norm(e) <= Ols.RANK_TOLERANCE * norm(c) || norm(c) == 0;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) s += a * a;
        return Math.sqrt(s);
    }
}
