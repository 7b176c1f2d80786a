package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A v = lambda v, orthonormal vectors, descending order, on random and degenerate matrices. */
class Eigen3Test {
    @Test
    void decomposesSymmetricMatrices() {
        Random r = new Random(1);
        double[] ev = new double[3], vec = new double[9];
        for (int it = 0; it < 2000; it++) {
            double[] m = new double[6];
            for (int i = 0; i < 6; i++) m[i] = r.nextGaussian() * (it % 3 == 0 ? 1e-3 : 1);
            if (it % 7 == 0) m = new double[] {2, 0, 2, 0, 0, 1};       // repeated eigenvalue
            if (it % 11 == 0) m = new double[] {1e-3, 0, 1e-3, 0, 0, 1e-3}; // isotropic
            Eigen3.decompose(m[0], m[1], m[2], m[3], m[4], m[5], ev, vec);
            double[][] a = {{m[0], m[1], m[3]}, {m[1], m[2], m[4]}, {m[3], m[4], m[5]}};
            double scale = Math.abs(ev[0]) + Math.abs(ev[2]);
            assertTrue(ev[0] >= ev[1] && ev[1] >= ev[2]);
            assertEquals(m[0] + m[2] + m[5], ev[0] + ev[1] + ev[2], 1e-12 * scale + 1e-300);
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < 3; i++) {
                    double av = 0;
                    for (int j = 0; j < 3; j++) av += a[i][j] * vec[3 * k + j];
                    assertEquals(ev[k] * vec[3 * k + i], av, 1e-12 * scale);
                }
                for (int l = 0; l < 3; l++) {
                    double d = 0;
                    for (int i = 0; i < 3; i++) d += vec[3 * k + i] * vec[3 * l + i];
                    assertEquals(k == l ? 1 : 0, d, 1e-12);
                }
            }
        }
    }
}
