package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/** Noise-free signals from known tensors: the fit must recover them (FA to 1e-6). */
class PhantomTest {
    static final int NV = 200;

    /** Gradient table: DIPY's 64-direction scheme, with b=15 and b=0 volumes. */
    static Gradients table() {
        Gradients s = Gradients.read(Path.of("test-data/diffusion/small_64D.bval"), Path.of("test-data/diffusion/small_64D.bvec"), null);
        int n = s.count() + 1;
        double[] b = new double[n];
        double[][] g = new double[n][];
        for (int i = 0; i < s.count(); i++) {
            b[i] = s.bval(i);
            g[i] = s.bvec(i);
        }
        b[n - 1] = 15;   // a low-b volume must be fitted with b = 15, not as b0
        g[n - 1] = new double[] {0.6, 0.8, 0};
        return Gradients.of(b, g, "phantom");
    }

    /** Known eigenvalues per voxel, rotated by a random rotation; S0 random. */
    static final class Phantom {
        final double[][] evals = new double[NV][];
        final double[][] e1 = new double[NV][];
        final double[] s0 = new double[NV];
        final float[] sig;

        Phantom(Gradients g, long seed) {
            Random r = new Random(seed);
            int n = g.count();
            sig = new float[NV * n];
            for (int v = 0; v < NV; v++) {
                double a = 0.5e-3 + 1.5e-3 * r.nextDouble(), b = 0.2e-3 + 0.6e-3 * r.nextDouble(), c = 0.1e-3 + 0.3e-3 * r.nextDouble();
                if (v == 0) {
                    a = b = c = 0.8e-3; // isotropic: FA 0
                }
                double[] ev = {a, Math.min(a, b), Math.min(Math.min(a, b), c)};
                evals[v] = ev;
                double[][] q = rotation(r);
                e1[v] = new double[] {q[0][0], q[1][0], q[2][0]};
                double[][] d = new double[3][3];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) d[i][j] += q[i][k] * ev[k] * q[j][k];
                s0[v] = 100 + 900 * r.nextDouble();
                for (int t = 0; t < n; t++) {
                    double[] u = g.bvec(t);
                    double q2 = 0;
                    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) q2 += u[i] * d[i][j] * u[j];
                    sig[v * n + t] = (float) (s0[v] * Math.exp(-g.bval(t) * q2));
                }
            }
        }

        static double[][] rotation(Random r) {
            double[] qv = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double nn = Math.sqrt(qv[0] * qv[0] + qv[1] * qv[1] + qv[2] * qv[2] + qv[3] * qv[3]);
            double w = qv[0] / nn, x = qv[1] / nn, y = qv[2] / nn, z = qv[3] / nn;
            return new double[][] {
                {1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
                {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
                {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}};
        }
    }

    static DtiMaps fit(Gradients g, float[] sig, TensorFit.Method m) {
        DtiMaps out = new DtiMaps(new Grid(new int[] {NV, 1, 1}, Affine.identity()), null);
        int[] vox = new int[NV];
        for (int i = 0; i < NV; i++) vox[i] = i;
        new TensorFit(g, m).fitVoxels(sig, vox, out);
        return out;
    }

    static double faOf(double[] l) {
        double mean = (l[0] + l[1] + l[2]) / 3;
        double num = 0, den = 0;
        for (double x : l) {
            num += (x - mean) * (x - mean);
            den += x * x;
        }
        return Math.sqrt(1.5 * num / den);   // the textbook form, not the code's
    }

    @Test
    void recoversKnownTensors() {
        Gradients g = table();
        Phantom ph = new Phantom(g, 42);
        for (TensorFit.Method m : TensorFit.Method.values()) {
            DtiMaps d = fit(g, ph.sig, m);
            for (int v = 0; v < NV; v++) {
                double[] l = ph.evals[v];
                assertEquals(faOf(l), d.fa[v], 1e-6, m + " FA voxel " + v);
                assertEquals((l[0] + l[1] + l[2]) / 3, d.md[v], 1e-6 * l[0], m + " MD voxel " + v);
                assertEquals(l[0], d.ad[v], 1e-6 * l[0], m + " AD voxel " + v);
                assertEquals((l[1] + l[2]) / 2, d.rd[v], 1e-6 * l[0], m + " RD voxel " + v);
                assertEquals(ph.s0[v], d.s0[v], 1e-5 * ph.s0[v], m + " S0 voxel " + v);
                if (l[0] - l[1] > 0.05e-3) {
                    double dot = 0;
                    for (int c = 0; c < 3; c++) dot += d.v1[c * NV + v] * ph.e1[v][c];
                    assertEquals(1, Math.abs(dot), 1e-5, m + " V1 voxel " + v);
                }
            }
            assertEquals(0, d.fa[0], 1e-6, "isotropic voxel");
        }
    }

    @Test
    void xFlipOfBvecsLeavesScalarsAndFlipsV1() {
        Gradients g = table();
        Phantom ph = new Phantom(g, 7);
        DtiMaps a = fit(g, ph.sig, TensorFit.Method.WLS);
        DtiMaps b = fit(g.flipX(), ph.sig, TensorFit.Method.WLS);
        for (int v = 1; v < NV; v++) {
            assertEquals(a.fa[v], b.fa[v], 1e-6);
            assertEquals(a.md[v], b.md[v], 1e-6 * a.md[v]);
            if (ph.evals[v][0] - ph.evals[v][1] > 0.05e-3) {
                // b's V1 is a's with x negated, up to the overall sign
                double dot = -a.v1[v] * b.v1[v] + a.v1[NV + v] * b.v1[NV + v] + a.v1[2 * NV + v] * b.v1[2 * NV + v];
                assertEquals(1, Math.abs(dot), 1e-5);
            }
        }
    }

    @Test
    void nonFiniteSignalsGiveNaNAndAreCounted() {
        Gradients g = table();
        Phantom ph = new Phantom(g, 3);
        ph.sig[5 * g.count() + 3] = Float.NaN;
        ph.sig[9 * g.count()] = Float.POSITIVE_INFINITY;
        DtiMaps d = fit(g, ph.sig, TensorFit.Method.WLS);
        assertEquals(2, d.nonfinite());
        assertEquals(NV - 2, d.fitted());
        assertTrue(Float.isNaN(d.fa[5]) && Float.isNaN(d.md[9]) && Float.isNaN(d.s0[9]));
        assertEquals(faOf(ph.evals[6]), d.fa[6], 1e-6);
    }

    @Test
    void zeroSignalsAreClampedNotNaN() {
        Gradients g = table();
        float[] sig = new float[NV * g.count()];  // all zero: DIPY clamps to 1e-4 and floors eigenvalues
        DtiMaps d = fit(g, sig, TensorFit.Method.WLS);
        for (int v = 0; v < NV; v++) {
            assertTrue(d.fa[v] >= 0 && d.fa[v] <= 1);
            assertEquals(1e-4, d.s0[v], 1e-9);
            assertEquals(g.minDiffusivity(), d.md[v], 1e-6 * g.minDiffusivity());
        }
    }
}
