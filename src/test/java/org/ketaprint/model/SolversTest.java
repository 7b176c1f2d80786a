package org.ketaprint.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The logistic and ridge solvers against optima known in closed form or by their optimality conditions. */
class SolversTest {
    @Test
    void logisticAtLargeCApproachesTheUnpenalisedMle() {
        // x = 0: 1 of 4 positive, x = 1: 3 of 4: MLE b = logit(1/4) = -ln 3, b + w = logit(3/4) = ln 3
        double[][] x = {{0}, {0}, {0}, {0}, {1}, {1}, {1}, {1}};
        double[] y = {1, 0, 0, 0, 1, 1, 0, 1};
        double[] c = Logistic.fit(x, y, 1e10, null);
        assertEquals(-Math.log(3), c[0], 1e-7);
        assertEquals(2 * Math.log(3), c[1], 1e-7);
        // the penalty pulls w towards 0 as C falls
        assertEquals(true, Logistic.fit(x, y, 0.1, null)[1] < c[1] / 2);
    }

    @Test
    void logisticOnTwoSeparablePointsSolvesItsOneDimensionalCondition() {
        // x = -1 (y = 0), x = 1 (y = 1): b = 0 by symmetry and w = 2C / (1 + e^w); separable, so w grows with C
        double[][] x = {{-1}, {1}};
        double[] y = {0, 1};
        for (double cc : new double[] {0.01, 1, 100, 1e4}) {
            double[] c = Logistic.fit(x, y, cc, null);
            double lo = 0;
            double hi = 100;
            for (int i = 0; i < 200; i++) {
                double m = (lo + hi) / 2;
                if (m - 2 * cc / (1 + Math.exp(m)) < 0) lo = m;
                else hi = m;
            }
            assertEquals(0, c[0], 1e-9, "intercept at C = " + cc);
            assertEquals(lo, c[1], 1e-9 * Math.max(1, lo), "w at C = " + cc);
        }
    }

    @Test
    void logisticGradientIsZeroAtTheFitAndWarmStartsChangeNothing() {
        Random r = new Random(3);
        double[][] x = new double[30][4];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 4; j++) x[i][j] = r.nextGaussian();
            y[i] = x[i][0] - x[i][1] + r.nextGaussian() > 0 ? 1 : 0;
        }
        for (double cc : NestedCv.GRID) {
            double[] b = Logistic.fit(x, y, cc, null);
            double[] g = new double[5];
            for (int i = 0; i < 30; i++) {
                double res = cc * (Logistic.probability(b, x[i]) - y[i]);
                g[0] += res;
                for (int j = 0; j < 4; j++) g[j + 1] += res * x[i][j];
            }
            for (int j = 1; j <= 4; j++) g[j] += b[j];
            for (double v : g) assertEquals(0, v, 1e-8 * Math.max(1, cc), "gradient at C = " + cc);
            assertArrayEquals(b, Logistic.fit(x, y, cc, new double[] {3, -2, 1, 0, 5}), 1e-8, "warm start at C = " + cc);
        }
    }

    @Test
    void ridgeByHand() {
        // x = 1, 2, 3; y = 1, 3, 2: centred Sxx = 2, Sxy = 1, so w = 1 / (2 + alpha), b = 2 - 2 w
        double[][] x = {{1}, {2}, {3}};
        double[] y = {1, 3, 2};
        assertArrayEquals(new double[] {4.0 / 3, 1.0 / 3}, Ridge.fit(x, y, 1), 1e-12);
        assertArrayEquals(new double[] {2 - 2 / 12.0, 1 / 12.0}, Ridge.fit(x, y, 10), 1e-12);
        // two features: (Xc'Xc + alpha I) w = Xc'yc by hand. x1 = 0, 1, 2, 3; x2 = 1, 0, 0, 1; y = 1, 2, 4, 3
        // Xc'Xc = [[5, 0], [0, 1]], Xc'yc = [4, -1]; alpha 1: w = [4 / 6, -0.5]; b = 2.5 - 1.5 w1 - 0.5 w2 = 1.75
        double[][] x2 = {{0, 1}, {1, 0}, {2, 0}, {3, 1}};
        double[] y2 = {1, 2, 4, 3};
        assertArrayEquals(new double[] {1.75, 4.0 / 6, -0.5}, Ridge.fit(x2, y2, 1), 1e-12);
    }

    @Test
    void scalerUsesThePopulationSdAndLeavesConstantColumnsUnscaled() {
        double[][] x = {{1, 5}, {2, 5}, {3, 5}, {100, 7}};
        Scaler s = Scaler.fit(x, new int[] {0, 1, 2});
        assertArrayEquals(new double[] {2, 5}, s.mean, 0);
        assertArrayEquals(new double[] {Math.sqrt(2.0 / 3), 1}, s.sd, 1e-15);
        assertArrayEquals(new double[] {98 / Math.sqrt(2.0 / 3), 2}, s.apply(x[3]), 1e-9);
    }
}
