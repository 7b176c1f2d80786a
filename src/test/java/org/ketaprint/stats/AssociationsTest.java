package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ketaprint.stats.CorrelationTest.close;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table: one row per feature and family, q within a family, adjusted columns only with covariates. */
class AssociationsTest {
    static final double NAN = Double.NaN;
    static final double[] Y = {1, 3, 2, 4, NAN};
    static final double[] RESP = {1, 1, 0, 0, 1};

    static double d(Map<String, Object> m, String c) {
        return (Double) m.get(c);
    }

    @Test
    void oneRowPerFeatureAndFamilyWithQWithinTheFamily() {
        double[] a = {1, 2, 3, 4, 9};     // r = 0.8 with Y (the fifth pair has no outcome)
        double[] b = {4, 3, 1, 2, 9};
        double[] c = {1, 3, 5, 7, NAN};   // responders (1, 3) against non-responders (5, 7)
        List<Associations.Row> rows = List.of(
            Associations.test("a", Associations.BASELINE, a, Y, RESP, List.of()),
            Associations.test("b", Associations.BASELINE, b, Y, RESP, List.of()),
            Associations.test("c", Associations.CHANGE, c, Y, RESP, List.of()));
        List<Map<String, Object>> t = Associations.cells(rows, false);
        assertEquals(Associations.columns(false), List.copyOf(t.get(0).keySet()));
        assertFalse(t.get(0).containsKey("partial_r"));
        assertEquals(4, t.get(0).get("n"));
        close(0.8, d(t.get(0), "pearson_r"), "r of a");
        close(0.2, d(t.get(0), "pearson_p"), "p = 1 - |r| on 2 df");
        // centred b (1.5, 0.5, -1.5, -0.5), Y (-1.5, 0.5, -0.5, 1.5): sum of products -2, sums of squares 5: r = -0.4
        close(-0.4, d(t.get(1), "pearson_r"), "r of b");
        close(0.6, d(t.get(1), "pearson_p"), "p of b");
        // BH within the baseline family: 0.2 * 2 / 1 and 0.6 * 2 / 2; the change family alone: q = p
        close(0.4, d(t.get(0), "pearson_q"), "q of a");
        close(0.6, d(t.get(1), "pearson_q"), "q of b");
        assertEquals(d(t.get(2), "pearson_p"), d(t.get(2), "pearson_q"));
        // groups: c is (1, 3) against (5, 7): g = -sqrt(8 / pi) (see GroupComparisonTest)
        assertEquals(2, t.get(2).get("n_responders"));
        assertEquals(2, t.get(2).get("n_nonresponders"));
        close(-Math.sqrt(8 / Math.PI), d(t.get(2), "hedges_g"), "g");
        assertEquals(d(t.get(2), "welch_p"), d(t.get(2), "welch_q"));
        assertEquals(null, t.get(0).get("note"));
        // a's groups: (1, 2, 9) against (3, 4)
        assertEquals(3, t.get(0).get("n_responders"));
    }

    @Test
    void notesSayWhyCellsAreNa() {
        List<Map<String, Object>> t = Associations.cells(List.of(
            Associations.test("x", Associations.BASELINE, new double[] {1, 2, NAN, NAN, 5}, Y, RESP, List.of())), false);
        assertEquals(2, t.get(0).get("n"));
        assertTrue(Double.isNaN(d(t.get(0), "pearson_r")) && Double.isNaN(d(t.get(0), "pearson_q")));
        assertEquals("correlations: n = 2 < 3; groups: 3 and 0 values: at least 2 per group", t.get(0).get("note"));
    }

    @Test
    void adjustedColumnsWithCovariatesAndTheReferenceLevelDoesNotMatter() {
        double[] x = {-2, -1, 0, 1, 2, 3};
        double[] y = {-1, -2, 0, 2, 1, 7};
        double[] resp = {1, 0, 1, 0, 1, 0};
        Covariate text = Covariate.categorical("sex", new String[] {"F", "M", "M", "F", "M", null});
        Covariate flipped = Covariate.categorical("sex", new String[] {"b", "a", "a", "b", "a", null});
        Covariate coded = Covariate.numeric("sex", new double[] {0, 1, 1, 0, 1, NAN});
        Map<String, Object> m = Associations.cells(List.of(Associations.test("x", Associations.BASELINE, x, y, resp, List.of(text))), true).get(0);
        assertEquals(Associations.columns(true), List.copyOf(m.keySet()));
        assertEquals(5, m.get("n_adjusted"));
        for (Covariate c : List.of(flipped, coded)) {
            Map<String, Object> o = Associations.cells(List.of(Associations.test("x", Associations.BASELINE, x, y, resp, List.of(c))), true).get(0);
            close(d(m, "partial_r"), d(o, "partial_r"), "partial r, " + c);
            close(d(m, "ols_t"), d(o, "ols_t"), "OLS t, " + c);
        }
        // the partial correlation's t is the OLS t: the same p
        close(d(m, "partial_p"), d(m, "ols_p"), "partial p = OLS p");
        double r = d(m, "partial_r");
        close(r * Math.sqrt(2 / (1 - r * r)), d(m, "ols_t"), "t = r sqrt(df / (1 - r^2)), df = 5 - 2 - 1");
    }

    /** Values that overflow the sums give n/a cells, never an exception. */
    @Test
    void hugeValuesDoNotThrow() {
        double[] x = {1e300, -1e300, 1e308, 3, 4, -1e308};
        double[] y = {1e300, 2, 3, -1e308, 5, 6};
        double[] resp = {1, 0, 1, 0, 1, 0};
        Covariate z = Covariate.numeric("z", new double[] {1e308, -1e308, 1, 2, 1e308, 3});
        Map<String, Object> m = Associations.cells(List.of(Associations.test("x", Associations.BASELINE, x, y, resp, List.of(z))), true).get(0);
        assertEquals(6, m.get("n"));
    }
}
