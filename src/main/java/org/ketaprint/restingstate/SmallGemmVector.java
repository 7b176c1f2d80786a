package org.ketaprint.restingstate;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * out[v][0..m) (+)= sum_k a[v][k] * b[k][0..m) for 4 rows v at a time, double precision on the JDK Vector
 * API: the projection's two products (coefficients, then fits). Rows of a and out are contiguous with the
 * given strides; b is k x m row-major.
 */
final class SmallGemmVector {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SmallGemmVector() {
    }

    /**
     * For rows v0..v0+4 (all must exist): out[v*os + j] = (subtract ? out - : ) sum_k a[v*as + k] * b[k*m + j].
     */
    static void rows4(double[] a, int as, int v0, int kn, double[] b, int m, double[] out, int os, boolean subtract) {
        int a0 = v0 * as, a1 = a0 + as, a2 = a1 + as, a3 = a2 + as;
        int o0 = v0 * os, o1 = o0 + os, o2 = o1 + os, o3 = o2 + os;
        int j = 0;
        for (; j + 2 * L <= m; j += 2 * L) {
            DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int k = 0, bo = j; k < kn; k++, bo += m) {
                DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
                DoubleVector b1 = DoubleVector.fromArray(S, b, bo + L);
                DoubleVector x = DoubleVector.broadcast(S, a[a0 + k]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = DoubleVector.broadcast(S, a[a1 + k]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = DoubleVector.broadcast(S, a[a2 + k]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = DoubleVector.broadcast(S, a[a3 + k]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
            }
            store(c00, out, o0 + j, subtract);
            store(c01, out, o0 + j + L, subtract);
            store(c10, out, o1 + j, subtract);
            store(c11, out, o1 + j + L, subtract);
            store(c20, out, o2 + j, subtract);
            store(c21, out, o2 + j + L, subtract);
            store(c30, out, o3 + j, subtract);
            store(c31, out, o3 + j + L, subtract);
        }
        for (; j < m; j += L) {
            VectorMask<Double> mk = S.indexInRange(j, m);
            DoubleVector c0 = DoubleVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int k = 0, bo = j; k < kn; k++, bo += m) {
                DoubleVector b0 = DoubleVector.fromArray(S, b, bo, mk);
                c0 = DoubleVector.broadcast(S, a[a0 + k]).fma(b0, c0);
                c1 = DoubleVector.broadcast(S, a[a1 + k]).fma(b0, c1);
                c2 = DoubleVector.broadcast(S, a[a2 + k]).fma(b0, c2);
                c3 = DoubleVector.broadcast(S, a[a3 + k]).fma(b0, c3);
            }
            store(c0, out, o0 + j, subtract, mk);
            store(c1, out, o1 + j, subtract, mk);
            store(c2, out, o2 + j, subtract, mk);
            store(c3, out, o3 + j, subtract, mk);
        }
    }

    private static void store(DoubleVector c, double[] out, int o, boolean subtract) {
        if (subtract) c = DoubleVector.fromArray(S, out, o).sub(c);
        c.intoArray(out, o);
    }

    private static void store(DoubleVector c, double[] out, int o, boolean subtract, VectorMask<Double> mk) {
        if (subtract) c = DoubleVector.fromArray(S, out, o, mk).sub(c);
        c.intoArray(out, o, mk);
    }
}
