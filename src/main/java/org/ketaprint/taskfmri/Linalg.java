package org.ketaprint.taskfmri;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/** The small dense algebra of the GLM: pseudo-inverse, rank and estimability as numpy/scipy define them. */
final class Linalg {
    private static final double EPS = Math.ulp(1.0);

    private Linalg() {
    }

    /**
     * scipy.linalg.pinv(x): columns x rows. A matrix of full column rank goes through a thin QR (modified Gram-Schmidt,
     * each column orthogonalised twice), pinv = R^-1 Q^T; any other through the SVD ({@link #pinvSvd}).
     */
    static double[][] pinv(double[][] x) {
        double[][] p = pinvQr(x);
        return p != null ? p : pinvSvd(x);
    }

    /** R^-1 Q^T from a thin QR, or null when a column is (numerically) in the span of the ones before it. */
    static double[][] pinvQr(double[][] x) {
        int m = x.length, n = x[0].length;
        if (m < n) return null;
        double[][] q = new double[n][m];
        double[][] r = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] c = q[j];
            double norm0 = 0;
            for (int t = 0; t < m; t++) {
                c[t] = x[t][j];
                norm0 += c[t] * c[t];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double[] b = q[k];
                    double d = 0;
                    for (int t = 0; t < m; t++) d += b[t] * c[t];
                    r[k][j] += d;
                    for (int t = 0; t < m; t++) c[t] -= d * b[t];
                }
            }
            double norm = 0;
            for (int t = 0; t < m; t++) norm += c[t] * c[t];
            norm = Math.sqrt(norm);
            if (!(norm > 1e-8 * Math.sqrt(norm0))) return null;
            r[j][j] = norm;
            for (int t = 0; t < m; t++) c[t] /= norm;
        }
        double[][] p = new double[n][m];
        for (int i = n - 1; i >= 0; i--) {
            double[] row = p[i];
            System.arraycopy(q[i], 0, row, 0, m);
            for (int k = i + 1; k < n; k++) {
                double rik = r[i][k];
                if (rik == 0) continue;
                double[] pk = p[k];
                for (int t = 0; t < m; t++) row[t] -= rik * pk[t];
            }
            double inv = 1 / r[i][i];
            for (int t = 0; t < m; t++) row[t] *= inv;
        }
        return p;
    }

    /** scipy.linalg.pinv(x) by the SVD (singular values below max(m, n) * eps * s_max dropped): columns x rows. */
    static double[][] pinvSvd(double[][] x) {
        int m = x.length, n = x[0].length;
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(x, false));
        double[] s = svd.getSingularValues();
        double cut = Math.max(m, n) * EPS * (s.length == 0 ? 0 : s[0]);
        RealMatrix u = svd.getU();
        RealMatrix v = svd.getV();
        double[][] p = new double[n][m];
        for (int k = 0; k < s.length; k++) {
            if (!(s[k] > cut)) continue;
            double inv = 1 / s[k];
            for (int i = 0; i < n; i++) {
                double vik = v.getEntry(i, k) * inv;
                if (vik == 0) continue;
                double[] row = p[i];
                for (int j = 0; j < m; j++) row[j] += vik * u.getEntry(j, k);
            }
        }
        return p;
    }

    /** numpy.linalg.matrix_rank(x, tol) with nilearn's tol = sum |x| * eps. */
    static int rank(double[][] x) {
        double sum = 0;
        for (double[] r : x) for (double v : r) sum += Math.abs(v);
        double tol = sum * EPS;
        int r = 0;
        for (double s : new SingularValueDecomposition(new Array2DRowRealMatrix(x, false)).getSingularValues()) if (s > tol) r++;
        return r;
    }

    /** True when c lies in the row space of x: |c - c pinv(x) x| <= 1e-8 |c|. */
    static boolean estimable(double[][] x, double[] c) {
        double[][] p = pinv(x);
        int m = x.length, n = c.length;
        double[] cp = new double[m];
        for (int j = 0; j < n; j++) for (int t = 0; t < m; t++) cp[t] += c[j] * p[j][t];
        double num = 0, den = 0;
        for (int j = 0; j < n; j++) {
            double v = 0;
            for (int t = 0; t < m; t++) v += cp[t] * x[t][j];
            num += (c[j] - v) * (c[j] - v);
            den += c[j] * c[j];
        }
        return den > 0 && Math.sqrt(num) <= 1e-8 * Math.sqrt(den);
    }

    /** nilearn's ARModel.whiten for AR(1): row t minus rho times row t-1, the first row unchanged. */
    static double[][] whiten(double[][] x, double rho) {
        double[][] w = new double[x.length][];
        w[0] = x[0].clone();
        for (int t = 1; t < x.length; t++) {
            w[t] = new double[x[t].length];
            for (int j = 0; j < x[t].length; j++) w[t][j] = x[t][j] - rho * x[t - 1][j];
        }
        return w;
    }

    /** p p^T for p (k x m). */
    static double[][] gram(double[][] p) {
        int k = p.length;
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int t = 0; t < p[i].length; t++) s += p[i][t] * p[j][t];
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return g;
    }
}
