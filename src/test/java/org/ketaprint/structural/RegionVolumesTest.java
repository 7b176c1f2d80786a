package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;

class RegionVolumesTest {
    /** Boxes of known size on anisotropic and oblique grids: volume = count x product of zooms. */
    @Test
    void knownByConstruction(@TempDir Path tmp) {
        int[] dims = {9, 7, 5};
        double[] zooms = {0.5, 1.5, 3.0};
        double[] data = new double[9 * 7 * 5];
        // label 17: x 1..3, y 2..5, z 0..1 -> 3 x 4 x 2 = 24 voxels; label 53: one voxel
        for (int z = 0; z < 2; z++) {
            for (int y = 2; y < 6; y++) {
                for (int x = 1; x < 4; x++) data[x + 9 * (y + 7 * z)] = 17;
            }
        }
        data[8 + 9 * (6 + 7 * 4)] = 53;
        Affine[] grids = {TestData.oblique(zooms, 0, 0, 0), TestData.oblique(zooms, 25, -40, 70),
            flipX(TestData.oblique(zooms, 10, 20, 30)),
            // sheared: |det| is still 0.5 x 1.5 x 3, but the column lengths' product is not
            new Affine(new double[][] {{0.5, 0.6, 0, 1}, {0, 1.5, -0.8, 2}, {0, 0, 3, 3}, {0, 0, 0, 1}})};
        int g = 0;
        for (Affine a : grids) {
            Image img = TestData.write(tmp.resolve("b" + g++ + ".nii.gz"), dims, a, DataType.INT16, data);
            List<RegionVolume> v = RegionVolumes.count(img, new int[] {17, 53, 26});
            assertEquals(24, v.get(0).voxels());
            assertEquals(24 * 2.25, v.get(0).volumeMm3(), 1e-4, "oblique grid " + g);
            assertEquals(2.25, v.get(1).volumeMm3(), 1e-6);
            assertEquals("Left-Hippocampus", v.get(0).name());
            assertEquals(0, v.get(2).voxels());
            assertTrue(v.get(2).empty());
        }
    }

    private static Affine flipX(Affine a) {
        double[][] m = a.toArray();
        for (int r = 0; r < 3; r++) m[r][0] = -m[r][0];
        return new Affine(m);
    }

    /** Counts on an oblique, anisotropic, left-handed grid equal numpy's np.unique counts x |det|. */
    @Test
    void matchesNumpyCounts() {
        JsonNode r = TestData.ref("labels_oblique.nii.gz");
        Image img = TestData.open("labels_oblique.nii.gz");
        List<RegionVolume> all = RegionVolumes.count(img, null);
        int[] want = r.get("counts").properties().stream().mapToInt(e -> Integer.parseInt(e.getKey()))
            .filter(l -> l != 0).sorted().toArray();
        assertArrayEquals(want, all.stream().mapToInt(RegionVolume::label).toArray(), "default: every non-zero label");
        for (RegionVolume v : all) {
            JsonNode c = r.get("counts").get(Integer.toString(v.label()));
            assertEquals(c.get("voxels").asLong(), v.voxels());
            assertEquals(c.get("volume_mm3").asDouble(), v.volumeMm3(), 1e-9 * v.volumeMm3());
        }
        for (Map.Entry<String, JsonNode> b : r.get("boxes").properties()) {
            int label = Integer.parseInt(b.getKey());
            RegionVolume v = all.stream().filter(x -> x.label() == label).findFirst().orElseThrow();
            assertEquals(b.getValue().asLong(), v.voxels(), "box of label " + label);
        }
        RegionVolume unnamed = all.stream().filter(x -> x.label() == 1000).findFirst().orElseThrow();
        assertNull(unnamed.name(), "label 1000 is not in FreeSurfer's built-in table");
    }

    /** The same labels saved by nibabel as .nii.gz and .mgz give the same volumes (MGH geometry is float32). */
    @Test
    void niftiAndMgzAgree() {
        int[] labels = {17, 53, 26, 58, 2, 41};
        List<RegionVolume> a = RegionVolumes.count(TestData.open("labels_oblique.nii.gz"), labels);
        List<RegionVolume> b = RegionVolumes.count(TestData.open("labels_oblique.mgz"), labels);
        for (int i = 0; i < labels.length; i++) {
            assertEquals(a.get(i).voxels(), b.get(i).voxels());
            assertEquals(a.get(i).volumeMm3(), b.get(i).volumeMm3(), 1e-5 * a.get(i).volumeMm3());
        }
    }

    @Test
    void namesThroughATable(@TempDir Path tmp) throws Exception {
        Path lut = tmp.resolve("lut.txt");
        java.nio.file.Files.writeString(lut, "# FreeSurfer style\n17 Left-Hippocampus 220 216 20 0\n1000 ctx-lh-unknown 25 5 25 0\n");
        LabelTable t = LabelTable.read(lut);
        Image img = TestData.open("labels_oblique.nii.gz");
        int[] ls = RegionVolumes.labelsForNames(List.of("left-hippocampus", "CTX-LH-UNKNOWN"), t);
        assertArrayEquals(new int[] {17, 1000}, ls);
        List<RegionVolume> v = RegionVolumes.count(img, ls, t, null);
        assertEquals("ctx-lh-unknown", v.get(1).name());
        assertEquals(1, v.get(1).voxels());
        KetaprintException e = assertThrows(KetaprintException.class, () -> RegionVolumes.count(img, new int[] {53}, t, null));
        assertTrue(e.getMessage().contains(lut.toString()) && e.getMessage().endsWith("no label 53"), e.getMessage());
        e = assertThrows(KetaprintException.class, () -> RegionVolumes.labelsForNames(List.of("Right-Hippocampus"), t));
        assertTrue(e.getMessage().contains("Right-Hippocampus"), e.getMessage());
        e = assertThrows(KetaprintException.class, () -> RegionVolumes.count(img, new int[] {1000}));
        assertTrue(e.getMessage().endsWith("no label 1000 (give a lookup table that names it with --lut)"), e.getMessage());
    }

    /** fMRIPrep's dseg.tsv and an FSL label-atlas XML (index N names image value N + 1) name the same labels. */
    @Test
    void dsegTsvAndFslXml(@TempDir Path tmp) throws Exception {
        Path tsv = tmp.resolve("desc-aseg_dseg.tsv");
        java.nio.file.Files.writeString(tsv, "index\tname\n17\tLeft-Hippocampus\n53\tRight-Hippocampus\n");
        Path xml = tmp.resolve("atlas.xml");
        java.nio.file.Files.writeString(xml, "<atlas><header><type>Label</type></header><data>\n"
            + "<label index=\"0\" x=\"1\" y=\"2\" z=\"3\">Left Cerebral White Matter</label>\n"
            + "<label index=\"16\" x=\"1\" y=\"2\" z=\"3\">Hippocampus L</label>\n"
            + "<label index=\"52\" x=\"1\" y=\"2\" z=\"3\">Hippocampus R</label>\n</data></atlas>\n");
        Image img = TestData.open("labels_oblique.nii.gz");
        List<RegionVolume> a = RegionVolumes.count(img, null, LabelTable.read(tsv), null);
        RegionVolume r = a.stream().filter(x -> x.label() == 53).findFirst().orElseThrow();
        assertEquals("Right-Hippocampus", r.name());
        assertEquals(24, r.voxels());
        assertNull(a.stream().filter(x -> x.label() == 2).findFirst().orElseThrow().name());
        LabelTable x = LabelTable.read(xml);
        List<RegionVolume> b = RegionVolumes.count(img, RegionVolumes.labelsForNames(List.of("hippocampus_l"), x), x, null);
        assertEquals(17, b.get(0).label());
        assertEquals(60, b.get(0).voxels());
    }

    @Test
    void emptyLabelIsAWarningNotAnError() {
        Image img = TestData.open("labels_oblique.nii.gz");
        List<RegionVolume> v = RegionVolumes.count(img, new int[] {18, 17});
        assertEquals(0.0, v.get(0).volumeMm3());
        assertTrue(v.get(1).voxels() > 0);
        List<String> w = RegionVolumes.warnings(img, v);
        assertEquals(1, w.size(), "only the empty label is warned about: " + w);
        assertTrue(w.get(0).contains("label 18 (Left-Amygdala) has no voxels"), w.get(0));
    }

    @Test
    void nonIntegerLabelsAreAnError() {
        Image img = TestData.open("labels_nonint.nii.gz");
        KetaprintException e = assertThrows(KetaprintException.class, () -> RegionVolumes.count(img, null));
        assertTrue(e.getMessage().startsWith(img.path().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("17.5 at voxel (7,8,9) is not an integer"), e.getMessage());
    }

    @Test
    void fourDimensionalLabelImageIsAnError() {
        Image img = TestData.open("probseg_4d.nii.gz");
        KetaprintException e = assertThrows(KetaprintException.class, () -> RegionVolumes.count(img, null));
        assertTrue(e.getMessage().contains("has 3 volumes"), e.getMessage());
    }

    @Test
    void maskRestrictsCountsAndMustShareTheGrid() {
        Image img = TestData.open("labels_oblique.nii.gz");
        JsonNode inside = TestData.ref("brainmask.nii.gz").get("labels_inside");
        List<RegionVolume> v = RegionVolumes.count(img, null, null, TestData.open("brainmask.nii.gz"));
        for (RegionVolume r : v) assertEquals(inside.get(Integer.toString(r.label())).get("voxels").asLong(), r.voxels());
        assertEquals(inside.size() - (inside.has("0") ? 1 : 0), v.size());
        Image other = TestData.open("mask_other_grid.nii.gz");
        KetaprintException e = assertThrows(KetaprintException.class, () -> RegionVolumes.count(img, null, null, other));
        assertTrue(e.getMessage().contains("labels_oblique.nii.gz") && e.getMessage().contains("mask_other_grid.nii.gz")
            && e.getMessage().contains("17x19x13 vs 17x19x12"), e.getMessage());
    }
}
