package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ketaprint.stats.CorrelationTest.close;

import org.junit.jupiter.api.Test;

/** The asymptotic U test with continuity and tie corrections, as scipy 1.10's mannwhitneyu. */
class MannWhitneyTest {
    /** erfc(1) (Abramowitz and Stegun table 7.1). */
    static final double ERFC_1 = 0.1572992070502851;

    @Test
    void tiesShrinkTheVariance() {
        // all: 1 2 2 2 3 3, ranks 1 3 3 3 5.5 5.5; R1 = 7, U1 = 1, U = 8, mu = 4.5
        // ties: 3 twos and 2 threes, sum(t^3 - t) = 24 + 6; s = sqrt(9 / 12 (7 - 30 / 30)) = sqrt(4.5)
        // z = (8 - 4.5 - 0.5) / sqrt(4.5) = sqrt(2): p = 2 P(Z > sqrt 2) = erfc(1)
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 2}, new double[] {2, 3, 3});
        assertEquals(1, r.u1());
        close(ERFC_1, r.p(), "p");
        assertEquals(30, MannWhitney.tieTerm(new double[] {3, 2, 1, 2, 3, 2}));
        // the same with the groups swapped (two-sided)
        close(ERFC_1, MannWhitney.test(new double[] {2, 3, 3}, new double[] {1, 2, 2}).p(), "swapped");
    }

    @Test
    void equalGroupsGiveOne() {
        // U1 = U2 = mu: z = -0.5 / s < 0, 2 P(Z > z) > 1, capped at 1 (scipy clips it too)
        assertEquals(1, MannWhitney.test(new double[] {1, 4}, new double[] {2, 3}).p());
    }
}
