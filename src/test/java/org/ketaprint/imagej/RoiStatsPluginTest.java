package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ij.ImagePlus;
import ij.gui.Roi;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.table.Table;

/**
 * ROI statistics of an open map against numpy (test-data/diffusion/roistats_reference.json from
 * scripts/make_diffusion_reference.py): cropped JHU labels on a 2 mm grid, maps on an x-flipped, shifted
 * 2.5 mm grid with NaN/Inf voxels.
 */
class RoiStatsPluginTest {
    static final Path DIR = Path.of("test-data", "diffusion");
    static final Path LABELS = DIR.resolve("jhu_crop_labels.nii.gz");

    @TempDir
    Path tmp;

    static JsonNode reference(String key) throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("roistats_reference.json").toFile()).get(key);
    }

    static Actions.RoiRun atlas() {
        Actions.RoiRun r = new Actions.RoiRun();
        r.atlas = NiftiImage.load(LABELS);
        return r;
    }

    /** Rows equal numpy's: counts exactly, mean/std to 1e-9 relative, median exactly. */
    static void check(JsonNode ref, Table t) {
        assertEquals(List.of("label", "name", "voxels", "mean", "median", "std", "nonfinite"), t.columns());
        assertEquals(ref.size(), t.rows().size());
        for (int i = 0; i < ref.size(); i++) {
            JsonNode e = ref.get(i);
            Map<String, String> r = t.rows().get(i);
            String where = "label " + r.get("label");
            assertEquals(e.get("label").asInt(), Integer.parseInt(r.get("label")), where);
            assertEquals(e.get("name").asText(), r.get("name"), where);
            assertEquals(e.get("voxels").asLong(), Long.parseLong(r.get("voxels")), where);
            assertEquals(e.get("nonfinite").asLong(), Long.parseLong(r.get("nonfinite")), where);
            for (String k : new String[] {"mean", "median", "std"}) {
                double want = e.get(k).isNull() ? Double.NaN : e.get(k).asDouble();
                double got = Table.number(r.get(k));
                if (Double.isNaN(want)) {
                    assertTrue(Double.isNaN(got), where + " " + k);
                } else {
                    assertEquals(want, got, k.equals("median") ? 0 : 1e-9 * Math.abs(want), where + " " + k);
                }
            }
        }
    }

    @Test
    void everyLabelOfTheOpenMapMatchesNumpy() throws IOException {
        ImagePlus fa = ImagePlusNifti.open(DIR.resolve("roi_fa.nii.gz"));
        Table t = RoiStatsPlugin.run(fa, atlas(), true);
        JsonNode ref = reference("all_labels_fa");
        check(ref, t);
        // the outlines of a label, over all slices, enclose its voxels on the map's grid: numpy's voxels + nonfinite
        Map<Integer, Integer> enclosed = new java.util.TreeMap<>();
        for (Roi roi : fa.getOverlay().toArray()) {
            assertTrue(roi.getPosition() >= 1 && roi.getPosition() <= fa.getNSlices());
            enclosed.merge(Integer.parseInt(roi.getName().split(" ")[1]), roi.getContainedPoints().length, Integer::sum);
        }
        for (JsonNode e : ref) {
            long want = e.get("voxels").asLong() + e.get("nonfinite").asLong();
            assertEquals(want, (long) enclosed.getOrDefault(e.get("label").asInt(), 0), "label " + e.get("label"));
        }
    }

    @Test
    void thresholdOnAnotherOpenMap() throws IOException {
        ImagePlus md = ImagePlusNifti.open(DIR.resolve("roi_md.nii.gz"));
        Actions.RoiRun r = atlas();
        r.above = 0.2;
        r.thresholdImage = new ImagePlusImage(ImagePlusNifti.open(DIR.resolve("roi_fa.nii.gz")));
        Table t = RoiStatsPlugin.run(md, r, false);
        check(reference("above_0.2_md"), t);
        assertEquals(null, md.getOverlay());
        Path tsv = tmp.resolve("md.tsv");
        t.write(tsv);
        check(reference("above_0.2_md"), Table.read(tsv));
    }

    @Test
    void labelsByNameAndNumber() throws IOException {
        ImagePlus fa = ImagePlusNifti.open(DIR.resolve("roi_fa.nii.gz"));
        Actions.RoiRun r = atlas();
        r.labels = "Cingulum (cingulate gyrus) L, 35";
        Table t = RoiStatsPlugin.run(fa, r, false);
        assertEquals(List.of("36", "35"), t.rows().stream().map(x -> x.get("label")).toList());
        JsonNode ref = reference("all_labels_fa");
        assertEquals(ref.get(35).get("mean").asDouble(), Table.number(t.rows().get(0).get("mean")), 1e-9);
        assertEquals(ref.get(34).get("voxels").asText(), t.rows().get(1).get("voxels"));
    }

    @Test
    void aVoxelSetToNanInImageJCountsAsNonfinite() throws IOException {
        ImagePlus fa = ImagePlusNifti.open(DIR.resolve("roi_fa.nii.gz"));
        Actions.RoiRun r = atlas();
        Table before = RoiStatsPlugin.run(fa, r, false);
        // every finite voxel of the map made NaN: all counts move to nonfinite
        for (int z = 1; z <= fa.getNSlices(); z++) {
            var ip = fa.getStack().getProcessor(z);
            for (int p = 0; p < ip.getPixelCount(); p++) ip.setf(p, Float.NaN);
        }
        Table after = RoiStatsPlugin.run(fa, r, false);
        for (int i = 0; i < before.rows().size(); i++) {
            long v = Long.parseLong(before.rows().get(i).get("voxels"));
            long n = Long.parseLong(before.rows().get(i).get("nonfinite"));
            assertEquals("0", after.rows().get(i).get("voxels"));
            assertEquals(v + n, Long.parseLong(after.rows().get(i).get("nonfinite")));
            assertEquals(Table.NA, after.rows().get(i).get("mean"));
        }
    }

    @Test
    void badInputsAreOneLineErrors() {
        ImagePlus fa = ImagePlusNifti.open(DIR.resolve("roi_fa.nii.gz"));
        Actions.RoiRun r = atlas();
        r.labels = "No such tract";
        KetaprintException e = assertThrows(KetaprintException.class, () -> RoiStatsPlugin.run(fa, r, false));
        assertTrue(e.getMessage().contains("No such tract"), e.getMessage());
        Actions.RoiRun m = atlas();
        m.mask = NiftiImage.load(LABELS);   // a 2 mm grid, not the map's
        e = assertThrows(KetaprintException.class, () -> RoiStatsPlugin.run(fa, m, false));
        assertTrue(e.getMessage().contains("jhu_crop_labels.nii.gz") && e.getMessage().contains("grid"), e.getMessage());
        ImagePlus dwi = ImagePlusNifti.open(DIR.resolve("small_25.nii.gz"));
        e = assertThrows(KetaprintException.class, () -> RoiStatsPlugin.run(dwi, atlas(), false));
        assertTrue(e.getMessage().contains("small_25.nii.gz") && e.getMessage().contains("3D map"), e.getMessage());
    }
}
