package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-loop paths (ImageJ/Fiji without the Vector API) and the Vector API paths: every element of both kernels
 * against the definition written here in naive double loops (issue 15), on shapes that are and are not multiples of
 * the vector lane count (and of the kernels' blocks), with padding and rows outside the call checked untouched.
 */
class ScalarPathsTest {
    static final int FL = FloatVector.SPECIES_PREFERRED.length();
    static final int DL = DoubleVector.SPECIES_PREFERRED.length();

    /** n series, nt time points: around the float lane count, the 2-vector chunk, and the 64-row task blocks. */
    static Stream<Arguments> fisherShapes() {
        return Stream.of(new int[][] {{1, 9}, {2, 9}, {7, 12}, {FL - 1, 15}, {FL, 10}, {FL + 1, 20}, {2 * FL + 3, 11},
            {63, 40}, {64, 17}, {65, 33}, {130, 25}, {150, 40}}).map(s -> Arguments.of(s[0], s[1]));
    }

    /**
     * Standardized series (zero mean, unit norm) as float, series-major: every third one shares a component with series
     * 0 so correlations are spread, not all near 0.
     */
    static float[][] series(int n, int nt, long seed) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][nt];
        float[][] f = new float[n][nt];
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
            for (int t = 0; t < nt; t++) f[i][t] = (float) (x[i][t] / Math.sqrt(ss));
        }
        return f;
    }

    @ParameterizedTest(name = "n {0}, nt {1}")
    @MethodSource("fisherShapes")
    void fisherZSumsBothKernelsMatchTheDefinition(int n, int nt) {
        float[][] x = series(n, nt, 7L * n + nt);
        // the definition on the float inputs, in double: sum over j != i of atanh(clip(r_ij, 1 - 1e-7))
        double[] want = new double[n];
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                double r = 0;
                for (int t = 0; t < nt; t++) r += (double) x[i][t] * x[j][t];
                double c = Math.max(-Stats.R_CLIP, Math.min(Stats.R_CLIP, r));
                double z = 0.5 * Math.log((1 + c) / (1 - c));
                want[i] += z;
                // float32 kernels: a dot of unit vectors is off by at most about nt float ulps, times atanh's slope,
                // plus the float rounding of z itself
                tol[i] += (nt + 8) * 0x1p-24 / (1 - c * c) + 1e-6 * Math.abs(z) + 1e-7;
            }
        }
        // scalar: as the JVM without the Vector API calls it, np = n
        float[] zs = new float[n * nt];
        for (int t = 0; t < nt; t++) for (int i = 0; i < n; i++) zs[t * n + i] = x[i][t];
        double[] scalar = FisherZSums.scalar(zs, n, nt);
        assertEquals(n, scalar.length);
        // vector: padded rows of zeros
        int np = FisherZSumsVector.paddedRowsFor(n);
        float[] zv = new float[np * nt];
        for (int t = 0; t < nt; t++) for (int i = 0; i < n; i++) zv[t * np + i] = x[i][t];
        double[] vector = FisherZSumsVector.sums(zv, np, nt);
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], scalar[i], tol[i], "scalar row " + i);
            assertEquals(want[i], vector[i], tol[i], "vector row " + i);
        }
        for (int i = n; i < np; i++) assertEquals(0, vector[i], 0, "vector padding row " + i);
    }

    /**
     * Perfectly correlated and anti-correlated pairs, exactly: series of +-0.5 over 4 time points have zero mean and
     * unit norm in float, and their dot products are exactly 1, -1 or 0. Rows: p, p, p, -q, q (p and q orthogonal), so
     * the sums are 2 Z, 2 Z, 2 Z, -Z, -Z with Z = atanh(clip). The plain loops clip in double at 1 - 1e-7, the
     * definition's value. The vector kernel compares in float32, where 1 - 1e-7 rounds to 1 - 2^-23, and gives
     * clipped lanes the same atanh(1 - 1e-7) (its own series at 1 - 2^-23 would be 0.0879 lower).
     */
    @Test
    void clippedPairsGiveAtanhOfTheClip() {
        float[] p = {0.5f, 0.5f, -0.5f, -0.5f};
        float[] q = {0.5f, -0.5f, 0.5f, -0.5f};
        float[][] x = {p, p.clone(), p.clone(), {-q[0], -q[1], -q[2], -q[3]}, q};
        int n = x.length, nt = 4;
        double zDouble = 0.5 * Math.log((1 + Stats.R_CLIP) / (1 - Stats.R_CLIP));
        double c32 = 1 - 0x1p-23;
        assertEquals(c32, (double) (float) Stats.R_CLIP, 0, "1 - 1e-7 in float32");
        double[] mult = {2, 2, 2, -1, -1};
        float[] zs = new float[n * nt];
        for (int t = 0; t < nt; t++) for (int i = 0; i < n; i++) zs[t * n + i] = x[i][t];
        double[] scalar = FisherZSums.scalar(zs, n, nt);
        int np = FisherZSumsVector.paddedRowsFor(n);
        float[] zv = new float[np * nt];
        for (int t = 0; t < nt; t++) for (int i = 0; i < n; i++) zv[t * np + i] = x[i][t];
        double[] vector = FisherZSumsVector.sums(zv, np, nt);
        for (int i = 0; i < n; i++) {
            assertEquals(mult[i] * zDouble, scalar[i], 1e-12, "scalar row " + i);
            assertEquals(mult[i] * zDouble, vector[i], 1e-5, "vector row " + i + " (the clip's atanh, as the scalar path)");
        }
    }

    /** m output columns around the double lane count and the 2-vector step; kn the inner size; v0 the first row. */
    static Stream<Arguments> gemmShapes() {
        int[] ms = {1, 2, 3, DL - 1, DL, DL + 1, 2 * DL - 1, 2 * DL, 2 * DL + 1, 3 * DL + 1, 4 * DL + 3, 37};
        int[] kns = {1, 5, 13};
        Stream.Builder<Arguments> b = Stream.builder();
        int c = 0;
        for (int m : ms) {
            if (m < 1) continue;
            for (int kn : kns) b.add(Arguments.of(m, kn, 4 * (c++ % 3)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "m {0}, k {1}, rows {2}..")
    @MethodSource("gemmShapes")
    void smallGemmBothKernelsMatchTheDefinition(int m, int kn, int v0) {
        Random rnd = new Random(31L * m + kn);
        int rows = 12, as = kn + 3, os = m + 2;   // strides wider than the rows: the padding must stay as it was
        double[] a = new double[rows * as];
        double[] b = new double[kn * m];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        double[] before = new double[rows * os];
        for (int i = 0; i < before.length; i++) before[i] = rnd.nextGaussian();
        for (boolean subtract : new boolean[] {false, true}) {
            // the definition: rows v0..v0+3, columns 0..m-1 get (out -) sum_k a[v][k] b[k][j]; nothing else changes
            double[] want = before.clone();
            double[] tol = new double[before.length];
            for (int v = v0; v < v0 + 4; v++) {
                for (int j = 0; j < m; j++) {
                    double s = 0, mag = 0;
                    for (int k = 0; k < kn; k++) {
                        s += a[v * as + k] * b[k * m + j];
                        mag += Math.abs(a[v * as + k] * b[k * m + j]);
                    }
                    want[v * os + j] = subtract ? before[v * os + j] - s : s;
                    tol[v * os + j] = 1e-14 * (mag + Math.abs(before[v * os + j]));
                }
            }
            double[] scalar = before.clone();
            double[] vector = before.clone();
            SmallGemm.scalarRows4(a, as, v0, kn, b, m, scalar, os, subtract);
            SmallGemmVector.rows4(a, as, v0, kn, b, m, vector, os, subtract);
            for (int p = 0; p < want.length; p++) {
                String at = "row " + p / os + " column " + p % os + (subtract ? ", subtract" : "");
                assertEquals(want[p], scalar[p], tol[p], "scalar " + at);
                assertEquals(want[p], vector[p], tol[p], "vector " + at);
            }
        }
    }
}
