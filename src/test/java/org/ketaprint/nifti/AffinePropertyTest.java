package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Affine.det3 and Affine.inverse on random affines (fixed seed, 200 cases each). */
class AffinePropertyTest {
    private static final int CASES = 200;

    /** A random affine with a well-conditioned 3x3 part: a random matrix plus a dominant diagonal, random shift. */
    static Affine random(Random r) {
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) a[i][j] = r.nextDouble() * 2 - 1;
            a[i][i] += (r.nextBoolean() ? 1 : -1) * (2 + r.nextDouble() * 2);
            a[i][3] = r.nextDouble() * 200 - 100;
        }
        a[3][3] = 1;
        return new Affine(a);
    }

    private static void assertIdentity(Affine m, double tol, String what) {
        Affine id = Affine.identity();
        assertTrue(m.equalsWithin(id, tol), what + " is not the identity:\n" + m);
    }

    /** The 3x3 determinant by Leibniz over all six permutations, independently of Affine.det3's cofactor form. */
    private static double leibniz(Affine a) {
        int[][] perms = {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {0, 2, 1}, {2, 1, 0}, {1, 0, 2}};
        double d = 0;
        for (int p = 0; p < 6; p++) {
            double t = p < 3 ? 1 : -1;
            for (int i = 0; i < 3; i++) t *= a.get(i, perms[p][i]);
            d += t;
        }
        return d;
    }

    @Test
    void inverseTimesAffineIsIdentity() {
        Random r = new Random(15);
        for (int n = 0; n < CASES; n++) {
            Affine a = random(r);
            Affine inv = a.inverse();
            assertIdentity(inv.multiply(a), 1e-9, "case " + n + ": inverse(A) * A");
            assertIdentity(a.multiply(inv), 1e-9, "case " + n + ": A * inverse(A)");
            // a point goes there and back
            double[] p = a.apply(1.5, -2, 3.25);
            double[] back = inv.apply(p[0], p[1], p[2]);
            assertEquals(1.5, back[0], 1e-9);
            assertEquals(-2, back[1], 1e-9);
            assertEquals(3.25, back[2], 1e-9);
        }
    }

    @Test
    void det3MatchesLeibnizAndIsMultiplicative() {
        Random r = new Random(1515);
        for (int n = 0; n < CASES; n++) {
            Affine a = random(r);
            Affine b = random(r);
            assertEquals(leibniz(a), a.det3(), 1e-9 * Math.max(1, Math.abs(leibniz(a))), "case " + n + ": det3");
            double prod = a.det3() * b.det3();
            assertEquals(prod, a.multiply(b).det3(), 1e-9 * Math.max(1, Math.abs(prod)), "case " + n + ": det(AB)");
            assertEquals(1 / a.det3(), a.inverse().det3(), 1e-9, "case " + n + ": det(A^-1)");
        }
    }

    @Test
    void det3SignFlipsWithAMirroredAxis() {
        Random r = new Random(151515);
        for (int n = 0; n < CASES; n++) {
            Affine a = random(r);
            for (int axis = 0; axis < 3; axis++) {
                double[][] m = a.toArray();
                for (int i = 0; i < 3; i++) m[i][axis] = -m[i][axis];
                Affine mirrored = new Affine(m);
                assertEquals(-a.det3(), mirrored.det3(), 1e-9 * Math.max(1, Math.abs(a.det3())),
                    "case " + n + ", axis " + axis);
                assertEquals(a.voxelVolume(), mirrored.voxelVolume(), 1e-9 * Math.max(1, a.voxelVolume()));
            }
        }
    }

    @Test
    void det3OfKnownMatrices() {
        assertEquals(2 * 3 * 4, Affine.diagonal(new double[] {2, 3, 4}, new double[] {1, 1, 1}).det3(), 0.0);
        assertEquals(-2 * 3 * 4, Affine.diagonal(new double[] {-2, 3, 4}, new double[3]).det3(), 0.0);
        // a permutation of axes (one swap) is a mirror: determinant -1
        Affine swap = new Affine(new double[][] {{0, 1, 0, 5}, {1, 0, 0, 6}, {0, 0, 1, 7}, {0, 0, 0, 1}});
        assertEquals(-1, swap.det3(), 0.0);
    }
}
