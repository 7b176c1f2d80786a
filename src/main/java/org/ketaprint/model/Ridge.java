package org.ketaprint.model;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;

/**
 * Ridge regression with scikit-learn's objective ({@code Ridge(alpha, fit_intercept=True)}): minimise
 * |y - b - Xw|^2 + alpha |w|^2, the intercept unpenalised. Closed form: X and y centred, w the least-squares
 * solution of [Xc; sqrt(alpha) I] w = [yc; 0] (Commons Math QR), b = mean(y) - mean(X) w. Coefficients are
 * {@code [b, w_1, ..., w_p]}.
 */
public final class Ridge {
    private Ridge() {
    }

    public static double[] fit(double[][] x, double[] y, double alpha) {
        int n = x.length;
        int p = x[0].length;
        double[] mx = new double[p];
        double my = 0;
        for (int i = 0; i < n; i++) {
            my += y[i] / n;
            for (int j = 0; j < p; j++) mx[j] += x[i][j] / n;
        }
        double[][] a = new double[n + p][p];
        double[] rhs = new double[n + p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) a[i][j] = x[i][j] - mx[j];
            rhs[i] = y[i] - my;
        }
        double s = Math.sqrt(alpha);
        for (int j = 0; j < p; j++) a[n + j][j] = s;
        double[] w = new QRDecomposition(new Array2DRowRealMatrix(a, false), 0).getSolver()
            .solve(new ArrayRealVector(rhs, false)).toArray();
        double[] coef = new double[p + 1];
        coef[0] = my;
        for (int j = 0; j < p; j++) {
            coef[j + 1] = w[j];
            coef[0] -= mx[j] * w[j];
        }
        return coef;
    }

    public static double predict(double[] coef, double[] row) {
        return Logistic.linear(coef, row);
    }
}
