package org.ketaprint.restingstate;

import java.util.stream.IntStream;

/**
 * For n standardized series (zero mean, unit norm), the sum over every other series of
 * atanh(clip(r, |r| &lt;= 1 - 1e-7)), with r the dot product: the core of GBC. Blocked, each pair once, all
 * cores; on the JDK Vector API when the JVM has it ({@link FisherZSumsVector}), else in plain loops.
 * Input is time-major: {@code zt[t * np + i]}.
 */
public final class FisherZSums {
    private FisherZSums() {
    }

    /** Pads n up to what {@link #sums} needs. */
    public static int paddedRows(int n) {
        return VectorApi.PRESENT ? FisherZSumsVector.paddedRowsFor(n) : Math.max(1, n);
    }

    /**
     * @param zt time-major standardized series, {@code nt} x {@code np} ({@code np = paddedRows(n)}; padding
     *           series are all zero and add nothing)
     * @return per series, the sum of atanh over every other series
     */
    public static double[] sums(float[] zt, int np, int nt) {
        return VectorApi.PRESENT ? FisherZSumsVector.sums(zt, np, nt) : scalar(zt, np, nt);
    }

    /** The same sums in plain loops (series-major copy, 64-row blocks in parallel). */
    static double[] scalar(float[] zt, int np, int nt) {
        float[] zv = new float[np * nt];
        for (int t = 0; t < nt; t++) {
            for (int i = 0; i < np; i++) zv[i * nt + t] = zt[t * np + i];
        }
        double clip = Stats.R_CLIP;
        int block = 64;
        double[][] part = new double[(np + block - 1) / block][];
        IntStream.range(0, part.length).parallel().forEach(b -> {
            double[] acc = new double[np];
            for (int i = b * block; i < Math.min(np, (b + 1) * block); i++) {
                int io = i * nt;
                for (int j = i + 1; j < np; j++) {
                    int jo = j * nt;
                    float d = 0;
                    for (int t = 0; t < nt; t++) d += zv[io + t] * zv[jo + t];
                    double r = Math.max(-clip, Math.min(clip, d));
                    double z = 0.5 * Math.log((1 + r) / (1 - r));
                    acc[i] += z;
                    acc[j] += z;
                }
            }
            part[b] = acc;
        });
        double[] out = new double[np];
        for (double[] p : part) for (int i = 0; i < np; i++) out[i] += p[i];
        return out;
    }
}
