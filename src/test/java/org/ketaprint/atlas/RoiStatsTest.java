package org.ketaprint.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.cli.Main;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.table.Json;

/**
 * ROI statistics against numpy (scripts/make_diffusion_reference.py): cropped JHU labels on a 2 mm grid,
 * maps on an x-flipped, shifted 2.5 mm grid with NaN/Inf voxels.
 */
class RoiStatsTest {
    static final Path DIR = Path.of("test-data/diffusion");
    static final Path LABELS = DIR.resolve("jhu_crop_labels.nii.gz");

    static JsonNode reference() throws IOException {
        return Json.MAPPER.readTree(DIR.resolve("roistats_reference.json").toFile());
    }

    static void check(JsonNode ref, List<RoiStats.Row> rows) {
        assertEquals(ref.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode e = ref.get(i);
            RoiStats.Row r = rows.get(i);
            String where = "label " + r.label();
            assertEquals(e.get("label").asInt(), r.label(), where);
            assertEquals(e.get("name").asText(), r.name(), where);
            assertEquals(e.get("voxels").asLong(), r.voxels(), where);
            assertEquals(e.get("nonfinite").asLong(), r.nonfinite(), where);
            assertEquals(e.get("mean").asDouble(), r.mean(), 1e-9 * Math.abs(r.mean()), where);
            assertEquals(e.get("median").asDouble(), r.median(), 0, where);
            assertEquals(e.get("std").asDouble(), r.std(), 1e-9 * Math.abs(r.std()), where);
        }
    }

    @Test
    void matchesNumpyOnEveryLabel() throws IOException {
        NiftiImage fa = NiftiImage.load(DIR.resolve("roi_fa.nii.gz"));
        LabelTable t = LabelTable.beside(LABELS);
        List<RoiStats.Row> rows = RoiStats.compute(fa.readVolume(0), fa.grid(), NiftiImage.load(LABELS), t, null, null);
        check(reference().get("all_labels_fa"), rows);
    }

    @Test
    void thresholdOnAnotherMap() throws IOException {
        float[] fa = NiftiImage.load(DIR.resolve("roi_fa.nii.gz")).readVolume(0);
        NiftiImage md = NiftiImage.load(DIR.resolve("roi_md.nii.gz"));
        LabelTable t = LabelTable.beside(LABELS);
        List<RoiStats.Row> rows = RoiStats.compute(md.readVolume(0), md.grid(), NiftiImage.load(LABELS), t, null,
            RoiStats.above(fa, 0.2));
        check(reference().get("above_0.2_md"), rows);
    }

    /** tensor_roi on precomputed FA/MD maps (the diffusion stage's path for QSIPrep/TBSS maps), FA > 0.2. */
    static double tensorRoi(String roi, String map) {
        var m = org.ketaprint.measure.Measures.get("tensor_roi");
        var stage = org.ketaprint.measure.ParamSet.of(org.ketaprint.diffusion.DiffusionStage.Params.class)
            .bind(Map.of("atlas", LABELS.toAbsolutePath().toString(), "fa_threshold", "0.2", "space", "MNI152"));
        var p = org.ketaprint.measure.ParamSet.of(org.ketaprint.diffusion.TensorRoi.Params.class).bind(Map.of("roi", roi, "map", map));
        var r = org.ketaprint.pipeline.MeasureRun.run(m, stage, p, Map.of("fa_map", DIR.resolve("roi_fa.nii.gz").toAbsolutePath(),
            "md_map", DIR.resolve("roi_md.nii.gz").toAbsolutePath()), List.of(), null, "t", l -> { });
        return r.value();
    }

    @Test
    void cingulumColumnsFromPrecomputedMaps() throws IOException {
        JsonNode ref = reference().get("cingulum_fa_above_0.2");
        Map<String, String> roi = Map.of("cingulum_cg_l", "Cingulum (cingulate gyrus) L", "cingulum_cg_r", "Cingulum (cingulate gyrus) R",
            "cingulum_hc_l", "Cingulum (hippocampus) L", "cingulum_hc_r", "Cingulum (hippocampus) R");
        int n = 0;
        for (var e : roi.entrySet()) {
            for (String map : List.of("fa", "md")) {
                double want = ref.get(e.getKey() + "_" + map).asDouble();
                assertEquals(want, tensorRoi(e.getValue(), map), 1e-9 * Math.abs(want), e.getKey() + "_" + map);
                n++;
            }
        }
        assertEquals(8, n);
    }

    @Test
    void commandPrintsJsonByName() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        System.setOut(new PrintStream(out, true));
        try {
            rc = Main.run("roistats", DIR.resolve("roi_fa.nii.gz").toString(), "--atlas", LABELS.toString(),
                "--labels", "Cingulum (cingulate gyrus) L,35", "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        JsonNode arr = Json.MAPPER.readTree(out.toString());
        JsonNode ref = reference().get("all_labels_fa");
        assertEquals(2, arr.size());
        assertEquals(36, arr.get(0).get("label").asInt());
        assertEquals(35, arr.get(1).get("label").asInt());
        for (JsonNode o : arr) {
            JsonNode e = ref.get(o.get("label").asInt() - 1);
            for (String k : new String[] {"voxels", "nonfinite", "mean", "median", "std"}) {
                assertEquals(e.get(k).asDouble(), o.get(k).asDouble(), 1e-9 * Math.abs(e.get(k).asDouble()), k);
            }
            assertTrue(o.get("name").asText().startsWith("Cingulum_(cingulate_gyrus)"));
        }
    }
}
