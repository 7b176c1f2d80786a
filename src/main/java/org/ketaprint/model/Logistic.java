package org.ketaprint.model;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * L2-penalised logistic regression with scikit-learn's objective ({@code LogisticRegression(C, penalty="l2",
 * fit_intercept=True)}): minimise 0.5 |w|^2 + C sum_i logloss(y_i, b + x_i w), the intercept b unpenalised. The
 * objective is strictly convex, so its minimum is unique; found by Newton's method (IRLS) with a backtracking line
 * search (full steps once the Newton decrement is below 1e-8 of the objective), to a step below 1e-10. Coefficients are {@code [b, w_1, ..., w_p]}.
 */
public final class Logistic {
    static final int MAX_ITER = 200;

    private Logistic() {
    }

    /** The fit of y (0/1) on the rows of x with penalty C; {@code start} (may be null) is a warm start. */
    public static double[] fit(double[][] x, double[] y, double c, double[] start) {
        int n = x.length;
        int p = n == 0 ? 0 : x[0].length;
        double[] b = start == null ? new double[p + 1] : start.clone();
        double f = objective(x, y, c, b);
        for (int it = 0; it < MAX_ITER; it++) {
            double[] g = new double[p + 1];
            double[][] h = new double[p + 1][p + 1];
            for (int i = 0; i < n; i++) {
                double pi = sigmoid(linear(b, x[i]));
                double r = c * (pi - y[i]);
                double w = c * pi * (1 - pi);
                g[0] += r;
                h[0][0] += w;
                for (int j = 0; j < p; j++) {
                    double xj = x[i][j];
                    g[j + 1] += r * xj;
                    h[0][j + 1] += w * xj;
                    for (int k = j; k < p; k++) h[j + 1][k + 1] += w * xj * x[i][k];
                }
            }
            for (int j = 1; j <= p; j++) {
                g[j] += b[j];
                h[j][j] += 1;
                for (int k = 0; k < j; k++) h[j][k] = h[k][j];
            }
            double[] step = solve(h, g);
            double slope = 0;
            double big = 0;
            for (int j = 0; j <= p; j++) {
                slope += g[j] * step[j];
                big = Math.max(big, Math.abs(step[j]));
            }
            double t = 1;
            double[] nb = new double[p + 1];
            double nf;
            while (true) {   // near the optimum (tiny Newton decrement) the full step, whose gain rounding may hide
                for (int j = 0; j <= p; j++) nb[j] = b[j] - t * step[j];
                nf = objective(x, y, c, nb);
                if (nf <= f - 1e-4 * t * slope || slope <= 1e-8 * (1 + Math.abs(f)) || t < 1e-12) break;
                t /= 2;
            }
            double scale = 1;
            for (double v : b) scale = Math.max(scale, Math.abs(v));
            b = nb.clone();
            f = nf;
            if (t * big <= 1e-10 * scale) break;
        }
        return b;
    }

    /** b + x.w for coefficients {@code [b, w...]}. */
    public static double linear(double[] coef, double[] row) {
        double z = coef[0];
        for (int j = 0; j < row.length; j++) z += coef[j + 1] * row[j];
        return z;
    }

    /** The fitted probability of class 1 (scipy's expit, as sklearn's predict_proba). */
    public static double probability(double[] coef, double[] row) {
        return sigmoid(linear(coef, row));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** log(1 + e^z), without overflow. */
    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    /** 0.5 |w|^2 + C sum logloss. */
    public static double objective(double[][] x, double[] y, double c, double[] b) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double z = linear(b, x[i]);
            s += softplus(z) - y[i] * z;
        }
        double pen = 0;
        for (int j = 1; j < b.length; j++) pen += b[j] * b[j];
        return 0.5 * pen + c * s;
    }

    /** h^-1 g: Cholesky, or the SVD's least-squares solution when h is numerically singular (saturated fits). */
    private static double[] solve(double[][] h, double[] g) {
        RealMatrix m = new Array2DRowRealMatrix(h, false);
        try {
            return new CholeskyDecomposition(m, 1e-14, 1e-14).getSolver().solve(new ArrayRealVector(g, false)).toArray();
        } catch (RuntimeException e) {
            return new SingularValueDecomposition(m).getSolver().solve(new ArrayRealVector(g, false)).toArray();
        }
    }
}
