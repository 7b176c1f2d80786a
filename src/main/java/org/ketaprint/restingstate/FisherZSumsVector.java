package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * For n standardized series (zero mean, unit norm), the sum over every other series of
 * atanh(clip(r, |r| &lt;= 1 - 1e-7)), with r the dot product: the core of GBC. Blocked (the n x n matrix is
 * never held), each pair computed once (j &gt; i, added to both rows), float32 FMA on the JDK Vector API,
 * sums in double, all cores. Input is time-major: {@code zt[t * n + i]}.
 */
final class FisherZSumsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per chunk: two vectors. */
    private static final int CW = 2 * L;
    /** Rows per micro-kernel. */
    private static final int R = 8;
    /** Rows per task. */
    private static final int BI = 64;
    private static final float CLIP = (float) Stats.R_CLIP;
    /** atanh(1 - 1e-7) as the scalar path and the reference give it (float 1 - 2^-23 would give 0.088 less). */
    private static final float Z_CLIP = (float) (0.5 * Math.log((1 + Stats.R_CLIP) / (1 - Stats.R_CLIP)));

    private FisherZSumsVector() {
    }

    /** Pads n up to what {@link #sums} needs (a multiple of both the chunk and the task width). */
    static int paddedRowsFor(int n) {
        int m = Math.max(BI, CW);
        return (n + m - 1) / m * m;
    }

    /**
     * @param zt time-major standardized series, {@code nt} x {@code np} ({@code np = paddedRows(n)}; padding
     *           series are all zero and add nothing)
     * @return per series, the sum of atanh over every other series
     */
    static double[] sums(float[] zt, int np, int nt) {
        if (np % BI != 0 || np % CW != 0) throw new IllegalArgumentException("rows not padded: " + np);
        List<double[]> partials = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<double[]> local = ThreadLocal.withInitial(() -> {
            double[] a = new double[np];
            partials.add(a);
            return a;
        });
        int tasks = np / BI;
        // row block b pairs with every column from b on: block b and block tasks-1-b together are one unit of
        // equal work, so the cores finish together (in order, the first half held 3/4 of the pairs)
        IntStream.range(0, (tasks + 1) / 2).parallel().forEach(u -> {
            block(zt, np, nt, u * BI, local.get());
            if (tasks - 1 - u != u) block(zt, np, nt, (tasks - 1 - u) * BI, local.get());
        });
        double[] out = new double[np];
        for (double[] p : partials) for (int i = 0; i < np; i++) out[i] += p[i];
        return out;
    }

    private static void block(float[] zt, int np, int nt, int i0, double[] acc) {
        float[] tmp = new float[CW];
        float[] dots = new float[R * CW];
        for (int j0 = (i0 / CW) * CW; j0 < np; j0 += CW) {
            for (int g = i0; g < i0 + BI; g += R) {
                if (j0 + CW <= g) continue; // every j in the chunk is below every row: done elsewhere
                kernel(zt, np, nt, g, j0, dots);
                boolean diag = j0 <= g + R - 1; // the chunk reaches j <= i for some row: keep only j > i
                java.util.Arrays.fill(tmp, 0f);
                for (int k = 0; k < R; k++) finish(dots, 2 * k * L, g + k, j0, diag, acc, tmp);
                for (int j = 0; j < CW; j++) acc[j0 + j] += tmp[j];
            }
        }
    }

    /** dots[k * CW + c] = sum_t zt[t][g + k] * zt[t][j0 + c], k &lt; 8, c &lt; 2L: an 8 x 2-vector register block. */
    private static void kernel(float[] zt, int np, int nt, int g, int j0, float[] dots) {
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
        a00.intoArray(dots, 0);
        a01.intoArray(dots, L);
        a10.intoArray(dots, 2 * L);
        a11.intoArray(dots, 3 * L);
        a20.intoArray(dots, 4 * L);
        a21.intoArray(dots, 5 * L);
        a30.intoArray(dots, 6 * L);
        a31.intoArray(dots, 7 * L);
        a40.intoArray(dots, 8 * L);
        a41.intoArray(dots, 9 * L);
        a50.intoArray(dots, 10 * L);
        a51.intoArray(dots, 11 * L);
        a60.intoArray(dots, 12 * L);
        a61.intoArray(dots, 13 * L);
        a70.intoArray(dots, 14 * L);
        a71.intoArray(dots, 15 * L);
    }

    /** Row i's dot products with columns j0.. (two vectors): atanh, row sum into acc[i], column sums into tmp. */
    private static void finish(float[] dots, int off, int i, int j0, boolean diag, double[] acc, float[] tmp) {
        FloatVector z0 = atanh(FloatVector.fromArray(S, dots, off));
        FloatVector z1 = atanh(FloatVector.fromArray(S, dots, off + L));
        if (diag) {
            z0 = z0.blend(0f, above(j0, i).not());
            z1 = z1.blend(0f, above(j0 + L, i).not());
        }
        acc[i] += z0.reduceLanes(VectorOperators.ADD) + z1.reduceLanes(VectorOperators.ADD);
        FloatVector.fromArray(S, tmp, 0).add(z0).intoArray(tmp, 0);
        FloatVector.fromArray(S, tmp, L).add(z1).intoArray(tmp, L);
    }

    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    /** Lanes with j0 + lane &gt; i. */
    private static VectorMask<Float> above(int j0, int i) {
        return IOTA.compare(VectorOperators.GT, (float) (i - j0));
    }

    private static final float LN2 = (float) Math.log(2);
    private static final float SQRT2 = (float) Math.sqrt(2);

    /**
     * atanh of clipped r = 0.5 log q, q = (1 + r) / (1 - r), with log q = e ln 2 + log m (q = 2^e m,
     * m in [sqrt(1/2), sqrt(2))) and log m = 2 atanh-series in s = (m - 1)/(m + 1), |s| &lt; 0.172, to s^9:
     * relative error below 1e-9 before float rounding. (The Vector API's LOG is not intrinsified on JDK 17.)
     */
    static FloatVector atanh(FloatVector r) {
        FloatVector c = r.min(CLIP).max(-CLIP);
        FloatVector q = c.add(1f).div(c.neg().add(1f));
        IntVector bits = q.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), big);
        FloatVector ef = ((FloatVector) e.convert(VectorOperators.I2F, 0)).blend(
            ((FloatVector) e.convert(VectorOperators.I2F, 0)).add(1f), big);
        FloatVector s = m.sub(1f).div(m.add(1f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.mul(1f / 9).add(1f / 7);
        p = p.mul(s2).add(1f / 5);
        p = p.mul(s2).add(1f / 3);
        p = p.mul(s2).add(1f);
        // 0.5 * (e ln2 + 2 s p); clipped lanes get the clip's atanh
        FloatVector z = ef.mul(0.5f * LN2).add(s.mul(p));
        return z.blend(Z_CLIP, r.compare(VectorOperators.GE, CLIP)).blend(-Z_CLIP, r.compare(VectorOperators.LE, -CLIP));
    }
}
