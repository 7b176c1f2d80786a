package org.ketaprint.pet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * The PSF against scipy 1.10's {@code ndimage.gaussian_filter(a, [1.3, 0.7, 2.1], mode='reflect', truncate=4.0)} on a
 * 7 x 5 x 4 array with 1 at (3, 2, 1), 2 at (0, 0, 0) and -1 at (6, 4, 3) (values printed by /usr/bin/python3); the
 * z kernel (radius 8) is longer than the axis (4), so reflection wraps more than once.
 */
class GaussianTest {
    @Test
    void asScipy() {
        Grid g = new Grid(new int[] {7, 5, 4}, Affine.identity());
        double[] a = new double[g.size()];
        a[g.index(3, 2, 1)] = 1;
        a[g.index(0, 0, 0)] = 2;
        a[g.index(6, 4, 3)] = -1;
        double[] b = Gaussian.filter(a, g, new double[] {1.3, 0.7, 2.1});
        double[][] want = {{3, 2, 1, 0.047286875431450374}, {0, 0, 0, 0.299287460895976}, {6, 4, 3, -0.14956191821863782},
            {5, 1, 2, 0.0045035510640504435}, {1, 3, 0, 0.005699428663459098}, {2, 4, 3, -0.00035732408122675813}};
        for (double[] w : want) {
            assertEquals(w[3], b[g.index((int) w[0], (int) w[1], (int) w[2])], 1e-15, "at " + (int) w[0] + "," + (int) w[1] + "," + (int) w[2]);
        }
        double s = 0;
        for (double v : b) s += v;
        assertEquals(2.0, s, 1e-12);   // reflecting borders keep the sum
    }

    @Test
    void sigmaFromFwhm() {
        Grid g = new Grid(new int[] {4, 4, 4}, new Affine(new double[][] {{2, 0, 0, 0}, {0, 2.5, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 1}}));
        double[] s = Gaussian.sigmaVoxels(g, 6);
        double sd = 6 / (2 * Math.sqrt(2 * Math.log(2)));   // 2.5479...
        assertEquals(sd / 2, s[0], 1e-15);
        assertEquals(sd / 2.5, s[1], 1e-15);
        assertEquals(sd / 3, s[2], 1e-15);
    }

    @Test
    void reflectIndices() {
        // scipy's 'reflect': d c b a | a b c d | d c b a
        int[] want = {3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0};
        for (int p = -4; p <= 8; p++) assertEquals(want[p + 4], Gaussian.reflect(p, 4), "p " + p);
    }
}
