package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rank cut-off of the denoising design: redundant confound columns (a duplicate, a linear combination
 * of others) must not change the clean data, and the reported rank counts only independent columns.
 */
class DenoiserRankTest {
    static final int N = 80;

    static double[][] confounds(Random r, int p) {
        double[][] c = new double[N][p];
        for (int t = 0; t < N; t++) for (int j = 0; j < p; j++) c[t][j] = r.nextGaussian();
        return c;
    }

    static double[][] withExtra(double[][] base, java.util.function.ToDoubleFunction<double[]> extra) {
        double[][] c = new double[N][];
        for (int t = 0; t < N; t++) {
            c[t] = java.util.Arrays.copyOf(base[t], base[t].length + 1);
            c[t][base[t].length] = extra.applyAsDouble(base[t]);
        }
        return c;
    }

    @Test
    void redundantColumnsGiveTheSameCleanDataAndRank() {
        Random r = new Random(15);
        double[][] base = confounds(r, 3);
        double[][] dup = withExtra(base, row -> row[1]);
        double[][] comb = withExtra(base, row -> 2 * row[0] - 0.5 * row[2]);
        boolean[] keep = new boolean[N];
        java.util.Arrays.fill(keep, true);
        keep[10] = keep[11] = keep[40] = false;
        for (Band band : new Band[] {null, Band.parse("0.01,0.1")}) {
            Denoiser full = new Denoiser(N, 2.0, base, List.of("a", "b", "c"), keep, band);
            Denoiser d1 = new Denoiser(N, 2.0, dup, List.of("a", "b", "c", "b_again"), keep, band);
            Denoiser d2 = new Denoiser(N, 2.0, comb, List.of("a", "b", "c", "2a-c/2"), keep, band);
            int expected = full.regressors().size();   // constant, trend, 3 confounds, band regressors: independent
            assertEquals(expected, full.rank(), "full-rank design " + band);
            assertEquals(expected, d1.rank(), "duplicated column " + band);
            assertEquals(expected, d2.rank(), "linear combination " + band);
            assertEquals(expected + 1, d1.regressors().size());
            assertEquals(full.dof(), d1.dof());
            assertEquals(full.dof(), d2.dof());
            assertEquals(N - 3 - expected, full.dof());
            for (int s = 0; s < 5; s++) {
                double[] y = new double[N];
                for (int t = 0; t < N; t++) y[t] = 100 + 10 * r.nextGaussian() + 3 * base[t][1];
                double[] a = full.clean(y), b = d1.clean(y), c = d2.clean(y);
                assertEquals(N - 3, a.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-9, "duplicate column, volume " + i);
                    assertEquals(a[i], c[i], 1e-9, "linear combination, volume " + i);
                }
            }
        }
    }
}
