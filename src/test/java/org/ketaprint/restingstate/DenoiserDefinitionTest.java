package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

/**
 * Every path of the projection (the double series, the voxel x time matrix, the residual-space coordinates) against
 * OLS residuals written plainly here: Gram-Schmidt on the kept rows of constant, trend and confounds (issue 15).
 */
class DenoiserDefinitionTest {
    static final int N = 50;

    /** Residual of y (full length) on the kept rows after the span of the columns (each full length). */
    static double[] residual(List<double[]> cols, boolean[] keep, double[] y) {
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < keep.length; t++) if (keep[t]) kept.add(t);
        int n = kept.size();
        List<double[]> q = new ArrayList<>();
        for (double[] c : cols) {
            double[] v = new double[n];
            double n0 = 0;
            for (int i = 0; i < n; i++) {
                v[i] = c[kept.get(i)];
                n0 += v[i] * v[i];
            }
            for (int pass = 0; pass < 2; pass++) for (double[] e : q) subtract(v, e);
            double nv = Math.sqrt(dot(v, v));
            if (nv > 1e-9 * Math.sqrt(n0)) {
                for (int i = 0; i < n; i++) v[i] /= nv;
                q.add(v);
            }
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = y[kept.get(i)];
        for (int pass = 0; pass < 2; pass++) for (double[] e : q) subtract(r, e);
        return r;
    }

    static void subtract(double[] v, double[] e) {
        double d = dot(v, e);
        for (int i = 0; i < v.length; i++) v[i] -= d * e[i];
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static List<double[]> design(double[][] conf) {
        List<double[]> cols = new ArrayList<>();
        double[] one = new double[N], trend = new double[N];
        for (int t = 0; t < N; t++) {
            one[t] = 1;
            trend[t] = t;
        }
        cols.add(one);
        cols.add(trend);
        for (int c = 0; c < conf[0].length; c++) {
            double[] col = new double[N];
            for (int t = 0; t < N; t++) col[t] = conf[t][c];
            cols.add(col);
        }
        return cols;
    }

    static double[][] confounds(Random rnd, int p) {
        double[][] c = new double[N][p];
        for (double[] row : c) for (int j = 0; j < p; j++) row[j] = rnd.nextGaussian();
        return c;
    }

    static boolean[] keep() {
        boolean[] k = new boolean[N];
        java.util.Arrays.fill(k, true);
        k[3] = k[17] = k[18] = k[40] = false;
        return k;
    }

    /** 67 voxels (a 64-voxel block and a partial one, not a multiple of 4): every cleaned value is the OLS residual. */
    @Test
    void cleaningAVoxelMatrixGivesEveryVoxelsResidual() {
        Random rnd = new Random(5);
        double[][] conf = confounds(rnd, 3);
        boolean[] keep = keep();
        Denoiser d = new Denoiser(N, 2.5, conf, List.of("a", "b", "c"), keep, null);
        assertEquals(N, d.volumes());
        assertEquals(2.5, d.tr(), 0);
        int voxels = 67, n = d.used();
        assertEquals(N - 4, n);
        float[] data = new float[voxels * N];
        for (int i = 0; i < data.length; i++) data[i] = (float) (100 + 10 * rnd.nextGaussian());
        float[] clean = d.clean(data, voxels);
        assertEquals(voxels * n, clean.length);
        List<double[]> cols = design(conf);
        for (int v = 0; v < voxels; v++) {
            double[] y = new double[N];
            for (int t = 0; t < N; t++) y[t] = data[v * N + t];
            double[] want = residual(cols, keep, y);
            double[] one = d.clean(y);
            for (int i = 0; i < n; i++) {
                assertEquals(want[i], clean[v * n + i], 1e-4, "voxel " + v + " volume " + i);
                assertEquals(want[i], one[i], 1e-9, "series path, voxel " + v + " volume " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> d.clean(new float[voxels * N - 1], voxels));
        assertThrows(IllegalArgumentException.class, () -> d.clean(new float[voxels * N + 1], voxels));
    }

    /**
     * Coordinates of 63 rows (given in reverse order: a single block one short of 64) have the residuals' norms and
     * dot products, and a baseline of 1e6 costs no precision (the constant is in the design; the plain definition runs
     * on the series without it).
     */
    @Test
    void coordinatesHaveTheResidualsGeometryEvenOnALargeBaseline() {
        Random rnd = new Random(9);
        double[][] conf = confounds(rnd, 2);
        boolean[] keep = keep();
        Denoiser d = new Denoiser(N, 2.0, conf, null, keep, null);
        int voxels = 63;
        float[] data = new float[voxels * N];
        double[][] x = new double[voxels][N];
        for (int v = 0; v < voxels; v++) {
            for (int t = 0; t < N; t++) {
                x[v][t] = (rnd.nextInt(129) - 64) / 16.0;   // exact in float next to 1e6 (ulp 1/16)
                data[v * N + t] = (float) (1e6 + x[v][t]);
                assertEquals(1e6 + x[v][t], data[v * N + t], 0);
            }
        }
        int[] rows = new int[voxels];
        for (int k = 0; k < voxels; k++) rows[k] = voxels - 1 - k;
        double[] co = d.coordinates(data, rows);
        int m = d.dof();
        assertEquals(N - 4 - 4, m);
        assertEquals(voxels * m, co.length);
        List<double[]> cols = design(conf);
        double[][] res = new double[voxels][];
        for (int v = 0; v < voxels; v++) res[v] = residual(cols, keep, x[v]);
        for (int k = 0; k < voxels; k++) {
            for (int l = k; l < Math.min(voxels, k + 3); l++) {
                double got = 0;
                for (int j = 0; j < m; j++) got += co[k * m + j] * co[l * m + j];
                assertEquals(dot(res[rows[k]], res[rows[l]]), got, 1e-10, "rows " + rows[k] + ", " + rows[l]);
            }
        }
    }

    @Test
    void aZeroConfoundColumnChangesNothingAndUnnamedColumnsGetNumbers() {
        Random rnd = new Random(3);
        double[][] conf = confounds(rnd, 3);
        for (double[] row : conf) row[1] = 0;
        Denoiser d = new Denoiser(N, 1.0, conf, List.of("first"), null, null);
        assertEquals(List.of("constant", "linear_trend", "first", "confound_1", "confound_2"), d.regressors());
        assertEquals(4, d.rank());
        assertEquals(N - 4, d.dof());
        boolean[] all = new boolean[N];
        java.util.Arrays.fill(all, true);
        double[] y = new double[N];
        for (int t = 0; t < N; t++) y[t] = rnd.nextGaussian();
        double[] want = residual(design(conf), all, y);
        double[] got = d.clean(y);
        for (int t = 0; t < N; t++) assertEquals(want[t], got[t], 1e-10, "volume " + t);
        assertEquals(List.of("constant", "linear_trend", "confound_0", "confound_1", "confound_2"),
            new Denoiser(N, 1.0, conf, null, null, null).regressors());
    }

    @Test
    void repetitionTimeMustBePositive() {
        assertThrows(KetaprintException.class, () -> new Denoiser(N, 0, null, null, null, null));
        assertThrows(KetaprintException.class, () -> new Denoiser(N, -1, null, null, null, null));
        assertThrows(KetaprintException.class, () -> new Denoiser(N, Double.NaN, null, null, null, null));
    }
}
