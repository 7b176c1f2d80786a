package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MultipleTestingTest {
    @Test
    void stepUpByHand() {
        // sorted 0.005 0.01 0.03 0.04 -> p m / rank: 0.02 0.02 0.04 0.04 -> running minimum from the top: the same
        double[] q = MultipleTesting.benjaminiHochberg(new double[] {0.01, Double.NaN, 0.04, 0.03, 0.005});
        assertArrayEquals(new double[] {0.02, Double.NaN, 0.04, 0.04, 0.02}, q, 1e-15);
        // the minimum from above: 0.8 * 2 / 1 = 1.6 > 0.9 * 2 / 2 = 0.9
        assertArrayEquals(new double[] {0.9, 0.9}, MultipleTesting.benjaminiHochberg(new double[] {0.9, 0.8}), 1e-15);
        // capped at 1
        assertArrayEquals(new double[] {1, 1}, MultipleTesting.benjaminiHochberg(new double[] {0.99, 1}), 0);
        assertArrayEquals(new double[0], MultipleTesting.benjaminiHochberg(new double[0]), 0);
    }
}
