package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Image;

/** volume and icv on the oblique label image, against nibabel/numpy counts and a FreeSurfer aseg.stats. */
class StructuralMeasuresTest {
    final Image seg = TestData.open("labels_oblique.nii.gz");
    final JsonNode counts = TestData.ref("labels_oblique.nii.gz").get("counts");

    double vol(int label) {
        return counts.get(Integer.toString(label)).get("volume_mm3").asDouble();
    }

    static Volume.Params v(String label, String normalize, String source) {
        return ParamSet.of(Volume.Params.class).bind(Map.of("label", label, "normalize", normalize, "source", source));
    }

    @Test
    void withMaskAndNoStats() {
        Segmentation s = new Segmentation(seg, null, null, TestData.open("brainmask.nii.gz"), null);
        Volume m = new Volume();
        assertEquals(vol(17), m.compute(s, v("Left-Hippocampus", "none", "voxels")).value(), 1e-9);
        assertEquals(vol(53), m.compute(s, v("53", "none", "voxels")).value(), 1e-9);
        assertEquals(vol(26), m.compute(s, v("Left-Accumbens-area", "none", "voxels")).value(), 1e-9);
        double icv = new Icv().compute(s, new Icv.Params()).value();
        assertEquals(IcvEstimate.fromMask(TestData.open("brainmask.nii.gz")).mm3(), icv, 1e-9 * icv);
        assertTrue(s.icv.source().contains("brain mask"));
        assertEquals(vol(58) / icv, m.compute(s, v("Right-Accumbens-area", "icv", "voxels")).value(), 1e-12);
        assertTrue(m.compute(s, v("17", "none", "asegstats")).na().contains("aseg.stats"), "no stats: n/a with the reason");
    }

    @Test
    void withAsegStats() {
        AsegStats stats = AsegStats.read(Path.of("test-data/structural/aseg.stats"));
        Segmentation s = new Segmentation(seg, null, stats, null, null);
        Volume m = new Volume();
        assertEquals(1543210.987654, new Icv().compute(s, new Icv.Params()).value(), 1e-9);
        assertEquals(vol(17) / 1543210.987654, m.compute(s, v("17", "icv", "voxels")).value(), 1e-15);
        assertEquals(4102.7, m.compute(s, v("17", "none", "asegstats")).value());
        assertEquals(588.6, m.compute(s, v("58", "none", "asegstats")).value());
        assertTrue(m.describe(v("17", "none", "asegstats")).contains("--pv"));
        assertTrue(s.icv.source().contains("eTIV"));
    }
}
