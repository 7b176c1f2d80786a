package org.ketaprint.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/** Slices in neurological convention from grids stored in other orientations, values known by construction. */
class ViewTest {
    /** value = i + 10 j + 100 k of grid voxel (i, j, k). */
    static double[] coded(Grid g) {
        double[] v = new double[g.size()];
        for (int k = 0; k < g.nz; k++) for (int j = 0; j < g.ny; j++) for (int i = 0; i < g.nx; i++) v[g.index(i, j, k)] = i + 10 * j + 100 * k;
        return v;
    }

    @Test
    void lasGridIsFlippedInX() {
        Grid g = new Grid(new int[] {3, 4, 5}, new Affine(new double[][] {{-2, 0, 0, 10}, {0, 3, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}}));
        View v = new View(g);
        assertArrayEquals(new int[] {3, 4, 5}, v.dims());
        assertEquals(3.0, v.mm(1));
        View.Slice s = v.slice(coded(g), View.Plane.AXIAL, 2);
        assertEquals(3, s.width());
        assertEquals(4, s.height());
        // top-left: the subject's left (largest i in an LAS grid), most anterior row (j = 3)
        assertEquals(2 + 30 + 200, s.values()[0]);
        // top-right: i = 0 (rightmost), bottom-left: j = 0
        assertEquals(0 + 30 + 200, s.values()[2]);
        assertEquals(2 + 0 + 200, s.values()[3 * 3]);
        assertEquals(2.0, s.colMm());
        assertEquals(3.0, s.rowMm());
    }

    @Test
    void permutedAxesAreFoundByTheLargestCosine() {
        // voxel axis 0 runs superior, axis 1 runs right, axis 2 runs posterior (x' = j, y' = -k, z' = i)
        Grid g = new Grid(new int[] {5, 3, 4}, new Affine(new double[][] {{0, 1, 0, 0}, {0, 0, -1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}}));
        View v = new View(g);
        assertArrayEquals(new int[] {3, 4, 5}, v.dims());
        // canonical (x, y, z) = (j, 3 - k, i)
        assertEquals(g.index(4, 2, 3 - 1), v.index(2, 1, 4));
        View.Slice cor = v.slice(coded(g), View.Plane.CORONAL, 1);   // canonical y = 1: k = 2
        assertEquals(3, cor.width());
        assertEquals(5, cor.height());
        // top row: most superior (i = 4); columns: x = j ascending
        assertEquals(4 + 0 + 200, cor.values()[0]);
        assertEquals(4 + 20 + 200, cor.values()[2]);
        assertEquals(0 + 20 + 200, cor.values()[4 * 3 + 2]);
        View.Slice sag = v.slice(coded(g), View.Plane.SAGITTAL, 0);   // x = 0: j = 0; columns y ascending = k descending
        assertEquals(4, sag.width());
        assertEquals(4 + 300, sag.values()[0]);
        assertEquals(4 + 0, sag.values()[3]);
    }

    @Test
    void slicesThroughAMaskSpreadOverItsExtent() {
        Grid g = new Grid(new int[] {4, 4, 10}, Affine.identity());
        View v = new View(g);
        boolean[] m = new boolean[g.size()];
        for (int k = 2; k <= 8; k++) m[g.index(1, 1, k)] = true;
        assertArrayEquals(new int[] {4, 5, 7}, v.slicesThrough(m, View.Plane.AXIAL, 3));
        assertArrayEquals(new int[] {5}, v.slicesThrough(m, View.Plane.AXIAL, 1));
        assertArrayEquals(new int[] {1}, v.slicesThrough(m, View.Plane.SAGITTAL, 3));
        assertArrayEquals(new int[0], v.slicesThrough(new boolean[g.size()], View.Plane.AXIAL, 3));
        assertArrayEquals(new String[] {"P", "A"}, View.sideLabels(View.Plane.SAGITTAL));
        assertArrayEquals(new String[] {"L", "R"}, View.sideLabels(View.Plane.AXIAL));
    }
}
