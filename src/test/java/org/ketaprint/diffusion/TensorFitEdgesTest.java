package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;

/**
 * The tensor fit's edges (issue 15, mutants that survived): a mask of the wrong size, no mask, slab sizes, a
 * non-NIfTI image, high b-values with no axis-aligned direction, WLS falling back to OLS, the smallest design.
 */
class TensorFitEdgesTest {
    @TempDir
    Path tmp;

    /** b0 plus {@code dirs} random unit directions at b. */
    static Gradients randomTable(int dirs, double b, long seed) {
        Random r = new Random(seed);
        double[] bv = new double[dirs + 1];
        double[][] g = new double[dirs + 1][];
        g[0] = new double[] {0, 0, 0};
        for (int i = 1; i <= dirs; i++) {
            double x = r.nextGaussian(), y = r.nextGaussian(), z = r.nextGaussian(), nn = Math.sqrt(x * x + y * y + z * z);
            g[i] = new double[] {x / nn, y / nn, z / nn};
            bv[i] = b;
        }
        return Gradients.of(bv, g, "random");
    }

    /** A 4x3x2 volume series (x fastest) from the phantom's voxel-major signals. */
    static float[] volumeMajor(float[] sig, int nv, int n) {
        float[] f = new float[nv * n];
        for (int v = 0; v < nv; v++) for (int t = 0; t < n; t++) f[t * nv + v] = sig[v * n + t];
        return f;
    }

    Path nifti(float[] data, int n) {
        Path p = tmp.resolve("dwi.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {4, 3, 2, n}, Affine.identity(), DataType.FLOAT32), data);
        return p;
    }

    /** The same series as a FreeSurfer .mgh (big-endian float, frames last), read by MghImage. */
    Path mgh(float[] data, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(284 + 4 * data.length);
        b.putInt(0, 1).putInt(4, 4).putInt(8, 3).putInt(12, 2).putInt(16, n).putInt(20, 3);
        b.position(284);
        for (float v : data) b.putFloat(v);
        Path p = tmp.resolve("dwi.mgh");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void maskOfAnotherSizeIsRefused() {
        Gradients g = randomTable(12, 1000, 1);
        PhantomTest.Phantom ph = new PhantomTest.Phantom(g, 5);
        Image dwi = Images.open(nifti(volumeMajor(ph.sig, 24, g.count()), g.count()));
        TensorFit f = new TensorFit(g, TensorFit.Method.WLS);
        assertThrows(IllegalArgumentException.class, () -> f.fit(dwi, new boolean[23], 1 << 20));
    }

    @Test
    void noMaskSlabSizesAndImageKindsGiveTheSameMaps() throws IOException {
        Gradients g = randomTable(12, 1000, 2);
        PhantomTest.Phantom ph = new PhantomTest.Phantom(g, 6);
        int n = g.count();
        float[] series = volumeMajor(ph.sig, 24, n);
        boolean[] all = new boolean[24];
        java.util.Arrays.fill(all, true);
        boolean[] some = all.clone();
        some[0] = some[13] = some[23] = false;
        TensorFit f = new TensorFit(g, TensorFit.Method.WLS);
        Image nii = Images.open(nifti(series, n));
        DtiMaps ref = f.fit(nii, null, 1 << 20);
        for (int v = 0; v < 24; v++) assertEquals(PhantomTest.faOf(ph.evals[v]), ref.fa[v], 1e-5, "FA voxel " + v);
        for (Image img : new Image[] {nii, Images.open(mgh(series, n))}) {
            for (long slab : new long[] {1, 12L * n, 12L * n + 1, 1 << 20}) {
                assertArrayEquals(ref.fa, f.fit(img, all, slab).fa, img.path() + " slab " + slab);
                DtiMaps m = f.fit(img, some, slab);
                for (int v = 0; v < 24; v++) {
                    if (some[v]) assertEquals(ref.fa[v], m.fa[v], 0.0, "masked fit voxel " + v);
                    else assertEquals(0f, m.fa[v], "outside the mask voxel " + v);
                }
                assertEquals(21, m.fitted());
            }
        }
    }

    @Test
    void highBValuesWithoutAxisDirectionsRecoverKnownTensors() {
        for (double b : new double[] {2000, 3000}) {
            Gradients g = randomTable(30, b, 3);
            PhantomTest.Phantom ph = new PhantomTest.Phantom(g, 8);
            for (TensorFit.Method m : TensorFit.Method.values()) {
                DtiMaps d = PhantomTest.fit(g, ph.sig, m);
                for (int v = 0; v < PhantomTest.NV; v++) {
                    double[] l = ph.evals[v];
                    assertEquals(PhantomTest.faOf(l), d.fa[v], 1e-5, "b " + b + " " + m + " FA voxel " + v);
                    assertEquals(l[0], d.ad[v], 1e-5 * l[0], "b " + b + " " + m + " AD voxel " + v);
                    assertEquals((l[1] + l[2]) / 2, d.rd[v], 1e-5 * l[0], "b " + b + " " + m + " RD voxel " + v);
                    assertEquals(ph.s0[v], d.s0[v], 1e-4 * ph.s0[v], "b " + b + " " + m + " S0 voxel " + v);
                }
            }
        }
    }

    @Test
    void sevenVolumesAreEnoughSixAreNot() {
        Gradients seven = randomTable(6, 1000, 9);
        PhantomTest.Phantom ph = new PhantomTest.Phantom(seven, 10);
        DtiMaps d = PhantomTest.fit(seven, ph.sig, TensorFit.Method.OLS);
        for (int v = 0; v < PhantomTest.NV; v++) assertEquals(PhantomTest.faOf(ph.evals[v]), d.fa[v], 1e-5, "voxel " + v);
        assertThrows(KetaprintException.class, () -> new TensorFit(randomTable(5, 1000, 9), TensorFit.Method.OLS));
        double[][] collinear = new double[8][];
        double[] bv = new double[8];
        collinear[0] = new double[] {0, 0, 0};
        for (int i = 1; i < 8; i++) {
            collinear[i] = new double[] {1, 0, 0};
            bv[i] = 1000;
        }
        assertThrows(KetaprintException.class, () -> new TensorFit(Gradients.of(bv, collinear, "x only"), TensorFit.Method.OLS));
    }
}
