package org.ketaprint.restingstate;

/**
 * out[v][0..m) (+)= sum_k a[v][k] * b[k][0..m) for 4 rows v at a time (the projection's two products):
 * on the Vector API when the JVM has it, else in plain loops. Rows of a and out are contiguous with the
 * given strides; b is k x m row-major.
 */
public final class SmallGemm {
    private SmallGemm() {
    }

    public static void rows4(double[] a, int as, int v0, int kn, double[] b, int m, double[] out, int os, boolean subtract) {
        if (VectorApi.PRESENT) {
            SmallGemmVector.rows4(a, as, v0, kn, b, m, out, os, subtract);
        } else {
            scalarRows4(a, as, v0, kn, b, m, out, os, subtract);
        }
    }

    static void scalarRows4(double[] a, int as, int v0, int kn, double[] b, int m, double[] out, int os, boolean subtract) {
        double[] acc = new double[m];
        for (int r = 0; r < 4; r++) {
            int ao = (v0 + r) * as;
            int oo = (v0 + r) * os;
            java.util.Arrays.fill(acc, 0);
            for (int k = 0, bo = 0; k < kn; k++, bo += m) {
                double x = a[ao + k];
                for (int j = 0; j < m; j++) acc[j] += x * b[bo + j];
            }
            for (int j = 0; j < m; j++) out[oo + j] = subtract ? out[oo + j] - acc[j] : acc[j];
        }
    }
}
