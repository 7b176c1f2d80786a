package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/** ITK's sampling rules on a 3 x 2 x 1 grid, values known by construction. */
class ResamplerRulesTest {
    final Grid g = new Grid(new int[] {3, 2, 1}, Affine.identity());
    final double[] v = {10, 20, 30, 40, 50, 60};   // x fastest: row j = 0 is 10, 20, 30

    @Test
    void trilinearInsideHalfVoxelBorderClampsToEdge() {
        assertEquals(12.5, Resampler.linear(v, g, 0.25, 0, 0, -1), 1e-12);
        assertEquals(10, Resampler.linear(v, g, -0.5, 0, 0, -1), 1e-12);
        assertEquals(30, Resampler.linear(v, g, 2.5, 0, 0, -1), 1e-12);
        assertEquals(-1, Resampler.linear(v, g, -0.51, 0, 0, -1));
        assertEquals(-1, Resampler.linear(v, g, 2.51, 0, 0, -1));
        assertEquals(27.5 + 0.5 * 30, Resampler.linear(v, g, 1.75, 0.5, 0, -1), 1e-12);   // (27.5 + 57.5) / 2
        assertEquals(-1, Resampler.linear(v, g, 1, 0, 0.6, -1), "z beyond half a voxel");
    }

    @Test
    void nearestRoundsHalfUp() {
        assertEquals(20, Resampler.nearest(v, g, 0.5, 0, 0, -1));
        assertEquals(10, Resampler.nearest(v, g, 0.4999, 0, 0, -1));
        assertEquals(10, Resampler.nearest(v, g, -0.5, 0, 0, -1));
        assertEquals(-1, Resampler.nearest(v, g, -0.51, 0, 0, -1));
        assertEquals(-1, Resampler.nearest(v, g, 2.5, 0, 0, -1));
        assertEquals(60, Resampler.nearest(v, g, 2.2, 1.3, 0.2, -1));
    }

    @Test
    void identityOntoAShiftedGridIsAShift() {
        // target grid shifted by one voxel in x: target voxel i samples source voxel i + 1
        double[][] a = {{1, 0, 0, 1}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        Grid shifted = new Grid(new int[] {3, 2, 1}, new Affine(a));
        double[] out = Resampler.resample(v, g, shifted, TransformChain.identity(), Resampler.Interp.NEAREST, 0);
        assertEquals(java.util.List.of(20.0, 30.0, 0.0, 50.0, 60.0, 0.0), java.util.Arrays.stream(out).boxed().toList());
        assertThrows(IllegalArgumentException.class,
            () -> Resampler.resample(new double[5], g, shifted, null, Resampler.Interp.LINEAR, 0));
    }
}
