package org.ketaprint.stats;

import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Ordinary least squares with an intercept (Commons Math's QR-based {@link OLSMultipleLinearRegression}), for the
 * t of one predictor and for residuals. Columns are scaled to unit length first (t and residuals do not change),
 * so that a column that is a linear combination of the others is found (|R_ii| <= 1e-10) and reported, not fitted.
 */
public final class Ols {
    static final double RANK_TOLERANCE = 1e-10;

    private Ols() {
    }

    /** A predictor's t and two-sided p on df = n - 1 - (number of columns); NaN with a note when undefined. */
    public record Term(double t, double p, int df, String note) {
    }

    /** The t of column {@code j} of {@code cols} (columns of predictors, no intercept) in y ~ 1 + cols. */
    public static Term term(double[] y, double[][] cols, int j) {
        int df = y.length - 1 - cols.length;
        if (df < 1) return new Term(Double.NaN, Double.NaN, df, "n = " + y.length + " too small for " + cols.length + " predictor(s)");
        try {
            OLSMultipleLinearRegression m = fit(y, cols);
            double t = m.estimateRegressionParameters()[j + 1] / m.estimateRegressionParametersStandardErrors()[j + 1];
            return new Term(t, Pairs.tP(t, df), df, null);
        } catch (SingularMatrixException e) {
            return new Term(Double.NaN, Double.NaN, df, "collinear predictors");
        } catch (RuntimeException e) {
            return new Term(Double.NaN, Double.NaN, df, "not computable: " + commons(e).getMessage());
        }
    }

    /** y minus its least-squares fit on 1 + cols; null when the columns are collinear. */
    static double[] residuals(double[] y, double[][] cols) {
        if (cols.length == 0) {
            double m = Pairs.mean(y);
            double[] r = new double[y.length];
            for (int i = 0; i < y.length; i++) r[i] = y[i] - m;
            return r;
        }
        try {
            return fit(y, cols).estimateResiduals();
        } catch (SingularMatrixException e) {
            return null;
        } catch (RuntimeException e) {
            commons(e);
            return null;
        }
    }

    /** A Commons Math exception (bad numbers: overflow); anything else is a bug and thrown again. */
    private static RuntimeException commons(RuntimeException e) {
        if (e instanceof org.apache.commons.math3.exception.util.ExceptionContextProvider) return e;
        throw e;
    }

    private static OLSMultipleLinearRegression fit(double[] y, double[][] cols) {
        double[][] x = new double[y.length][cols.length];
        for (int c = 0; c < cols.length; c++) {
            double norm = 0;
            for (double v : cols[c]) norm += v * v;
            norm = Math.sqrt(norm);
            for (int i = 0; i < y.length; i++) x[i][c] = norm > 0 ? cols[c][i] / norm : 0;
        }
        OLSMultipleLinearRegression m = new OLSMultipleLinearRegression(RANK_TOLERANCE);
        m.newSampleData(y, x);
        return m;
    }
}
