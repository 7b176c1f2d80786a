package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Eigen3 edge cases (issue 15): equal eigenvalues keep the axes in x, y, z order (a stable sort), the
 * 1e-300 off-diagonal floor, and a rotation angle so small that theta^2 overflows.
 */
class Eigen3EdgesTest {
    static double[][] eig(double xx, double xy, double yy, double xz, double yz, double zz) {
        double[] ev = new double[3], vec = new double[9];
        Eigen3.decompose(xx, xy, yy, xz, yz, zz, ev, vec);
        return new double[][] {ev, vec};
    }

    @Test
    void tiesKeepTheAxisOrder() {
        double[][] r = eig(1, 0, 1, 0, 0, 1);
        assertArrayEquals(new double[] {1, 1, 1}, r[0]);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, r[1]);
        r = eig(2, 0, 1, 0, 0, 1);                    // x largest, y and z tied
        assertArrayEquals(new double[] {2, 1, 1}, r[0]);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, r[1]);
        r = eig(1, 0, 2, 0, 0, 2);                    // y and z tied largest: y first
        assertArrayEquals(new double[] {2, 2, 1}, r[0]);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0}, r[1]);
        r = eig(1, 0, 1, 0, 0, 3);                    // z largest, x and y tied: x before y
        assertArrayEquals(new double[] {3, 1, 1}, r[0]);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, r[1]);
    }

    @Test
    void offDiagonalAtTheFloorIsTakenAsDiagonal() {
        double[][] r = eig(0, 1e-300, 0, 0, 0, 0);     // |xy| = 1e-300 exactly: no rotation
        assertArrayEquals(new double[] {0, 0, 0}, r[0]);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, r[1]);
    }

    @Test
    void overflowingRotationAngle() {
        // xy = 1e-160 against yy - xx = 1: theta = 5e159, theta^2 overflows; xz = 0.3 keeps the sweep going.
        // Eigenvalues: 1 (y, up to 1e-160) and those of [[0, 0.3], [0.3, 0.5]]: (0.5 +- sqrt(0.25 + 0.36)) / 2.
        double[][] r = eig(0, 1e-160, 1, 0.3, 0, 0.5);
        double s = Math.sqrt(0.61);
        assertEquals(1, r[0][0], 1e-14);
        assertEquals((0.5 + s) / 2, r[0][1], 1e-14);
        assertEquals((0.5 - s) / 2, r[0][2], 1e-14);
        assertEquals(1, Math.abs(r[1][1]), 1e-14);
        // the second eigenvector lies in the x-z plane: (0.3, lambda) normalised, up to sign
        double l = (0.5 + s) / 2, nrm = Math.hypot(0.3, l);
        assertEquals(0.3 / nrm, Math.abs(r[1][3]), 1e-12);
        assertEquals(0, r[1][4], 1e-14);
        assertEquals(l / nrm, Math.abs(r[1][5]), 1e-12);
    }
}
