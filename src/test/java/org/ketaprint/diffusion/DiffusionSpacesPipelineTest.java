package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.table.Table;

/**
 * The diffusion stage with data outside template space: a T1w-space DWI with no transform fails with a
 * message naming both spaces; with an MNI-to-T1w transform in the derivatives (here the identity, written
 * as an ITK text file, as ANTs and fMRIPrep write them) the cingulum FA is the planted value.
 */
class DiffusionSpacesPipelineTest {
    @TempDir
    Path tmp;

    static final String IDENTITY_ITK = String.join("\n",
        "#Insight Transform File V1.0",
        "#Transform 0",
        "Transform: AffineTransform_double_3_3",
        "Parameters: 1 0 0 0 1 0 0 0 1 0 0 0",
        "FixedParameters: 0 0 0", "");

    Path pipeline() throws Exception {
        Path p = tmp.resolve("dwi.yaml");
        Files.writeString(p, String.join("\n",
            "name: dwi-only",
            "stages:",
            "  - type: diffusion",
            "    inputs:",
            "      dwi: {desc: preproc, suffix: dwi, extension: .nii.gz}",
            "    features:",
            "      - {column: cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L, map: fa}",
            ""));
        return p;
    }

    @Test
    void nativeSpaceNeedsATransformAndUsesIt() throws Exception {
        Path bids = org.ketaprint.pipeline.DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        org.ketaprint.pipeline.DemoPipelineTest.dropMniToT1w(bids, "sub-01", "ses-pre");
        Path dir = bids.resolve("derivatives/qsiprep/sub-01/ses-pre/dwi");
        String mni = "sub-01_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi";
        String t1w = "sub-01_ses-pre_space-T1w_desc-preproc_dwi";
        for (String ext : new String[] {".nii.gz", ".bval", ".bvec"}) Files.move(dir.resolve(mni + ext), dir.resolve(t1w + ext));
        Files.move(dir.resolve("sub-01_ses-pre_space-MNI152NLin6Asym_desc-brain_mask.nii.gz"),
            dir.resolve("sub-01_ses-pre_space-T1w_desc-brain_mask.nii.gz"));
        Path out = tmp.resolve("out");
        String[] args = {bids.toString(), out.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--pipeline", pipeline().toString(), "--atlas-dir", "test-data/demo-atlases", "--quiet"};
        assertEquals(1, Main.run(args));
        String prov = Files.readString(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json"));
        assertTrue(prov.contains("T1w") && prov.contains("MNI152") && prov.contains("no transform"), prov);

        Path xfm = bids.resolve("derivatives/qsiprep/sub-01/ses-pre/anat/sub-01_ses-pre_from-MNI152NLin6Asym_to-T1w_mode-image_xfm.txt");
        Files.createDirectories(xfm.getParent());
        Files.writeString(xfm, IDENTITY_ITK);
        assertEquals(0, Main.run(args));
        Map<String, String> row = Table.read(out.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")).rows().get(0);
        String truth = Table.read(Path.of("test-data/demo-truth.tsv")).rows().get(0).get("cingulum_cg_l_fa");
        assertEquals(Table.number(truth), Table.number(row.get("cg_l_fa")), 1e-6);
        assertTrue(Files.readString(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json")).contains(xfm.getFileName().toString()));
    }
}
