package org.ketaprint.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Folds (class ratios kept, partitions, seeds) and the metrics against values worked by hand. */
class FoldsMetricsTest {
    @Test
    void stratifiedFoldsKeepTheClassRatio() {
        for (int ones : new int[] {3, 12, 20, 27}) {
            double[] y = new double[40];
            for (int i = 0; i < ones; i++) y[(i * 7) % 40] = 1;
            for (long seed = 0; seed < 20; seed++) {
                int[] f = Folds.stratified(y, 5, seed);
                for (int k = 0; k < 5; k++) {
                    int[] in = Folds.rows(f, k, true);
                    long pos = Arrays.stream(in).filter(i -> y[i] == 1).count();
                    assertEquals(8, in.length, "fold size");
                    assertTrue(pos == ones / 5 || pos == (ones + 4) / 5, ones + " positives: fold " + k + " holds " + pos);
                }
            }
        }
        double[] y = new double[40];
        for (int i = 0; i < 12; i++) y[i] = 1;
        assertArrayEquals(Folds.stratified(y, 5, 7), Folds.stratified(y, 5, 7));
        assertFalse(Arrays.equals(Folds.stratified(y, 5, 7), Folds.stratified(y, 5, 8)));
    }

    @Test
    void kfoldIsAPartitionWithSizesWithinOne() {
        int[] f = Folds.kfold(23, 5, 1);
        int[] sizes = new int[5];
        for (int v : f) sizes[v]++;
        assertEquals(23, Arrays.stream(sizes).sum());
        assertTrue(Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt() <= 1);
        assertArrayEquals(new int[] {0, 1, 2}, Folds.loo(3));
        assertThrows(IllegalArgumentException.class, () -> Folds.kfold(3, 4, 0));
        double[] y = {1, 2, 3, 4, 5};
        double[] p = Folds.permuted(y, 9);
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(y, sorted);
        assertNotEquals(Seeds.derive(0, Seeds.INNER, 0, 1), Seeds.derive(0, Seeds.INNER, 1, 0));
    }

    @Test
    void delongByHand() {
        // positives 0.9, 0.8, 0.4; negatives 0.7, 0.3: V10 = 1, 1, 0.5; V01 = 2/3, 1; AUC = 5/6
        // S10 = 1/12, S01 = 1/18; var = S10/3 + S01/2 = 1/18
        double[] y = {1, 1, 1, 0, 0};
        double[] s = {0.9, 0.8, 0.4, 0.7, 0.3};
        Metrics.Auc a = Metrics.delong(y, s);
        assertEquals(5.0 / 6, a.auc(), 1e-15);
        assertEquals(Math.sqrt(1.0 / 18), a.se(), 1e-15);
        assertEquals(5.0 / 6 - Metrics.Z975 * Math.sqrt(1.0 / 18), a.lo(), 1e-15);
        assertEquals(1, a.hi(), 0);
        // ties count one half
        assertEquals(0.5, Metrics.auc(new double[] {1, 0}, new double[] {0.3, 0.3}), 0);
        double[][] roc = Metrics.roc(y, s);
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 0.5, 1}, roc[0], 1e-15);
        assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1}, roc[1], 1e-15);
    }

    @Test
    void scoresByHand() {
        double[] y = {1, 0, 1, 0};
        double[] p = {0.8, 0.6, 0.4, 0.2};
        assertEquals(0.5, Metrics.balancedAccuracy(y, p), 0);
        assertEquals((0.04 + 0.36 + 0.36 + 0.04) / 4, Metrics.brier(y, p), 1e-15);
        assertEquals(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4, Metrics.logLoss(y, p), 1e-15);
        // R^2 about the mean of the whole target: y = 1, 2, 3; p = 2, 2, 2 gives 0; p = y gives 1
        assertEquals(0, Metrics.r2(new double[] {1, 2, 3}, new double[] {2, 2, 2}), 0);
        assertEquals(1 - 3.0 / 2, Metrics.r2(new double[] {1, 2, 3}, new double[] {2, 3, 2}), 1e-15);
        assertEquals(2.0 / 3, Metrics.mae(new double[] {1, 2, 3}, new double[] {2, 3, 3}), 1e-15);
        assertEquals(0.5, NestedCv.permutationP(0.9, new double[] {0.1, 0.95, 0.5}), 0);   // (1 + 1) / (1 + 3)
        assertTrue(Double.isNaN(NestedCv.permutationP(0.9, new double[0])));
    }
}
