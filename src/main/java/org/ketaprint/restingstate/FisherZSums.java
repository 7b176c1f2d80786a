package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * For n standardized series (zero mean, unit norm), the sum over every other series of
 * atanh(clip(r, |r| &lt;= 1 - 1e-7)), with r the dot product: the core of GBC. Blocked (the n x n matrix is
 * never held), each pair computed once (j &gt; i, added to both rows), float32 FMA on the JDK Vector API,
 * sums in double, all cores. Input is time-major: {@code zt[t * n + i]}.
 */
public final class FisherZSums {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per chunk: two vectors. */
    private static final int CW = 2 * L;
    /** Rows per micro-kernel. */
    private static final int R = 8;
    /** Rows per task. */
    private static final int BI = 64;
    private static final float CLIP = (float) Stats.R_CLIP;

    private FisherZSums() {
    }

    /** Pads n up to what {@link #sums} needs (a multiple of both the chunk and the task width). */
    public static int paddedRows(int n) {
        int m = Math.max(BI, CW);
        return (n + m - 1) / m * m;
    }

    /**
     * @param zt time-major standardized series, {@code nt} x {@code np} ({@code np = paddedRows(n)}; padding
     *           series are all zero and add nothing)
     * @return per series, the sum of atanh over every other series
     */
    public static double[] sums(float[] zt, int np, int nt) {
        if (np % BI != 0 || np % CW != 0) throw new IllegalArgumentException("rows not padded: " + np);
        List<double[]> partials = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<double[]> local = ThreadLocal.withInitial(() -> {
            double[] a = new double[np];
            partials.add(a);
            return a;
        });
        int tasks = np / BI;
        // largest tasks first (row block 0 pairs with every column)
        IntStream.range(0, tasks).parallel().forEach(b -> block(zt, np, nt, b * BI, local.get()));
        double[] out = new double[np];
        for (double[] p : partials) for (int i = 0; i < np; i++) out[i] += p[i];
        return out;
    }

    private static void block(float[] zt, int np, int nt, int i0, double[] acc) {
        float[] tmp = new float[CW];
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector clip = FloatVector.broadcast(S, CLIP);
        FloatVector nclip = FloatVector.broadcast(S, -CLIP);
        for (int j0 = (i0 / CW) * CW; j0 < np; j0 += CW) {
            for (int g = i0; g < i0 + BI; g += R) {
                if (j0 + CW <= g) continue; // every j in the chunk is below every row: done elsewhere
                FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00,
                    a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00,
                    a70 = a00, a71 = a00;
                for (int t = 0, o = 0; t < nt; t++, o += np) {
                    FloatVector b0 = FloatVector.fromArray(S, zt, o + j0);
                    FloatVector b1 = FloatVector.fromArray(S, zt, o + j0 + L);
                    FloatVector x = FloatVector.broadcast(S, zt[o + g]);
                    a00 = x.fma(b0, a00);
                    a01 = x.fma(b1, a01);
                    x = FloatVector.broadcast(S, zt[o + g + 1]);
                    a10 = x.fma(b0, a10);
                    a11 = x.fma(b1, a11);
                    x = FloatVector.broadcast(S, zt[o + g + 2]);
                    a20 = x.fma(b0, a20);
                    a21 = x.fma(b1, a21);
                    x = FloatVector.broadcast(S, zt[o + g + 3]);
                    a30 = x.fma(b0, a30);
                    a31 = x.fma(b1, a31);
                    x = FloatVector.broadcast(S, zt[o + g + 4]);
                    a40 = x.fma(b0, a40);
                    a41 = x.fma(b1, a41);
                    x = FloatVector.broadcast(S, zt[o + g + 5]);
                    a50 = x.fma(b0, a50);
                    a51 = x.fma(b1, a51);
                    x = FloatVector.broadcast(S, zt[o + g + 6]);
                    a60 = x.fma(b0, a60);
                    a61 = x.fma(b1, a61);
                    x = FloatVector.broadcast(S, zt[o + g + 7]);
                    a70 = x.fma(b0, a70);
                    a71 = x.fma(b1, a71);
                }
                boolean diag = j0 <= g + R - 1; // the chunk reaches j <= i for some row: keep only j > i
                FloatVector c0 = FloatVector.zero(S), c1 = c0;
                FloatVector[] rows = {a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51, a60, a61, a70, a71};
                for (int k = 0; k < R; k++) {
                    FloatVector z0 = atanh(rows[2 * k], half, one, clip, nclip);
                    FloatVector z1 = atanh(rows[2 * k + 1], half, one, clip, nclip);
                    if (diag) {
                        int i = g + k;
                        z0 = z0.blend(0f, above(j0, i).not());
                        z1 = z1.blend(0f, above(j0 + L, i).not());
                    }
                    acc[g + k] += z0.reduceLanes(VectorOperators.ADD) + z1.reduceLanes(VectorOperators.ADD);
                    c0 = c0.add(z0);
                    c1 = c1.add(z1);
                }
                c0.intoArray(tmp, 0);
                c1.intoArray(tmp, L);
                for (int j = 0; j < CW; j++) acc[j0 + j] += tmp[j];
            }
        }
    }

    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    /** Lanes with j0 + lane &gt; i. */
    private static VectorMask<Float> above(int j0, int i) {
        return IOTA.compare(VectorOperators.GT, (float) (i - j0));
    }

    private static FloatVector atanh(FloatVector r, FloatVector half, FloatVector one, FloatVector clip, FloatVector nclip) {
        FloatVector c = r.min(clip).max(nclip);
        return one.add(c).div(one.sub(c)).lanewise(VectorOperators.LOG).mul(half);
    }
}
