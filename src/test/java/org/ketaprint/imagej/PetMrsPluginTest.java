package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ij.ImagePlus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>PET SUVR and MRS voxel give what {@code ketaprint pet --json} and {@code ketaprint mrs --json} give on
 * the same demo files (the same doubles, printed the same way), and one-line errors for bad input.
 */
class PetMrsPluginTest {
    static final Path DEMO = Path.of("test-data", "demo-bids");
    static final Path PET = DEMO.resolve("derivatives/petprep/sub-01/ses-pre/pet/sub-01_ses-pre_trc-FDG_space-T1w_desc-preproc_pet.nii.gz");
    static final Path ANAT = DEMO.resolve("derivatives/fmriprep/sub-01/ses-pre/anat");
    static final Path SEG = ANAT.resolve("sub-01_ses-pre_desc-aseg_dseg.nii.gz");

    @Test
    void petAsTheCli() {
        List<String> rois = List.of("ctx=aseg:3+42", "wm=aseg:2+41", "sph=sphere:0,0,0,6");
        Cli c = Cli.run("pet", PET.toString(), "--seg", SEG.toString(), "--roi", rois.get(0), "--roi", rois.get(1), "--roi", rois.get(2),
            "--pvc-fwhm", "6", "--window", "35,60", "--json");
        assertEquals(0, c.code, c.err);
        JsonNode j = c.json();
        PetPlugin.Output out = PetPlugin.run(PET, null, SEG, rois, Map.of("pvc_fwhm", 6.0, "window", "35,60"), true, "", s -> { });
        assertEquals(3, out.table().rows().size());
        for (int i = 0; i < 3; i++) {
            Map<String, String> row = out.table().rows().get(i);
            JsonNode r = j.get("rois").get(i);
            assertEquals(r.get("name").asText(), row.get("roi"));
            for (String k : List.of("suv", "suvr", "suvr_pvc", "mean_bq_per_ml")) {
                assertEquals(Table.format(r.get(k).asDouble()), row.get(k), k + " of " + row.get("roi"));
            }
            assertEquals(r.get("voxels").asInt(), Integer.parseInt(row.get("voxels")));
        }
        ImagePlus suvr = out.suvr();
        assertTrue(suvr != null && suvr.getNSlices() > 1);
        KetaprintException e = assertThrows(KetaprintException.class, () -> PetPlugin.run(PET, DEMO.resolve("missing.json"), SEG,
            rois, Map.of(), false, "", s -> { }));
        assertTrue(e.getMessage().contains("missing.json") && e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void mrsAsTheCli() {
        Path table = DEMO.resolve("derivatives/lcmodel/sub-01/ses-pre/mrs/sub-01_ses-pre_voi-pgacc_svs.table");
        Path voxel = DEMO.resolve("sub-01/ses-pre/mrs/sub-01_ses-pre_voi-pgacc_svs.nii.gz");
        Path gm = ANAT.resolve("sub-01_ses-pre_label-GM_probseg.nii.gz");
        Path wm = ANAT.resolve("sub-01_ses-pre_label-WM_probseg.nii.gz");
        Path csf = ANAT.resolve("sub-01_ses-pre_label-CSF_probseg.nii.gz");
        Cli c = Cli.run("mrs", table.toString(), "--tool", "lcmodel", "--voxel", voxel.toString(), "--t1-probseg", gm.toString(),
            wm.toString(), csf.toString(), "--json");
        assertEquals(0, c.code, c.err);
        JsonNode j = c.json();
        MrsPlugin.Output out = MrsPlugin.run(table, voxel, gm, wm, csf, null, Map.of("tool", "lcmodel"), true, s -> { });
        for (int i = 0; i < 3; i++) {
            Map<String, String> row = out.table().rows().get(i);
            JsonNode m = j.get("metabolites").get(i);
            assertEquals(m.get("name").asText(), row.get("metabolite"));
            assertEquals(m.get("corrected").isNull() ? Table.NA : Table.format(m.get("corrected").asDouble()), row.get("corrected"));
            assertEquals(Table.format(j.get("fractions").get("gm").asDouble()), row.get("fgm"));
        }
        assertTrue(out.image() != null && out.image().getOverlay() != null && out.image().getOverlay().size() > 0,
            "the voxel outlined on the T1");
        KetaprintException e = assertThrows(KetaprintException.class, () -> MrsPlugin.run(table, voxel, gm, wm, csf, null,
            Map.of("tool", "osprey"), false, s -> { }));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
