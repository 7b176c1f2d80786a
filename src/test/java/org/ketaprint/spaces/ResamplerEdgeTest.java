package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * Trilinear sampling at the edges of the source (issue 15). ITK's rule: a point is inside when each voxel
 * coordinate lies in [-0.5, n - 0.5], and the neighbour beyond the edge is the edge voxel itself. So on the
 * boundary itself the value is the edge voxel's, and between the last voxel centre and the boundary it still is.
 * Values v(i, j, k) = 1 + i + 10 j + 100 k on a 3 x 2 x 2 grid; expected values by that formula.
 */
class ResamplerEdgeTest {
    static final Grid G = new Grid(new int[] {3, 2, 2}, Affine.identity());

    static double value(int i, int j, int k) {
        return 1 + i + 10 * j + 100 * k;
    }

    static double[] volume() {
        double[] v = new double[12];
        for (int k = 0; k < 2; k++) for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++) v[i + 3 * (j + 2 * k)] = value(i, j, k);
        return v;
    }

    @Test
    void onTheBoundaryTheEdgeVoxel() {
        double[] v = volume();
        double out = -1;
        // low boundary, each axis alone and all at once
        assertEquals(value(0, 1, 1), Resampler.linear(v, G, -0.5, 1, 1, out), 0);
        assertEquals(value(2, 0, 1), Resampler.linear(v, G, 2, -0.5, 1, out), 0);
        assertEquals(value(2, 1, 0), Resampler.linear(v, G, 2, 1, -0.5, out), 0);
        assertEquals(value(0, 0, 0), Resampler.linear(v, G, -0.5, -0.5, -0.5, out), 0);
        // high boundary n - 0.5
        assertEquals(value(2, 0, 0), Resampler.linear(v, G, 2.5, 0, 0, out), 0);
        assertEquals(value(0, 1, 0), Resampler.linear(v, G, 0, 1.5, 0, out), 0);
        assertEquals(value(0, 0, 1), Resampler.linear(v, G, 0, 0, 1.5, out), 0);
        assertEquals(value(2, 1, 1), Resampler.linear(v, G, 2.5, 1.5, 1.5, out), 0);
        // just beyond: outside
        double eps = 1e-9;
        for (double[] c : new double[][] {{-0.5 - eps, 0, 0}, {0, -0.5 - eps, 0}, {0, 0, -0.5 - eps},
                {2.5 + eps, 0, 0}, {0, 1.5 + eps, 0}, {0, 0, 1.5 + eps}}) {
            assertEquals(out, Resampler.linear(v, G, c[0], c[1], c[2], out), 0);
        }
    }

    @Test
    void betweenTheLastCentreAndTheBoundaryTheEdgeVoxel() {
        double[] v = volume();
        // the far neighbour clamps to the edge voxel, so the value does not move (on every row, column and slice)
        for (int k = 0; k < 2; k++) for (int j = 0; j < 2; j++) {
            assertEquals(value(2, j, k), Resampler.linear(v, G, 2.25, j, k, -1), 1e-12);
        }
        for (int k = 0; k < 2; k++) for (int i = 0; i < 3; i++) {
            assertEquals(value(i, 1, k), Resampler.linear(v, G, i, 1.25, k, -1), 1e-12);
        }
        for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++) {
            assertEquals(value(i, j, 1), Resampler.linear(v, G, i, j, 1.25, -1), 1e-12);
        }
        // and halfway between centres inside, the mean of the two (the formula is linear in each index)
        assertEquals(value(1, 0, 0) + 0.5, Resampler.linear(v, G, 1.5, 0, 0, -1), 1e-12);
        assertEquals(value(1, 0, 0) + 5, Resampler.linear(v, G, 1, 0.5, 0, -1), 1e-12);
        assertEquals(value(1, 0, 0) + 50, Resampler.linear(v, G, 1, 0, 0.5, -1), 1e-12);
    }

    /**
     * The point-by-point path (a transform with no linear form) with a target grid that is not the identity: target
     * voxel (i, j, k) sits at world (2i + 1, 3j - 2, 0.5k + 4) in the target; the transform shifts by (-1, 2, -4), and
     * the source grid is the plain voxel = mm grid, so the value is that of source voxel (2i, 3j, 0.5k).
     */
    @Test
    void pointByPointPathUsesTheWholeTargetAffine() {
        Grid src = new Grid(new int[] {5, 4, 3}, Affine.identity());
        double[] v = new double[src.size()];
        for (int k = 0; k < 3; k++) for (int j = 0; j < 4; j++) for (int i = 0; i < 5; i++) v[i + 5 * (j + 4 * k)] = value(i, j, k);
        Affine ta = new Affine(new double[][] {{2, 0, 0, 1}, {0, 3, 0, -2}, {0, 0, 0.5, 4}, {0, 0, 0, 1}});
        Grid target = new Grid(new int[] {4, 2, 5}, ta);
        Transform shift = new Transform() {
            @Override
            public void map(double[] p) {
                p[0] -= 1;
                p[1] += 2;
                p[2] -= 4;
            }

            @Override
            public String source() {
                return "shift";
            }
        };
        for (Resampler.Interp interp : Resampler.Interp.values()) {
            double[] got = Resampler.resample(v, src, target, shift, interp, -7);
            double[] want = new double[target.size()];
            for (int k = 0; k < 5; k++) for (int j = 0; j < 2; j++) for (int i = 0; i < 4; i++) {
                double si = 2 * i, sj = 3 * j, sk = 0.5 * k;
                double w;
                if (si > 4.5 || sj > 3.5 || sk > 2.5) w = -7;
                else if (interp == Resampler.Interp.LINEAR) w = 1 + si + 10 * sj + 100 * sk;   // linear in each index
                else w = value((int) Math.floor(si + 0.5), (int) Math.floor(sj + 0.5), (int) Math.floor(sk + 0.5));
                want[i + 4 * (j + 2 * k)] = w;
            }
            assertArrayEquals(want, got, 1e-9, interp.toString());
        }
    }
}
