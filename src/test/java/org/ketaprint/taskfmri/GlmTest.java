package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlmTest {
    private static Design design(int n) {
        List<String> lines = new ArrayList<>(List.of("onset\tduration\ttrial_type"));
        for (int b = 0; b < n * 2 / 40; b++) lines.add((b * 40) + "\t20\t" + (b % 2 == 0 ? "fearful" : "neutral"));
        return Design.build(Design.frameTimes(n, 2, 0), Events.parse("ev.tsv", lines), Hrf.parse("spm"), 0.01, List.of(), null,
            null, 0);
    }

    /**
     * Data exactly in the span of the design: d = 1000 (1 + X b / 100). Scaled to percent of its mean m it is
     * 100 (1 + X b / 100) / m - 100, so the condition betas are b / m, known by construction; residuals are zero.
     */
    @Test
    void exactFitByConstruction() {
        int n = 120;
        Design d = design(n);
        double[] b = new double[d.columns()];
        b[0] = 2.0;   // fearful
        b[1] = 0.5;   // neutral
        b[2] = 0.3;   // drift_1
        double[] s = new double[n];
        double mean = 0;
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < b.length; j++) s[t] += d.x()[t][j] * b[j];
            mean += 1 + s[t] / 100;
        }
        mean /= n;
        int voxels = 5;
        float[] data = new float[voxels * n];
        double[] series = new double[n];
        for (int t = 0; t < n; t++) series[t] = 1000 * (1 + s[t] / 100);
        for (int v = 0; v < voxels; v++) for (int t = 0; t < n; t++) data[v * n + t] = (float) series[t];
        // float storage: recompute the mean from the stored values
        double m = 0;
        for (int t = 0; t < n; t++) m += data[t];
        m /= n;
        for (Glm.Noise noise : Glm.Noise.values()) {
            Glm g = Glm.fit(data, voxels, d, noise);
            Glm.Maps maps = g.contrast(Contrast.parse("fearful - neutral").weights(d, "ev.tsv"));
            for (int v = 0; v < voxels; v++) {
                assertEquals(1.5 * 1000 / m, maps.effect()[v], 2e-5, noise + " voxel " + v);   // float rounding of the data
            }
            assertEquals(n - d.columns(), g.dof());
        }
        assertTrue(Math.abs(mean * 1000 - m) < 1e-3);
    }

    /** Planted AR(1) noise (rho 0.3) on a block design: the binned coefficients centre near 0.3, truncated to 0.01. */
    @Test
    void ar1BinsTruncateTowardZero() {
        int n = 300, voxels = 400;
        Design d = design(n);
        Random r = new Random(7);
        float[] data = new float[voxels * n];
        for (int v = 0; v < voxels; v++) {
            double e = 0;
            double rho = v < 200 ? 0.3 : -0.25;
            for (int t = 0; t < n; t++) {
                e = rho * e + r.nextGaussian();
                data[v * n + t] = (float) (1000 + 10 * e + 20 * d.x()[t][0]);
            }
        }
        Glm g = Glm.fit(data, voxels, d, Glm.Noise.AR1);
        double[] rho = g.rho();
        // nilearn's estimate written out plainly: OLS residuals (Commons Math QR) of the percent-scaled series, minus
        // their global mean; r0 = sum e^2 / n^2, r1 = sum e_t e_t+1 / ((n - 1) n); rho = r1 / r0, truncated to 0.01
        org.apache.commons.math3.linear.RealMatrix x = new org.apache.commons.math3.linear.Array2DRowRealMatrix(d.x());
        var solver = new org.apache.commons.math3.linear.QRDecomposition(x).getSolver();
        double[][] res = new double[voxels][n];
        double total = 0;
        for (int v = 0; v < voxels; v++) {
            double mean = 0;
            for (int t = 0; t < n; t++) mean += data[v * n + t];
            mean /= n;
            double[] y = new double[n];
            for (int t = 0; t < n; t++) y[t] = 100 * (data[v * n + t] / mean - 1);
            double[] beta = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(y)).toArray();
            for (int t = 0; t < n; t++) {
                double fit = 0;
                for (int j = 0; j < beta.length; j++) fit += d.x()[t][j] * beta[j];
                res[v][t] = y[t] - fit;
                total += res[v][t];
            }
        }
        double gm = total / (voxels * (double) n);
        int boundary = 0;
        for (int v = 0; v < voxels; v++) {
            double r0 = 0, r1 = 0;
            for (int t = 0; t < n; t++) r0 += (res[v][t] - gm) * (res[v][t] - gm);
            for (int t = 0; t + 1 < n; t++) r1 += (res[v][t] - gm) * (res[v][t + 1] - gm);
            double raw = (r1 / ((n - 1.0) * n)) / (r0 / ((double) n * n));
            double scaled = raw * 100;
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-9) {
                boundary++;
                continue;
            }
            double expected = (scaled < 0 ? Math.ceil(scaled) : Math.floor(scaled)) / 100;   // toward zero, not rounded
            assertEquals(expected, rho[v], 1e-15, "voxel " + v + " raw " + raw);
        }
        assertTrue(boundary < 3);
        double[] pos = Arrays.copyOfRange(rho, 0, 200);
        double[] neg = Arrays.copyOfRange(rho, 200, 400);
        Arrays.sort(pos);
        Arrays.sort(neg);
        // the estimate on residuals of a design with cosine drifts is biased toward 0 (as nilearn's is)
        assertTrue(pos[100] > 0.15 && pos[100] < 0.32, "median " + pos[100]);
        assertTrue(neg[100] < -0.15 && neg[100] > -0.3, "median " + neg[100]);
        assertTrue(g.bins() > 5 && g.bins() <= 100, "bins " + g.bins());
        // the planted fearful effect: 20 / 1000 of the mean, i.e. 2 % signal change
        Glm.Maps m = g.contrast(Contrast.parse("fearful").weights(d, "ev.tsv"));
        double mean = 0;
        for (double e : m.effect()) mean += e / voxels;
        assertEquals(2.0, mean, 0.1);
    }
}
