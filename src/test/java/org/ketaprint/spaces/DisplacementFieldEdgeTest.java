package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * The displacement field's support (issue 15), ITK's rule: d is interpolated where each voxel coordinate lies in
 * [-0.5, n - 0.5], with the edge voxel standing in for its missing neighbour, and is 0 beyond. The field grid is
 * turned a quarter about z, sheared and shifted (powers of two, so its inverse is exact and the boundaries are hit exactly), so every entry of its inverse affine is used. Vectors d(i, j, k) =
 * (1 + i, 10 + j, 100 + k) on 3 x 2 x 2 voxels; world points of voxel coordinates come from the grid's affine.
 */
class DisplacementFieldEdgeTest {
    static final Affine A = new Affine(new double[][] {{0, -2, 0, 7}, {4, 0, 0, -4}, {0, 0.5, 2, 2}, {0, 0, 0, 1}});
    static final Grid G = new Grid(new int[] {3, 2, 2}, A);

    static DisplacementField field() {
        return new DisplacementField(G, vectors(), "F");
    }

    static float[] vectors() {
        float[] v = new float[36];
        for (int k = 0; k < 2; k++) for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++) {
            int p = i + 3 * (j + 2 * k);
            v[3 * p] = 1 + i;
            v[3 * p + 1] = 10 + j;
            v[3 * p + 2] = 100 + k;
        }
        return v;
    }

    /** The displacement the field gives at voxel coordinates (ci, cj, ck). */
    static double[] displacement(DisplacementField f, double ci, double cj, double ck) {
        double[] w = A.apply(ci, cj, ck);
        double[] p = w.clone();
        f.map(p);
        return new double[] {p[0] - w[0], p[1] - w[1], p[2] - w[2]};
    }

    @Test
    void onTheBoundaryTheEdgeVoxelBeyondNothing() {
        DisplacementField f = field();
        double t = 1e-9;
        // low boundary -0.5 on each axis: the edge voxel's vector
        assertArrayEquals(new double[] {1, 11, 101}, displacement(f, -0.5, 1, 1), t);
        assertArrayEquals(new double[] {3, 10, 101}, displacement(f, 2, -0.5, 1), t);
        assertArrayEquals(new double[] {3, 11, 100}, displacement(f, 2, 1, -0.5), t);
        // high boundary n - 0.5
        assertArrayEquals(new double[] {3, 10, 100}, displacement(f, 2.5, 0, 0), t);
        assertArrayEquals(new double[] {1, 11, 100}, displacement(f, 0, 1.5, 0), t);
        assertArrayEquals(new double[] {1, 10, 101}, displacement(f, 0, 0, 1.5), t);
        // between the last centre and the boundary: still the edge voxel (the neighbour clamps to it)
        assertArrayEquals(new double[] {3, 11, 101}, displacement(f, 2.25, 1.25, 1.25), t);
        // inside, trilinear: linear in each index
        assertArrayEquals(new double[] {2.5, 10.25, 100.75}, displacement(f, 1.5, 0.25, 0.75), t);
        // a quarter voxel beyond any face: no displacement
        for (double[] c : new double[][] {{-0.75, 0, 0}, {0, -0.75, 0}, {0, 0, -0.75}, {2.75, 0, 0}, {0, 1.75, 0}, {0, 0, 1.75}}) {
            assertArrayEquals(new double[] {0, 0, 0}, displacement(f, c[0], c[1], c[2]), t, java.util.Arrays.toString(c));
        }
    }

    /** Inside, on a grid whose inverse affine has no zero entry: d at voxel coordinates c is (1 + ci, 10 + cj, 100 + ck). */
    @Test
    void insideOnAGeneralGrid() {
        Affine a = new Affine(new double[][] {{1.2, -0.3, 0.4, 5}, {0.5, 0.9, -0.2, -3}, {-0.1, 0.6, 1.1, 2}, {0, 0, 0, 1}});
        DisplacementField f = new DisplacementField(new Grid(new int[] {3, 2, 2}, a), vectors(), "F");
        for (double[] c : new double[][] {{0.3, 0.2, 0.9}, {1.7, 0.5, 0.1}, {0, 1, 1}, {2, 0.75, 0.25}}) {
            double[] w = a.apply(c[0], c[1], c[2]);
            double[] p = w.clone();
            f.map(p);
            assertArrayEquals(new double[] {1 + c[0], 10 + c[1], 100 + c[2]}, new double[] {p[0] - w[0], p[1] - w[1], p[2] - w[2]}, 1e-9);
        }
    }

    @Test
    void gridAndSource() {
        DisplacementField f = field();
        assertSame(G, f.grid());
        assertEquals("F", f.source());
    }
}
