package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.measure.Value;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;

/** Issue 14: volume's n/a carries a reason: a label aseg.stats lacks, and an ICV of 0 to divide by. */
class VolumeNaReasonsTest {
    @TempDir
    Path tmp;

    @Test
    void aLabelMissingFromAsegStatsIsNaWithTheReason() {
        Image seg = TestData.open("labels_oblique.nii.gz");
        Segmentation s = new Segmentation(seg, null, AsegStats.read(TestData.DIR.resolve("aseg.stats")), null, null);
        Value v = new Volume().compute(s, StructuralMeasuresTest.v("18", "none", "asegstats"));
        assertTrue(Double.isNaN(v.value()), v.toString());
        assertTrue(v.na() != null && v.na().startsWith("label 18 has no row") && v.na().contains("aseg.stats"), v.toString());
        assertEquals(4102.7, new Volume().compute(s, StructuralMeasuresTest.v("17", "none", "asegstats")).value());
    }

    @Test
    void anIcvOfZeroIsNaWithTheReason() {
        Image seg = TestData.open("labels_oblique.nii.gz");
        int[] dims = {seg.grid().nx, seg.grid().ny, seg.grid().nz};
        Image empty = TestData.write(tmp.resolve("empty_mask.nii.gz"), dims, seg.grid().affine, DataType.UINT8,
            new double[seg.grid().size()]);
        Segmentation s = new Segmentation(seg, null, null, empty, null);
        Value v = new Volume().compute(s, StructuralMeasuresTest.v("17", "icv", "voxels"));
        assertTrue(Double.isNaN(v.value()), v.toString());
        assertTrue(v.na() != null && v.na().startsWith("the intracranial volume is 0.0 mm^3") && v.na().contains("empty_mask"),
            v.toString());
        assertTrue(new Volume().compute(s, StructuralMeasuresTest.v("17", "none", "voxels")).value() > 0);
    }
}
