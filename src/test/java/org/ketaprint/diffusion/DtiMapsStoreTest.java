package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * What DtiMaps stores per voxel (FA by its definition, MD/AD/RD/L2/L3/S0, V1 with its largest component made
 * positive, NaN everywhere for a bad voxel), the counters, and the geometry of the written files (issue 15).
 */
class DtiMapsStoreTest {
    static final int N = 6;

    static DtiMaps maps() {
        return new DtiMaps(new Grid(new int[] {3, 2, 1}, Affine.identity()));
    }

    static double fa(double a, double b, double c) {
        double num = (a - b) * (a - b) + (b - c) * (b - c) + (c - a) * (c - a);
        return Math.sqrt(0.5 * num / (a * a + b * b + c * c));
    }

    /** v1 of voxel p, as three components. */
    static float[] v1(DtiMaps m, int p) {
        return new float[] {m.v1[p], m.v1[N + p], m.v1[2 * N + p]};
    }

    @Test
    void scalarsFollowTheirDefinitions() {
        DtiMaps m = maps();
        double[] ev = {1.7e-3, 0.5e-3, 0.2e-3};
        m.set(4, ev, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 812.5);
        assertEquals((float) fa(1.7e-3, 0.5e-3, 0.2e-3), m.fa[4]);
        assertEquals((float) (2.4e-3 / 3), m.md[4], 1e-12f);
        assertEquals((float) 1.7e-3, m.ad[4]);
        assertEquals((float) 0.35e-3, m.rd[4], 1e-12f);
        assertEquals((float) 0.5e-3, m.l2[4]);
        assertEquals((float) 0.2e-3, m.l3[4]);
        assertEquals(812.5f, m.s0[4]);
        assertArrayEquals(new float[] {1, 0, 0}, v1(m, 4));
        for (int p = 0; p < N; p++) if (p != 4) assertEquals(0f, m.fa[p] + m.md[p] + m.s0[p] + m.v1[p] + m.v1[N + p] + m.v1[2 * N + p]);
        m.set(1, new double[] {0, 0, 0}, new double[] {0, 0, 1, 0, 1, 0, 1, 0, 0}, 3);
        assertEquals(0f, m.fa[1]);   // zero tensor: FA 0, not NaN
        assertArrayEquals(new float[] {0, 0, 1}, v1(m, 1));
    }

    @Test
    void v1LargestComponentIsMadePositive() {
        DtiMaps m = maps();
        // largest |component| is y (negative): flipped; the second eigenvector's 0.95 must not be looked at
        m.set(0, new double[] {3, 2, 1}, new double[] {0.6, -0.8, 0, 0.95, 0.3, 0.1, 0, 0, 1}, 1);
        assertArrayEquals(new float[] {-0.6f, 0.8f, -0f}, v1(m, 0));
        // largest is z, positive: kept although x is negative
        m.set(2, new double[] {3, 2, 1}, new double[] {-0.36, 0.48, 0.8, 0, 0, 0, 0, 0, 0}, 1);
        assertArrayEquals(new float[] {-0.36f, 0.48f, 0.8f}, v1(m, 2));
        // largest is x, negative: flipped
        m.set(3, new double[] {3, 2, 1}, new double[] {-0.8, 0.6, 0, 0, 0, 0, 0, 0, 0}, 1);
        assertArrayEquals(new float[] {0.8f, -0.6f, -0f}, v1(m, 3));
        // tie between x and y: the first (x) decides
        double h = Math.sqrt(0.5);
        m.set(5, new double[] {3, 2, 1}, new double[] {-h, h, 0, 0, 0, 0, 0, 0, 0}, 1);
        assertArrayEquals(new float[] {(float) h, (float) -h, -0f}, v1(m, 5));
    }

    @Test
    void setNaNBlanksEveryMapOfThatVoxelOnly() {
        DtiMaps m = maps();
        for (int p = 0; p < N; p++) m.set(p, new double[] {3, 2, 1}, new double[] {0, 1, 0, 0, 0, 0, 0, 0, 0}, 5);
        m.setNaN(2);
        for (String name : new String[] {"FA", "MD", "AD", "RD", "L2", "L3", "S0"}) {
            float[] a = m.map(name);
            for (int p = 0; p < N; p++) assertEquals(p == 2, Float.isNaN(a[p]), name + " " + p);
        }
        for (int i = 0; i < 3 * N; i++) assertEquals(i % N == 2, Float.isNaN(m.v1[i]), "v1 " + i);
    }

    @Test
    void countersAccumulate() {
        DtiMaps m = maps();
        m.addCounts(10, 3, 2);
        m.addCounts(5, 1, 0);
        assertEquals(11, m.fitted());
        assertEquals(4, m.nonfinite());
        assertEquals(2, m.wlsFallback());
    }

    @Test
    void filesTakeTheGridAffineOrTheLikeImageHeader(@TempDir Path tmp) {
        Affine a = new Affine(new double[][] {{2, 0, 0, -10}, {0, 2, 0, 20}, {0, 0, 3, 5}, {0, 0, 0, 1}});
        Grid g = new Grid(new int[] {3, 2, 1}, a);
        Path[] plain = new DtiMaps(g).write(tmp.resolve("plain").toString());
        NiftiImage fa = NiftiImage.load(plain[0]);
        assertEquals(2, fa.header().sformCode);
        assertArrayEquals(new long[] {3, 2, 1}, java.util.Arrays.copyOf(fa.shape(), 3));
        assertTrue(plain[4].toString().endsWith("plain_V1.nii.gz"));
        assertEquals(3, NiftiImage.load(plain[4]).shape()[3]);
        Path likeFile = tmp.resolve("like.nii");
        NiftiWriter.write(likeFile, NiftiWriter.Spec.of(new long[] {3, 2, 1}, a, DataType.FLOAT32).codes(1, 1), new float[6]);
        NiftiImage like = NiftiImage.load(likeFile);
        Path[] out = new DtiMaps(g, like).writeBids(tmp, "sub-01", DtiMaps.NAMES, org.ketaprint.nifti.Compression.DEFAULT);
        assertEquals(1, NiftiImage.load(out[0]).header().sformCode);
        assertEquals(1, NiftiImage.load(out[5]).header().sformCode);
    }
}
