package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;

/** The volume measure's units, ROI and dictionary text per option, and its empty-label warning. */
class VolumeTextTest {
    @TempDir
    Path tmp;

    static Volume.Params p(String normalize, String source) {
        return new Volume.Params("17", normalize, source);
    }

    @Test
    void unitsAndRoi() {
        Volume v = new Volume();
        assertEquals("mm^3", v.units(p("none", "voxels")));
        assertEquals("fraction", v.units(p("icv", "voxels")));
        assertEquals("label 17", v.roi(p("none", "voxels")));
    }

    @Test
    void describeSaysWhatEachOptionComputes() {
        Volume v = new Volume();
        String plain = v.describe(p("none", "voxels"));
        assertTrue(plain.startsWith("Volume of label 17: voxel count x |det|"), plain);
        String frac = v.describe(p("icv", "voxels"));
        assertEquals("Volume of label 17 divided by the intracranial volume (icv)", frac);
        String pv = v.describe(p("none", "asegstats"));
        assertTrue(pv.startsWith("Volume_mm3 of label 17 from FreeSurfer's stats/aseg.stats"), pv);
        assertFalse(pv.contains("intracranial"), pv);
        String pvFrac = v.describe(p("icv", "asegstats"));
        assertTrue(pvFrac.startsWith("Volume_mm3 of label 17") && pvFrac.endsWith("divided by the intracranial volume (icv)"), pvFrac);
    }

    @Test
    void anEmptyLabelIsWarnedAboutAndAPresentOneIsNot() {
        double[] data = new double[27];
        data[4] = 17;
        data[5] = 17;
        Image seg = TestData.write(tmp.resolve("seg.nii"), new int[] {3, 3, 3}, Affine.identity(), DataType.INT16, data);
        List<String> log = new ArrayList<>();
        Segmentation s = new Segmentation(seg, null, null, null, log::add);
        Volume v = new Volume();
        assertEquals(2.0, v.compute(s, p("none", "voxels")).value(), 0);
        assertTrue(log.isEmpty(), log.toString());
        assertEquals(0.0, v.compute(s, new Volume.Params("53", "none", "voxels")).value(), 0);
        assertEquals(List.of("warning: label 53 is empty in " + seg.path() + " (volume 0)"), log);
        Segmentation quiet = new Segmentation(seg, null, null, null, null);
        assertEquals(0.0, v.compute(quiet, new Volume.Params("53", "none", "voxels")).value(), 0);
    }
}
