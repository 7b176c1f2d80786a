package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * With the Vector API in the JVM the entry points run the Vector API kernels (bit for bit: the plain loops round
 * differently), and the GBC kernel pads its rows to the least multiple of its block that holds them (issue 15).
 */
class KernelDispatchTest {
    @Test
    void paddingIsTheLeastMultipleOfTheBlock() {
        int block = Math.max(64, 2 * FloatVector.SPECIES_PREFERRED.length());
        for (int n : new int[] {1, 2, block - 1, block, block + 1, 2 * block, 3 * block - 1}) {
            int want = ((n + block - 1) / block) * block;
            assertEquals(want, FisherZSumsVector.paddedRowsFor(n), "n = " + n);
        }
    }

    @Test
    void fisherZSumsRunsTheVectorKernel() {
        assumeTrue(VectorApi.PRESENT);
        // one 64-row task: a single partial sum, so the vector kernel's result is deterministic
        int n = 50, nt = 30, np = FisherZSums.paddedRows(n);
        assertEquals(FisherZSumsVector.paddedRowsFor(n), np);
        float[][] x = ScalarPathsTest.series(n, nt, 3);
        float[] zt = new float[np * nt];
        for (int t = 0; t < nt; t++) for (int i = 0; i < n; i++) zt[t * np + i] = x[i][t];
        assertArrayEquals(FisherZSumsVector.sums(zt, np, nt), FisherZSums.sums(zt, np, nt));
    }

    @Test
    void smallGemmRunsTheVectorKernel() {
        assumeTrue(VectorApi.PRESENT);
        Random rnd = new Random(8);
        int kn = 23, m = 19;
        double[] a = new double[8 * kn], b = new double[kn * m];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        double[] want = new double[8 * m], got = new double[8 * m];
        SmallGemmVector.rows4(a, kn, 4, kn, b, m, want, m, false);
        SmallGemm.rows4(a, kn, 4, kn, b, m, got, m, false);
        assertArrayEquals(want, got);
    }
}
