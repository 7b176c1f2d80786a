package org.ketaprint.diffusion;

/** Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations (accurate to rounding). */
public final class Eigen3 {
    private Eigen3() {
    }

    /**
     * Decomposes the symmetric matrix (xx, xy, yy, xz, yz, zz). Writes eigenvalues sorted from largest to
     * smallest into {@code evals} and the matching unit eigenvectors as rows of {@code evecs}
     * ({@code evecs[3*k .. 3*k+2]} goes with {@code evals[k]}).
     */
    public static void decompose(double xx, double xy, double yy, double xz, double yz, double zz,
                                 double[] evals, double[] evecs) {
        double[][] a = {{xx, xy, xz}, {xy, yy, yz}, {xz, yz, zz}};
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = Math.abs(a[0][1]) + Math.abs(a[0][2]) + Math.abs(a[1][2]);
            double diag = Math.abs(a[0][0]) + Math.abs(a[1][1]) + Math.abs(a[2][2]);
            if (off == 0 || off <= 1e-300 || diag + off == diag && sweep > 3) break;
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) rotate(a, v, p, q);
            }
        }
        // sort descending; columns of v are eigenvectors
        int[] o = {0, 1, 2};
        double[] d = {a[0][0], a[1][1], a[2][2]};
        for (int i = 0; i < 2; i++) {
            for (int j = i + 1; j < 3; j++) {
                if (d[o[j]] > d[o[i]]) {
                    int t = o[i];
                    o[i] = o[j];
                    o[j] = t;
                }
            }
        }
        for (int k = 0; k < 3; k++) {
            evals[k] = d[o[k]];
            for (int r = 0; r < 3; r++) evecs[3 * k + r] = v[r][o[k]];
        }
    }

    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double apq = a[p][q];
        if (apq == 0) return;
        double theta = (a[q][q] - a[p][p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        if (Double.isInfinite(theta * theta)) t = 1 / (2 * theta);
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < 3; k++) {
            double akp = a[k][p], akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 3; k++) {
            double apk = a[p][k], aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (int k = 0; k < 3; k++) {
            double vkp = v[k][p], vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }
}
