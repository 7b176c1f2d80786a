package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketaprint.nifti.Image;

/**
 * An analytic smooth warp written as an ITK displacement-field NIfTI and, with the known affine, as an
 * ITK HDF5 composite in fMRIPrep's layout (h5py); results against numpy / scipy map_coordinates.
 */
class WarpTest {
    final Image labels = SpacesData.open("moving_labels.nii.gz");
    final Image map = SpacesData.open("moving_map.nii.gz");
    final Image ref = SpacesData.open("ref.nii.gz");

    @ParameterizedTest
    @CsvSource({"warp.nii.gz, warp", "composite.h5, composite"})
    void labelsAndMap(String file, String expected) {
        TransformChain t = TransformReader.read(SpacesData.file(file));
        assertNull(t.linear(), "a warp is not linear");
        double[] nn = Resampler.resample(labels.readVolumeDouble(0), labels.grid(), ref.grid(), t, Resampler.Interp.NEAREST, 0);
        SpacesData.assertLabelsEqual(SpacesData.open("expected_" + expected + "_nn.nii.gz").readVolumeDouble(0), nn);
        double[] lin = Resampler.resample(map.readVolumeDouble(0), map.grid(), ref.grid(), t, Resampler.Interp.LINEAR, 0);
        double d = SpacesData.maxDiff(SpacesData.open("expected_" + expected + "_lin.nii.gz").readVolumeDouble(0), lin);
        // the field is stored as float32: a 1e-6 mm displacement error moves values by < 1e-6
        assertTrue(d < 2e-5, file + ": max diff " + d);
    }

    @Test
    void compositeHoldsAffineThenField() {
        TransformChain t = TransformReader.read(SpacesData.file("composite.h5"));
        assertEquals(2, t.transforms().size());
        assertTrue(t.transforms().get(0) instanceof AffineTransform);
        assertTrue(t.transforms().get(1) instanceof DisplacementField);
        assertTrue(t.transforms().get(0).linear().equalsWithin(SpacesData.affine(SpacesData.ref().get("affine").get("ras")), 1e-12));
    }

    @Test
    void pointsThroughTheCompositeAndBack() {
        TransformChain t = TransformReader.read(SpacesData.file("composite.h5"));
        JsonNode c = SpacesData.ref().get("composite");
        for (int i = 0; i < c.get("points_ref").size(); i++) {
            double[] p = SpacesData.point(c.get("points_ref").get(i));
            double[] want = SpacesData.point(c.get("points_moving").get(i));
            double[] q = t.toMoving(p);
            for (int k = 0; k < 3; k++) assertEquals(want[k], q[k], 1e-5, "point " + i);
            double[] back = t.toReference(q);
            for (int k = 0; k < 3; k++) assertEquals(p[k], back[k], 1e-5, "inverse of point " + i);
        }
    }

    @Test
    void outsideTheFieldIsNoDisplacement() {
        DisplacementField f = (DisplacementField) TransformReader.read(SpacesData.file("warp.nii.gz")).transforms().get(0);
        double[] far = {500, 500, 500};
        f.map(far);
        assertEquals(500, far[0]);
        assertEquals(500, far[2]);
    }
}
