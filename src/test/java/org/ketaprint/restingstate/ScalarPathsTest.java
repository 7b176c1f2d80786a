package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plain-loop paths (ImageJ/Fiji without the Vector API) against a direct definition and the vector paths. */
class ScalarPathsTest {
    @Test
    void fisherZSumsScalarMatchesTheDefinitionAndTheVectorKernel() {
        int n = 150, nt = 40;
        Random rnd = new Random(7);
        double[][] x = new double[n][nt];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int t = 0; t < nt; t++) {
                x[i][t] = rnd.nextGaussian() + (i % 3 == 0 ? x[0][t] : 0);
                mean += x[i][t] / nt;
            }
            double ss = 0;
            for (int t = 0; t < nt; t++) {
                x[i][t] -= mean;
                ss += x[i][t] * x[i][t];
            }
            for (int t = 0; t < nt; t++) x[i][t] /= Math.sqrt(ss);
        }
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                double r = 0;
                for (int t = 0; t < nt; t++) r += x[i][t] * x[j][t];
                r = Math.max(-Stats.R_CLIP, Math.min(Stats.R_CLIP, r));
                want[i] += 0.5 * Math.log((1 + r) / (1 - r));
            }
        }
        int np = FisherZSumsVector.paddedRowsFor(n);
        float[] zt = new float[np * nt];
        for (int t = 0; t < nt; t++) for (int i = 0; i < n; i++) zt[t * np + i] = (float) x[i][t];
        double[] scalar = FisherZSums.scalar(zt, np, nt);
        double[] vector = FisherZSumsVector.sums(zt, np, nt);
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], scalar[i], 1e-4 * Math.max(1, Math.abs(want[i])), "scalar row " + i);
            assertEquals(vector[i], scalar[i], 1e-4 * Math.max(1, Math.abs(want[i])), "vector row " + i);
        }
        for (int i = n; i < np; i++) assertEquals(0, scalar[i], 0);
    }

    @Test
    void smallGemmScalarMatchesTheVectorKernel() {
        Random rnd = new Random(3);
        int rows = 8, kn = 13, m = 37;
        double[] a = new double[rows * kn];
        double[] b = new double[kn * m];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        for (boolean subtract : new boolean[] {false, true}) {
            double[] o1 = new double[rows * m];
            double[] o2 = new double[rows * m];
            for (int i = 0; i < o1.length; i++) o1[i] = o2[i] = rnd.nextGaussian();
            SmallGemm.scalarRows4(a, kn, 4, kn, b, m, o1, m, subtract);
            SmallGemmVector.rows4(a, kn, 4, kn, b, m, o2, m, subtract);
            for (int i = 0; i < o1.length; i++) assertEquals(o2[i], o1[i], 1e-12);
            double direct = 0;
            for (int k = 0; k < kn; k++) direct += a[5 * kn + k] * b[k * m + 3];
            if (!subtract) assertEquals(direct, o1[5 * m + 3], 1e-12);
        }
    }
}
