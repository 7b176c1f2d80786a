package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * Property (issue 15): resampling an image onto its own grid through an identity transform gives the image back,
 * voxel for voxel: nearest neighbour exactly, trilinear to rounding. Random grids (sizes 1 to 9 along each axis),
 * random affines (rotation, shear, scaling, either handedness, a shift), random values, fixed seeds. The identity is
 * given every way the code can see it: no transform, the empty chain, an identity affine, an affine followed by its
 * inverse, and a zero displacement field (the non-linear, point-by-point path). Grid.resampleNearest, which brings
 * atlas labels onto a data grid when the spaces agree, is held to the same property. A companion property makes the
 * transform matter: through a random affine T onto the grid whose affine is T^-1 A P (A the image's, P a permutation and
 * flip of the voxel axes), target voxel u maps onto source voxel centre P u, so the image comes back permuted, exactly.
 */
class IdentityResampleTest {
    static IntStream seeds() {
        return IntStream.range(0, 40);
    }

    /** A random 3x3 part (well conditioned, any handedness) times voxel sizes 0.5 to 4 mm, and a shift up to 100 mm. */
    static Affine randomAffine(Random r) {
        double[][] a = new double[4][4];
        double[] size = {0.5 + 3.5 * r.nextDouble(), 0.5 + 3.5 * r.nextDouble(), 0.5 + 3.5 * r.nextDouble()};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double off = 0.6 * (r.nextDouble() * 2 - 1);
                a[i][j] = (off + (i == j ? (r.nextBoolean() ? 1.5 : -1.5) : 0)) * size[j];
            }
            a[i][3] = r.nextDouble() * 200 - 100;
        }
        a[3][3] = 1;
        if (r.nextInt(4) == 0) {
            // now and then a plain axis-aligned one, the common case of atlases and templates
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) a[i][j] = i == j ? size[i] * (r.nextBoolean() ? 1 : -1) : 0;
        }
        return new Affine(a);
    }

    static Grid randomGrid(Random r) {
        return new Grid(new int[] {1 + r.nextInt(9), 1 + r.nextInt(9), 1 + r.nextInt(9)}, randomAffine(r));
    }

    /** Every way of saying "identity", the last two on the point-by-point path or through a product of affines. */
    static List<Transform> identities(Random r) {
        Affine a = randomAffine(r);
        Grid fieldGrid = randomGrid(r);
        return java.util.Arrays.asList(
            null,
            TransformChain.identity(),
            new AffineTransform(Affine.identity(), "identity"),
            new TransformChain(List.of(new AffineTransform(a, "A"), new AffineTransform(a.inverse(), "A^-1"))),
            new TransformChain(List.of(new DisplacementField(fieldGrid, new float[3 * fieldGrid.size()], "zero field"))));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void nearestGivesTheImageBackExactly(int seed) {
        Random r = new Random(1500 + seed);
        Grid g = randomGrid(r);
        double[] labels = new double[g.size()];
        for (int p = 0; p < labels.length; p++) labels[p] = r.nextInt(200);   // labels: neighbours differ
        for (Transform t : identities(r)) {
            String what = "seed " + seed + ", grid " + g + ", " + (t == null ? "no transform" : t.source());
            assertArrayEquals(labels, Resampler.resample(labels, g, g, t, Resampler.Interp.NEAREST, -1), what);
        }
        assertArrayEquals(labels, g.resampleNearest(g, labels, -1), "Grid.resampleNearest, seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void linearGivesTheImageBackToRounding(int seed) {
        Random r = new Random(2500 + seed);
        Grid g = randomGrid(r);
        double[] map = new double[g.size()];
        for (int p = 0; p < map.length; p++) map[p] = r.nextDouble() * 2000 - 1000;
        for (Transform t : identities(r)) {
            String what = "seed " + seed + ", grid " + g + ", " + (t == null ? "no transform" : t.source());
            double[] out = Resampler.resample(map, g, g, t, Resampler.Interp.LINEAR, Double.NaN);
            // a voxel centre lands within rounding (about 1e-13 voxel) of itself: the value moves by that times a difference
            for (int p = 0; p < map.length; p++) assertEquals(map[p], out[p], 1e-8, what + ", voxel " + p);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anAffineFoldedIntoTheTargetGridCancels(int seed) {
        Random r = new Random(3500 + seed);
        Grid g = randomGrid(r);
        Affine t = randomAffine(r);
        // target axis a runs along source axis perm[a], reversed when flip[a]: a voxel permutation P, so the target grid's
        // affine is T^-1 A P and target voxel u lands on source voxel P u, whose value is known by index arithmetic
        int[] perm = List.of(new int[] {0, 1, 2}, new int[] {1, 2, 0}, new int[] {2, 0, 1}, new int[] {1, 0, 2},
            new int[] {0, 2, 1}, new int[] {2, 1, 0}).get(r.nextInt(6));
        boolean[] flip = {r.nextBoolean(), r.nextBoolean(), r.nextBoolean()};
        int[] sd = g.dims();
        int[] td = {sd[perm[0]], sd[perm[1]], sd[perm[2]]};
        double[][] pm = new double[4][4];
        for (int a = 0; a < 3; a++) {
            pm[perm[a]][a] = flip[a] ? -1 : 1;
            pm[perm[a]][3] = flip[a] ? sd[perm[a]] - 1 : 0;
        }
        pm[3][3] = 1;
        Grid target = new Grid(td, t.inverse().multiply(g.affine).multiply(new Affine(pm)));
        double[] map = new double[g.size()];
        for (int p = 0; p < map.length; p++) map[p] = r.nextInt(200);
        double[] want = new double[target.size()];
        int[] u = new int[3];
        int[] src = new int[3];
        for (u[2] = 0; u[2] < td[2]; u[2]++) {
            for (u[1] = 0; u[1] < td[1]; u[1]++) {
                for (u[0] = 0; u[0] < td[0]; u[0]++) {
                    for (int a = 0; a < 3; a++) src[perm[a]] = flip[a] ? sd[perm[a]] - 1 - u[a] : u[a];
                    want[target.index(u[0], u[1], u[2])] = map[g.index(src[0], src[1], src[2])];
                }
            }
        }
        Grid fieldGrid = randomGrid(r);
        DisplacementField zero = new DisplacementField(fieldGrid, new float[3 * fieldGrid.size()], "zero field");
        AffineTransform at = new AffineTransform(t, "T");
        for (Transform tr : List.of(at, new TransformChain(List.of(at, zero)))) {
            String what = "seed " + seed + ", grid " + g + ", axes " + java.util.Arrays.toString(perm) + " flipped "
                + java.util.Arrays.toString(flip) + ", " + tr.source();
            assertArrayEquals(want, Resampler.resample(map, g, target, tr, Resampler.Interp.NEAREST, -1), what);
            double[] out = Resampler.resample(map, g, target, tr, Resampler.Interp.LINEAR, Double.NaN);
            for (int p = 0; p < want.length; p++) assertEquals(want[p], out[p], 1e-8, what + ", linear, voxel " + p);
        }
    }
}
