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
        decompose(xx, xy, yy, xz, yz, zz, evals, evecs, new double[18]);
    }

    /** As above with caller-provided scratch space of 18 doubles (no allocation). */
    public static void decompose(double xx, double xy, double yy, double xz, double yz, double zz,
                                 double[] evals, double[] evecs, double[] work) {
        double[] a = work;   // a[3*r + c], then v at offset 9
        a[0] = xx; a[1] = xy; a[2] = xz;
        a[3] = xy; a[4] = yy; a[5] = yz;
        a[6] = xz; a[7] = yz; a[8] = zz;
        for (int i = 9; i < 18; i++) a[i] = 0;
        a[9] = 1;
        a[13] = 1;
        a[17] = 1;
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(a[5]);
            double diag = Math.abs(a[0]) + Math.abs(a[4]) + Math.abs(a[8]);
            if (off <= 1e-300 || diag + off == diag) break;
            rotate(a, 0, 1);
            rotate(a, 0, 2);
            rotate(a, 1, 2);
        }
        // sort descending; columns of v are eigenvectors
        int i0 = 0, i1 = 1, i2 = 2;
        double d0 = a[0], d1 = a[4], d2 = a[8];
        if (d1 > d0) { int t = i0; i0 = i1; i1 = t; double u = d0; d0 = d1; d1 = u; }
        if (d2 > d1) { int t = i1; i1 = i2; i2 = t; double u = d1; d1 = d2; d2 = u; }
        if (d1 > d0) { int t = i0; i0 = i1; i1 = t; double u = d0; d0 = d1; d1 = u; }
        evals[0] = d0;
        evals[1] = d1;
        evals[2] = d2;
        for (int r = 0; r < 3; r++) {
            evecs[r] = a[9 + 3 * r + i0];
            evecs[3 + r] = a[9 + 3 * r + i1];
            evecs[6 + r] = a[9 + 3 * r + i2];
        }
    }

    /** One Jacobi rotation zeroing a[p][q] (matrix at a[0..8], vectors at a[9..17], row-major). */
    private static void rotate(double[] a, int p, int q) {
        double apq = a[3 * p + q];
        if (apq == 0) return;
        double theta = (a[4 * q] - a[4 * p]) / (2 * apq);
        double t;
        if (Double.isInfinite(theta * theta)) {
            t = 1 / (2 * theta);
        } else {
            t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < 3; k++) {
            double akp = a[3 * k + p], akq = a[3 * k + q];
            a[3 * k + p] = c * akp - s * akq;
            a[3 * k + q] = s * akp + c * akq;
        }
        for (int k = 0; k < 3; k++) {
            double apk = a[3 * p + k], aqk = a[3 * q + k];
            a[3 * p + k] = c * apk - s * aqk;
            a[3 * q + k] = s * apk + c * aqk;
        }
        a[3 * p + q] = 0;
        a[3 * q + p] = 0;
        for (int k = 0; k < 3; k++) {
            double vkp = a[9 + 3 * k + p], vkq = a[9 + 3 * k + q];
            a[9 + 3 * k + p] = c * vkp - s * vkq;
            a[9 + 3 * k + q] = s * vkp + c * vkq;
        }
    }
}
