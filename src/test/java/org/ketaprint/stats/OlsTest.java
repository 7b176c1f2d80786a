package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ketaprint.stats.CorrelationTest.close;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OLS t and partial correlation on vectors built orthogonal (n = 5: x linear, w quadratic, e cubic contrasts), so
 * that the answers are known: t = r sqrt(df / (1 - r^2)), and on 2 df p = 1 - |r|.
 */
class OlsTest {
    static final double[] X = {-2, -1, 0, 1, 2};
    static final double[] W = {2, -1, -2, -1, 2};
    static final double[] E = {-1, 2, 0, -2, 1};

    @Test
    void simpleRegressionTIsPearsonsT() {
        Ols.Term t = Ols.term(new double[] {1, 3, 2, 4}, new double[][] {{1, 2, 3, 4}}, 0);
        assertEquals(2, t.df());
        close(0.8 * Math.sqrt(2 / 0.36), t.t(), "t of r = 0.8 on 2 df");
        close(0.2, t.p(), "p = 1 - r");
        assertNull(t.note());
    }

    @Test
    void aCovariateOrthogonalToBothLeavesRButTakesADf() {
        double[] y = {-1, -2, 0, 2, 1};   // x.y = 8, |x|^2 = |y|^2 = 10: r = 0.8; y.w = 0
        PartialCorrelation.Result p = PartialCorrelation.of(X, y, new double[][] {W});
        close(0.8, p.r(), "partial r = r");
        assertEquals(2, p.df());
        close(0.2, p.p(), "on 2 df, p = 1 - r");
        Ols.Term t = Ols.term(y, new double[][] {X, W}, 0);
        close(0.8 * Math.sqrt(2 / 0.36), t.t(), "OLS t of x given w");
        close(0.2, t.p(), "OLS p");
    }

    @Test
    void aCovariateThatCarriesTheAssociationRemovesIt() {
        // z = x + w, y = z + e with e orthogonal to 1, x and w: y is related to x only through z
        double[] z = new double[5];
        double[] y = new double[5];
        for (int i = 0; i < 5; i++) {
            z[i] = X[i] + W[i];
            y[i] = z[i] + E[i];
        }
        assertTrue(Correlation.pearson(X, y).r() > 0.5, "raw r");
        PartialCorrelation.Result p = PartialCorrelation.of(X, y, new double[][] {z});
        assertEquals(0, p.r(), 1e-12);
        close(1, p.p(), "p");
        assertEquals(0, Ols.term(y, new double[][] {X, z}, 0).t(), 1e-12);
    }

    @Test
    void collinearOrTooFewAreNotes() {
        double[] twice = {-4, -2, 0, 2, 4};
        double[] y = {-1, -2, 0, 2, 1};
        Ols.Term t = Ols.term(y, new double[][] {X, twice}, 0);
        assertTrue(Double.isNaN(t.t()) && Double.isNaN(t.p()));
        assertEquals("collinear predictors", t.note());
        assertEquals("no variance left after the covariates", PartialCorrelation.of(X, y, new double[][] {twice}).note());
        assertEquals("n = 3 too small for 1 covariate column(s)",
            PartialCorrelation.of(new double[] {1, 2, 3}, new double[] {1, 3, 2}, new double[][] {{0, 1, 0}}).note());
        assertEquals("n = 3 too small for 2 predictor(s)", Ols.term(new double[] {1, 3, 2}, new double[][] {{1, 2, 3}, {0, 1, 0}}, 0).note());
    }

    @Test
    void categoriesAreDummyCodedAgainstTheFirstLevel() {
        Covariate sex = Covariate.categorical("sex", new String[] {"M", "F", null, "M", "F"});
        Covariate.Design d = Covariate.design(List.of(sex), new int[] {0, 1, 3, 4});
        assertEquals(List.of("sex[M]"), d.names());
        assertEquals(List.of(1.0, 0.0, 1.0, 0.0), java.util.Arrays.stream(d.columns()[0]).boxed().toList());
        Covariate site = Covariate.categorical("site", new String[] {"b", "c", "a", "b"});
        assertEquals(List.of("site[b]", "site[c]"), Covariate.design(List.of(site), new int[] {0, 1, 2, 3}).names());
        // a level absent from the rows used gets no column; one level left: no column at all
        assertEquals(List.of("site[c]"), Covariate.design(List.of(site), new int[] {0, 1, 3}).names());
        assertEquals(List.of(), Covariate.design(List.of(site), new int[] {0, 3}).names());
        Covariate age = Covariate.numeric("age", new double[] {30, 40, 50, 60});
        assertEquals(List.of("age", "site[c]"), Covariate.design(List.of(age, site), new int[] {0, 1, 3}).names());
    }
}
