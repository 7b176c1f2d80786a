package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The small statistics against their textbook definitions and at their documented edges (issue 15). */
class StatsDefinitionTest {
    @Test
    void sampleSdOfEachRow() {
        // rows of 5: 2 4 4 4 6 (mean 4, squares 4+0+0+0+4 = 8, / 4 = 2), then 1 1 1 1 11 (mean 3, 4*4 + 64 = 80 / 4 = 20)
        float[] m = {9, 9, 9, 9, 9, 2, 4, 4, 4, 6, 1, 1, 1, 1, 11};
        assertEquals(0, Stats.sd(m, 0, 5), 0);
        assertEquals(Math.sqrt(2), Stats.sd(m, 1, 5), 1e-15);
        assertEquals(Math.sqrt(20), Stats.sd(m, 2, 5), 1e-15);
    }

    @Test
    void pearsonIsCentred() {
        // b = 3 a + 1000 exactly: r = 1; c has the same deviations reversed in order: r from the centred definition
        double[] a = {1, 2, 4, 7};
        double[] b = {1003, 1006, 1012, 1021};
        double[] c = {107, 104, 102, 101};
        assertEquals(1, Stats.pearson(a, b), 1e-15);
        // deviations of a: -2.5 -1.5 .5 3.5; of c: 3.5 .5 -1.5 -2.5; sab = -8.75-.75-.75-8.75 = -19, saa = scc = 21
        assertEquals(-19.0 / 21, Stats.pearson(a, c), 1e-15);
        assertTrue(Double.isNaN(Stats.pearson(a, new double[] {5, 5, 5, 5})));
    }

    @Test
    void zIsNaFromROneOn() {
        assertTrue(Double.isNaN(Stats.fisherZ(Stats.R_ONE)));
        assertTrue(Double.isNaN(Stats.fisherZ(-Stats.R_ONE)));
        double below = Math.nextDown(Stats.R_ONE);
        assertEquals(0.5 * Math.log((1 + below) / (1 - below)), Stats.fisherZ(below), 1e-9);
        assertNotNull(Stats.zNaReason(Stats.R_ONE));
        assertTrue(Stats.zNaReason(Stats.R_ONE).startsWith("r = 1:"));
        assertTrue(Stats.zNaReason(-Stats.R_ONE).startsWith("r = -1:"));
        assertNull(Stats.zNaReason(below));
        assertNull(Stats.zNaReason(Double.NaN));
    }

    @Test
    void meanSeriesAveragesTheOkRowsOnly() {
        // 3 rows x 2 columns; row 1 is left out
        float[] data = {1, 10, 100, 100, 3, 20};
        double[] m = Stats.meanSeries(data, 2, new int[] {0, 1, 2}, new boolean[] {true, false, true});
        assertEquals(2, m[0], 0);
        assertEquals(15, m[1], 0);
        assertNull(Stats.meanSeries(data, 2, new int[] {1}, new boolean[] {true, false, true}));
    }
}
