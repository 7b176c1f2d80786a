package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Image;

/**
 * One known affine written by hand (numpy) as ITK text, ANTs MATLAB v4 .mat (scipy.io.savemat), FSL FLIRT
 * .mat, and as a two-transform ITK composite; applied to a label phantom and a smooth map on an oblique,
 * anisotropic reference grid, against numpy nearest / scipy map_coordinates results.
 */
class AffineFormatsTest {
    final Image labels = SpacesData.open("moving_labels.nii.gz");
    final Image map = SpacesData.open("moving_map.nii.gz");
    final Image ref = SpacesData.open("ref.nii.gz");
    final Affine truth = SpacesData.affine(SpacesData.ref().get("affine").get("ras"));

    TransformChain read(String name) {
        return TransformReader.read(SpacesData.file(name), ref.grid(), labels.grid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"affine.txt", "affine_mob.txt", "affine.mat", "affine_be.mat", "affine_flirt.mat", "chain.txt"})
    void matrixIsTheKnownOne(String name) {
        Affine got = read(name).linear();
        assertNotNull(got, name + " is linear");
        double tol = name.contains("flirt") ? 1e-5 : 1e-12;   // FLIRT text has 10 decimals, translations ~50 mm away
        assertTrue(got.equalsWithin(truth, tol), name + ":\n" + got + "vs\n" + truth);
    }

    @ParameterizedTest
    @ValueSource(strings = {"affine.txt", "affine_mob.txt", "affine.mat", "affine_be.mat", "affine_flirt.mat", "chain.txt"})
    void labelsLandWhereTheMatrixSays(String name) {
        double[] got = Resampler.resample(labels.readVolumeDouble(0), labels.grid(), ref.grid(), read(name),
            Resampler.Interp.NEAREST, 0);
        double[] want = SpacesData.open("expected_affine_nn.nii.gz").readVolumeDouble(0);
        int n = SpacesData.assertLabelsEqual(want, got);
        assertEquals(ref.grid().size(), n + SpacesData.ref().get("affine").get("ties").asInt());
        long nonzero = java.util.Arrays.stream(got).filter(v -> v > 0).count();
        assertEquals(SpacesData.ref().get("affine").get("nonzero_labels").asLong(), nonzero);
    }

    @ParameterizedTest
    @ValueSource(strings = {"affine.txt", "affine_mob.txt", "affine.mat", "affine_be.mat", "affine_flirt.mat", "chain.txt"})
    void trilinearMatchesMapCoordinates(String name) {
        double[] got = Resampler.resample(map.readVolumeDouble(0), map.grid(), ref.grid(), read(name),
            Resampler.Interp.LINEAR, 0);
        double[] want = SpacesData.open("expected_affine_lin.nii.gz").readVolumeDouble(0);
        double d = SpacesData.maxDiff(want, got);
        assertTrue(d < 2e-6, name + ": max diff " + d + " (reference stored as float32)");
    }

    @Test
    void chainOrderMatters() {
        // the same two affines in the other order must not give the known matrix
        TransformChain c = read("chain.txt");
        TransformChain swapped = new TransformChain(java.util.List.of(c.transforms().get(1), c.transforms().get(0)));
        assertTrue(!swapped.linear().equalsWithin(truth, 1e-3));
    }

    @Test
    void pointsAndInverse() {
        TransformChain c = read("affine.txt");
        double[] p = {10, -20, 30};
        double[] q = c.toMoving(p);
        double[] want = truth.apply(10, -20, 30);
        for (int i = 0; i < 3; i++) assertEquals(want[i], q[i], 1e-9);
        double[] back = c.toReference(q);
        for (int i = 0; i < 3; i++) assertEquals(p[i], back[i], 1e-9);
    }

    @Test
    void flirtNeedsItsImages() {
        Path f = SpacesData.file("affine_flirt.mat");
        var e = org.junit.jupiter.api.Assertions.assertThrows(TransformException.class, () -> TransformReader.read(f));
        assertTrue(e.getMessage().contains("affine_flirt.mat") && e.getMessage().contains("reference and moving"), e.getMessage());
    }
}
