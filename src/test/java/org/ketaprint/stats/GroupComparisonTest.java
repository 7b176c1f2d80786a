package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ketaprint.stats.CorrelationTest.close;

import org.junit.jupiter.api.Test;

/** Hedges' g, Welch and Mann-Whitney on groups small enough to do by hand (t on 1 or 2 df has a closed form). */
class GroupComparisonTest {
    static final double Z = 1.959963984540054;

    @Test
    void twoAgainstTwo() {
        GroupComparison.Result r = GroupComparison.compare(new double[] {1, 3}, new double[] {5, 7});
        assertEquals(2, r.nA());
        assertEquals(2, r.nB());
        close(2, r.meanA(), "mean a");
        close(6, r.meanB(), "mean b");
        // pooled SD sqrt(2), d = -4 / sqrt(2); df = 2: J = Gamma(1) / (1 Gamma(1/2)) = 1 / sqrt(pi)
        double g = -Math.sqrt(8 / Math.PI);
        close(g, r.g(), "g");
        double se = Math.sqrt(4.0 / 4 + g * g / 8);
        close(g - Z * se, r.gLow(), "g CI low");
        close(g + Z * se, r.gHigh(), "g CI high");
        // Welch: t = -4 / sqrt(2), df = 2 exactly; on 2 df p = 1 - |t| / sqrt(2 + t^2) = 1 - sqrt(0.8)
        close(1 - Math.sqrt(0.8), r.welchP(), "Welch p");
        // U1 = 0, U = 4, mu = 2, s = sqrt(4 / 12 * 5): z = 1.5 / sqrt(5 / 3); scipy 1.10 gives 0.2452781168067728
        close(0.2452781168067728, r.mannWhitneyP(), "Mann-Whitney p");
        assertNull(r.note());
    }

    @Test
    void welchOnOneDegreeOfFreedom() {
        // b has no spread: df = n_a - 1 = 1 (Cauchy), t = (1 - 5) / sqrt(2 / 2) = -4
        GroupComparison.Result r = GroupComparison.compare(new double[] {0, 2}, new double[] {5, 5});
        close(1 - 2 * Math.atan(4) / Math.PI, r.welchP(), "Welch p on 1 df");
    }

    @Test
    void hedgesCorrectionIsTheGammaForm() {
        close(Math.sqrt(2 / Math.PI), GroupComparison.j(4), "J(4) = Gamma(2) / (sqrt(2) Gamma(3/2))");
        close(2 / (Math.sqrt(3) * 0.75 * Math.sqrt(Math.PI)), GroupComparison.j(6), "J(6) = Gamma(3) / (sqrt(3) Gamma(5/2))");
        // large df: close to Hedges' approximation 1 - 3 / (4 df - 1)
        assertEquals(1 - 3.0 / (4 * 200 - 1), GroupComparison.j(200), 1e-6);
    }

    @Test
    void tooSmallOrFlatGroups() {
        GroupComparison.Result r = GroupComparison.compare(new double[] {1, 2, Double.NaN}, new double[] {3});
        assertEquals(2, r.nA());
        assertEquals(1, r.nB());
        close(1.5, r.meanA(), "the means are still given");
        close(3, r.meanB(), "mean b");
        assertTrue(Double.isNaN(r.g()) && Double.isNaN(r.welchP()) && Double.isNaN(r.mannWhitneyP()));
        assertEquals("2 and 1 values: at least 2 per group", r.note());
        r = GroupComparison.compare(new double[] {4, 4}, new double[] {4, 4, 4});
        assertTrue(Double.isNaN(r.g()) && Double.isNaN(r.welchP()) && Double.isNaN(r.mannWhitneyP()));
        assertEquals("no spread within the groups; Mann-Whitney: every value tied", r.note());
        r = GroupComparison.compare(new double[] {1, 1}, new double[] {2, 2});
        assertTrue(Double.isNaN(r.g()) && Double.isNaN(r.welchP()));
        assertTrue(r.mannWhitneyP() > 0 && r.mannWhitneyP() < 1, "ranks still separate the groups");
    }
}
