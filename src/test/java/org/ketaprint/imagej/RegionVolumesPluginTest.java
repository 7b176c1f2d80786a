package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.Table;

/** Region volumes on an open ImagePlus against numpy's counts x |det(affine)| (reference.json). */
class RegionVolumesPluginTest {
    @TempDir
    Path tmp;

    @Test
    void volumesOfTheOpenImageMatchNumpy() {
        JsonNode ref = Reference.of("labels_oblique.nii.gz").get("volumes");
        ImagePlus imp = ImagePlusNifti.open(Reference.DIR.resolve("labels_oblique.nii.gz"));
        Table t = RegionVolumesPlugin.run(imp, "", null, null, true);
        assertEquals(List.of("label", "name", "voxels", "volume_mm3"), t.columns());
        assertEquals(ref.size(), t.rows().size());
        for (int r = 0; r < ref.size(); r++) {
            Map<String, String> row = t.rows().get(r);
            assertEquals(ref.get(r).get("label").asInt(), Integer.parseInt(row.get("label")));
            assertEquals(ref.get(r).get("voxels").asLong(), Long.parseLong(row.get("voxels")));
            double want = ref.get(r).get("volume_mm3").asDouble();
            assertEquals(want, Double.parseDouble(row.get("volume_mm3")), want * 1e-6);
        }
        // FreeSurfer's LUT names (FreeSurferColorLUT.txt)
        assertEquals("Left-Hippocampus", t.rows().get(0).get("name"));
        assertEquals("Right-Accumbens-area", t.rows().get(3).get("name"));
        // outlines: label 58 is one voxel on slice 1 only; label 17 spans slices 2..5
        Overlay ov = imp.getOverlay();
        long l58 = java.util.Arrays.stream(ov.toArray()).filter(x -> x.getName().startsWith("label 58 ")).count();
        long l17 = java.util.Arrays.stream(ov.toArray()).filter(x -> x.getName().startsWith("label 17 ")).count();
        assertEquals(1, l58);
        assertEquals(4, l17);
        ResultsTable rt = Results.toResultsTable(t);
        assertEquals(4, rt.size());
        assertEquals("Right-Hippocampus", rt.getStringValue("name", 2));
        assertEquals(ref.get(2).get("volume_mm3").asDouble(), rt.getValue("volume_mm3", 2), 1e-3);
    }

    @Test
    void labelsByNameAndNumberAndTsvLikeThePipeline() {
        ImagePlus imp = ImagePlusNifti.open(Reference.DIR.resolve("labels_oblique.nii.gz"));
        Table t = RegionVolumesPlugin.run(imp, "Right-Hippocampus, left-hippocampus", null, null, false);
        assertEquals("53", t.rows().get(0).get("label"));
        assertEquals("17", t.rows().get(1).get("label"));
        Table n = RegionVolumesPlugin.run(imp, "58,17", null, null, false);
        assertEquals("1", n.rows().get(0).get("voxels"));
        Path tsv = tmp.resolve("v.tsv");
        n.write(tsv);
        Table back = Table.read(tsv);
        assertEquals(n.rows(), back.rows());
    }

    @Test
    void editsInImageJCountAndNonLabelsFail() {
        ImagePlus imp = ImagePlusNifti.open(Reference.DIR.resolve("labels_oblique.nii.gz"));
        // paint one voxel of label 58 on slice 1 (k=0) at pixel (0, 0), i.e. voxel (0, ny-1, 0)
        imp.getStack().getProcessor(1).setf(0, 0, 58);
        Table t = RegionVolumesPlugin.run(imp, "58", null, null, false);
        assertEquals("2", t.rows().get(0).get("voxels"));
        imp.getStack().getProcessor(1).setf(0, 0, 1.5f);
        KetaprintException e = assertThrows(KetaprintException.class, () -> RegionVolumesPlugin.run(imp, "", null, null, false));
        assertTrue(e.getMessage().contains("not a label image") && e.getMessage().contains("(0,9,0)"), e.getMessage());
    }
}
