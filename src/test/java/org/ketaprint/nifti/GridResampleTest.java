package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Grid.resampleNearest on grids whose relation is known by construction. */
class GridResampleTest {
    private static final int[] DIMS = {5, 4, 3};
    private static final double OUT = -999;

    private static Affine affine(double ti, double tj, double tk) {
        // 2 x 3 x 4 mm voxels with a mirrored x, shifted by (ti, tj, tk) voxels
        return new Affine(new double[][] {
            {-2, 0, 0, 10 - 2 * ti}, {0, 3, 0, -7 + 3 * tj}, {0, 0, 4, 1 + 4 * tk}, {0, 0, 0, 1}});
    }

    private static double[] values(Grid g) {
        double[] v = new double[g.size()];
        for (int i = 0; i < v.length; i++) v[i] = 100 + i * 1.5;
        return v;
    }

    /** Value the target voxel (i, j, k) should get when it sits on source voxel (i+di, j+dj, k+dk). */
    private static double[] shifted(Grid src, double[] v, int di, int dj, int dk) {
        double[] out = new double[src.size()];
        for (int k = 0; k < src.nz; k++) {
            for (int j = 0; j < src.ny; j++) {
                for (int i = 0; i < src.nx; i++) {
                    int si = i + di, sj = j + dj, sk = k + dk;
                    boolean in = si >= 0 && sj >= 0 && sk >= 0 && si < src.nx && sj < src.ny && sk < src.nz;
                    out[src.index(i, j, k)] = in ? v[src.index(si, sj, sk)] : OUT;
                }
            }
        }
        return out;
    }

    @Test
    void identityReturnsTheImageExactly() {
        Grid g = new Grid(DIMS, affine(0, 0, 0));
        double[] v = values(g);
        assertArrayEquals(v, g.resampleNearest(g, v, OUT), 0.0);
        // an oblique grid too
        Affine rot = new Affine(new double[][] {
            {0.8, -0.6, 0, 3}, {0.6, 0.8, 0, -2}, {0, 0, 1.5, 4}, {0, 0, 0, 1}});
        Grid o = new Grid(DIMS, rot);
        assertArrayEquals(v, o.resampleNearest(o, v, OUT), 0.0);
    }

    @Test
    void oneVoxelShiftShiftsTheDataByOneIndex() {
        Grid src = new Grid(DIMS, affine(0, 0, 0));
        double[] v = values(src);
        int[][] shifts = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}, {1, -1, 1}};
        for (int[] s : shifts) {
            // target voxel 0 sits where source voxel s is
            Grid target = new Grid(DIMS, affine(s[0], s[1], s[2]));
            assertArrayEquals(shifted(src, v, s[0], s[1], s[2]), target.resampleNearest(src, v, OUT), 0.0,
                "shift " + s[0] + "," + s[1] + "," + s[2]);
        }
    }

    @Test
    void halfVoxelRoundsHalfUp() {
        // the voxel coordinate is rounded as floor(v + 0.5): +0.5 goes to the next voxel, -0.5 stays
        Grid src = new Grid(DIMS, affine(0, 0, 0));
        double[] v = values(src);
        Grid up = new Grid(DIMS, affine(0.5, 0, 0));
        assertArrayEquals(shifted(src, v, 1, 0, 0), up.resampleNearest(src, v, OUT), 0.0, "+0.5 voxel in i");
        Grid down = new Grid(DIMS, affine(0, 0, -0.5));
        assertArrayEquals(shifted(src, v, 0, 0, 0), down.resampleNearest(src, v, OUT), 0.0, "-0.5 voxel in k");
        Grid below = new Grid(DIMS, affine(0, -0.75, 0));
        assertArrayEquals(shifted(src, v, 0, -1, 0), below.resampleNearest(src, v, OUT), 0.0, "-0.75 voxel in j");
    }

    @Test
    void finerTargetRepeatsSourceVoxels() {
        // target voxels of half the size in i: target i at source i/2, so 0,0.5->0,1 (half up), 1->1, 1.5->2 ...
        Grid src = new Grid(new int[] {3, 1, 1}, Affine.diagonal(new double[] {2, 1, 1}, new double[3]));
        Grid fine = new Grid(new int[] {6, 1, 1}, Affine.diagonal(new double[] {1, 1, 1}, new double[3]));
        double[] got = fine.resampleNearest(src, new double[] {10, 20, 30}, OUT);
        assertArrayEquals(new double[] {10, 20, 20, 30, 30, OUT}, got, 0.0);
        assertEquals(6, got.length);
    }
}
