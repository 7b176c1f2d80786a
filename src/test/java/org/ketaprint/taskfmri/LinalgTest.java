package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinalgTest {
    private static double[][] random(int m, int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[m][n];
        for (double[] row : x) for (int j = 0; j < n; j++) row[j] = r.nextGaussian() * (j + 1);
        return x;
    }

    /** The QR route gives the SVD's pseudo-inverse, and pinv(x) x is the identity. */
    @Test
    void qrAgreesWithSvd() {
        double[][] x = random(300, 27, 3);
        double[][] a = Linalg.pinvQr(x);
        double[][] b = Linalg.pinvSvd(x);
        for (int i = 0; i < 27; i++) for (int t = 0; t < 300; t++) assertEquals(b[i][t], a[i][t], 1e-13);
        for (int i = 0; i < 27; i++) {
            for (int j = 0; j < 27; j++) {
                double s = 0;
                for (int t = 0; t < 300; t++) s += a[i][t] * x[t][j];
                assertEquals(i == j ? 1 : 0, s, 1e-12);
            }
        }
    }

    /** A zero or repeated column is left to the SVD, which drops the null direction as scipy does. */
    @Test
    void rankDeficientFallsBackToSvd() {
        double[][] x = random(50, 4, 5);
        for (double[] row : x) row[2] = 0;
        assertNull(Linalg.pinvQr(x));
        assertEquals(3, Linalg.rank(x));
        double[][] p = Linalg.pinv(x);
        for (int t = 0; t < 50; t++) assertEquals(0.0, p[2][t], 1e-15);
        double[][] y = random(50, 3, 6);
        for (double[] row : y) row[2] = 2 * row[0];
        assertNull(Linalg.pinvQr(y));
        assertEquals(2, Linalg.rank(y));
    }
}
