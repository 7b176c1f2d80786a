package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Values by hand: with n = 3 the t-test of r is on 1 df (Cauchy), p = 1 - 2 asin(|r|) / pi; with n = 4 on 2 df,
 * p = 1 - |t| / sqrt(2 + t^2) = 1 - |r|.
 */
class CorrelationTest {
    static final double NAN = Double.NaN;

    static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void pearsonOnFourPoints() {
        Correlation.Pearson p = Correlation.pearson(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4});
        assertEquals(4, p.n());
        close(0.8, p.r(), "r = 4 / 5");
        close(0.2, p.p(), "p = 1 - |r| on 2 df");
        // atanh(0.8) = ln 3; 1 / sqrt(n - 3) = 1; tanh(a) = (e^2a - 1) / (e^2a + 1)
        double z = 1.959963984540054;
        close((9 * Math.exp(-2 * z) - 1) / (9 * Math.exp(-2 * z) + 1), p.ciLow(), "CI low");
        close((9 * Math.exp(2 * z) - 1) / (9 * Math.exp(2 * z) + 1), p.ciHigh(), "CI high");
        assertNull(p.note());
        close(z, Correlation.Z975, "normal 0.975 quantile");
    }

    @Test
    void pearsonOnThreePointsHasNoCi() {
        Correlation.Pearson p = Correlation.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2});
        close(0.5, p.r(), "r");
        close(1 - 2 * Math.asin(0.5) / Math.PI, p.p(), "p = 2/3");
        assertTrue(Double.isNaN(p.ciLow()) && Double.isNaN(p.ciHigh()));
        assertEquals("CI: n = 3 < 4", p.note());
    }

    @Test
    void perfectLinesHaveZeroP() {
        Correlation.Pearson p = Correlation.pearson(new double[] {1, 2, 3, 4, 5}, new double[] {10, 8, 6, 4, 2});
        assertEquals(-1, p.r());
        assertEquals(0, p.p());
        assertEquals(-1, p.ciLow());
        assertEquals(-1, p.ciHigh());
        Correlation.Spearman s = Correlation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {1, 4, 9, 16, 25});
        assertEquals(1, s.rho());
        assertEquals(0, s.p());
    }

    @Test
    void spearmanUsesAverageRanks() {
        Correlation.Spearman s = Correlation.spearman(new double[] {10, 30, 20, 40}, new double[] {-5, 6, 7, 100});
        close(0.8, s.rho(), "ranks (1, 3, 2, 4) against (1, 2, 3, 4)");
        close(0.2, s.p(), "p = 1 - |rho| on 2 df");
        // ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): rho = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)
        s = Correlation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4});
        close(3 / Math.sqrt(10), s.rho(), "tied ranks");
        close(1 - 3 / Math.sqrt(10), s.p(), "p = 1 - |rho| on 2 df");
    }

    @Test
    void missingValuesAreDroppedPairwise() {
        double[] x = {1, NAN, 2, 3, 4, 7};
        double[] y = {1, 5, 3, 2, 4, NAN};
        Correlation.Pearson p = Correlation.pearson(x, y);
        assertEquals(4, p.n());
        close(0.8, p.r(), "r of the four complete pairs");
        assertEquals(4, Correlation.spearman(x, y).n());
    }

    @Test
    void tooFewOrConstantGiveNaNWithAReason() {
        Correlation.Pearson p = Correlation.pearson(new double[] {1, 2, NAN}, new double[] {1, 2, 3});
        assertEquals(2, p.n());
        assertTrue(Double.isNaN(p.r()) && Double.isNaN(p.p()));
        assertEquals("n = 2 < 3", p.note());
        assertEquals("n = 0 < 3", Correlation.spearman(new double[0], new double[0]).note());
        Correlation.Spearman s = Correlation.spearman(new double[] {1, 1, 1, 1}, new double[] {1, 2, 3, 4});
        assertTrue(Double.isNaN(s.rho()));
        assertEquals("constant values", s.note());
    }

    /** Commons Math's PearsonsCorrelation goes through R^2 and keeps about 8 digits of an r of 1e-8; this keeps them all. */
    @Test
    void smallCorrelationsKeepTheirDigits() {
        double e = 1e-8;
        // centred already: r = sum(xy) / sqrt(sum(x^2) sum(y^2))
        double[] x = {1, -1, 0, 0};
        double[] y = {e, -e, 1, -1};
        double expected = 2 * e / Math.sqrt(2 * (2 * e * e + 2));
        assertEquals(expected, Correlation.pearson(x, y).r(), 1e-12 * expected);
    }
}
