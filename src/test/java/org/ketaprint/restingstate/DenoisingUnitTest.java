package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** Strategies, confounds, the projection's design and the GBC kernel, against values known by construction. */
class DenoisingUnitTest {
    @TempDir
    Path tmp;

    @Test
    void strategiesHaveTheFieldsColumnCounts() {
        assertEquals(6, Strategy.parse("6P").regressorNames().size());
        assertEquals(24, Strategy.parse("24P").regressorNames().size());
        assertEquals(27, Strategy.parse("27P").regressorNames().size());
        assertEquals(36, Strategy.parse("36P").regressorNames().size());
        assertEquals(5, Strategy.parse("acompcor").regressorNames().size());
        assertEquals(25, Strategy.parse("24p+GSR").regressorNames().size());
        assertTrue(Strategy.parse("24P").regressorNames().contains("rot_z_derivative1_power2"));
        assertTrue(Strategy.parse("36P").regressorNames().contains("global_signal_derivative1_power2"));
        assertFalse(Strategy.parse("27P").withoutGsr().gsr());
        assertEquals(32, Strategy.parse("36P").withoutGsr().regressorNames().size());
        assertEquals(List.of("a", "b", "global_signal"), Strategy.columns(List.of("a", "global_signal", "b")).regressorNames());
    }

    @Test
    void firstRowNaIsZeroOnlyForDerivativesAndFd() throws Exception {
        Path f = tmp.resolve("c.tsv");
        Files.writeString(f, "trans_x\ttrans_x_derivative1\tframewise_displacement\tcsf\n"
            + "1\tn/a\tn/a\tn/a\n2\t1\t0.2\t3\n");
        Confounds c = Confounds.read(f);
        assertEquals(0, c.column("trans_x_derivative1")[0]);
        assertEquals(0, c.framewiseDisplacement()[0]);
        KetaprintException e = assertThrows(KetaprintException.class, () -> c.matrix(List.of("csf")));
        assertTrue(e.getMessage().contains("csf") && e.getMessage().contains("c.tsv"), e.getMessage());
    }

    @Test
    void bandEdgesAreInclusiveAndNyquistIsCosineOnly() {
        // N = 100, TR = 1: f_k = k / 100 Hz, k = 1..50; 0.01-0.1 Hz keeps k = 1..10 (both edges on a bin)
        Denoiser d = new Denoiser(100, 1.0, null, null, null, Band.parse("0.01,0.1"));
        assertEquals(2 + 39 * 2 + 1, d.regressors().size());
        assertEquals(2 + 39 * 2 + 1, d.rank());
        // on the band edges (k = 1 and 10) a sinusoid stays (only its part along the trend goes); at k = 11
        // and above, and any constant + trend, it vanishes
        double[] edge = new double[100], out = new double[100], low = new double[100];
        for (int t = 0; t < 100; t++) {
            edge[t] = Math.sin(2 * Math.PI * 0.1 * t);
            low[t] = Math.cos(2 * Math.PI * 0.01 * t);
            out[t] = 3 * Math.cos(2 * Math.PI * 0.11 * t) + Math.sin(2 * Math.PI * 0.5 * t + 1) + 0.5 * t + 7;
        }
        assertTrue(norm(d.clean(edge)) > 0.9 * norm(edge));
        assertTrue(norm(d.clean(low)) > 0.9 * norm(low));
        assertEquals(0, norm(d.clean(out)), 1e-9);
        // a band narrower by a hair drops the edge bins
        Denoiser narrow = new Denoiser(100, 1.0, null, null, null, new Band(0.0100001, 0.0999999));
        assertEquals(0, norm(narrow.clean(edge)), 1e-9);
        assertEquals(0, norm(narrow.clean(low)), 1e-9);
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    @Test
    void censoredRowsLeaveTheFit() {
        boolean[] keep = new boolean[60];
        java.util.Arrays.fill(keep, true);
        keep[10] = keep[11] = false;
        double[][] conf = new double[60][1];
        Random rnd = new Random(1);
        double[] y = new double[60];
        double[] x = new double[60];
        for (int t = 0; t < 60; t++) {
            conf[t][0] = rnd.nextGaussian();
            x[t] = rnd.nextGaussian();
            y[t] = x[t] + 2 * conf[t][0] + 5 + (t == 10 || t == 11 ? 1000 : 0);
        }
        Denoiser d = new Denoiser(60, 2, conf, List.of("c"), keep, null);
        assertEquals(58, d.used());
        double[] cy = d.clean(y);
        double[] cx = d.clean(x);
        // y - x lies in the design on the kept rows, so their residuals coincide
        for (int i = 0; i < 58; i++) assertEquals(cx[i], cy[i], 1e-9);
    }

    @Test
    void sphereMembershipIsCentreWithinRadius() {
        org.ketaprint.nifti.Grid g = new org.ketaprint.nifti.Grid(new int[] {11, 11, 11},
            new org.ketaprint.nifti.Affine(new double[][] {{1, 0, 0, -5}, {0, 1, 0, -5}, {0, 0, 1, -5}, {0, 0, 0, 1}}));
        int n = 0;
        for (boolean b : Roi.sphere(0, 0, 0, 2).voxels(g)) if (b) n++;
        // lattice points with x^2+y^2+z^2 <= 4: 1 + 6 + 12 + 8 + 6 = 33
        assertEquals(33, n);
    }

    @Test
    void fisherZSumsMatchThePairwiseDefinition() {
        int n = 150, nt = 37;
        Random rnd = new Random(7);
        double[][] z = new double[n][nt];
        for (int i = 0; i < n; i++) {
            double m = 0, ss = 0;
            for (int t = 0; t < nt; t++) {
                z[i][t] = rnd.nextGaussian() + (i % 3 == 0 ? 2 * Math.sin(t) : 0);
                m += z[i][t];
            }
            m /= nt;
            for (int t = 0; t < nt; t++) {
                z[i][t] -= m;
                ss += z[i][t] * z[i][t];
            }
            for (int t = 0; t < nt; t++) z[i][t] /= Math.sqrt(ss);
        }
        System.arraycopy(z[0], 0, z[1], 0, nt); // an identical pair: r = 1, clipped
        int np = FisherZSums.paddedRows(n);
        float[] zt = new float[nt * np];
        for (int i = 0; i < n; i++) for (int t = 0; t < nt; t++) zt[t * np + i] = (float) z[i][t];
        double[] got = FisherZSums.sums(zt, np, nt);
        for (int i = 0; i < n; i++) {
            double want = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double r = 0;
                for (int t = 0; t < nt; t++) r += z[i][t] * z[j][t];
                r = Math.max(-(1 - 1e-7), Math.min(1 - 1e-7, r));
                want += 0.5 * Math.log((1 + r) / (1 - r));
            }
            double tol = i < 2 ? 0.2 : 1e-4; // the clipped pair: float32 cannot hold 1 - 1e-7
            assertEquals(want, got[i], tol, "row " + i);
        }
        for (int i = n; i < np; i++) assertEquals(0, got[i], 0);
    }
}
