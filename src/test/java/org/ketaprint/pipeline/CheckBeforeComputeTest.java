package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.table.Table;

/**
 * Issue 13: every stage's inputs, spaces and transforms are checked before any stage runs heavy work. A native
 * (T1w) DWI of real size without a transform to the atlas's space fails in well under a second, naming both
 * spaces, without being read or checksummed; the other stages still run.
 */
class CheckBeforeComputeTest {
    @TempDir
    Path tmp;

    static final String QSI = "derivatives/qsiprep/sub-01/ses-pre/dwi/";
    static final String MNI_DWI = "sub-01_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi";
    static final String T1W_DWI = "sub-01_ses-pre_space-T1w_desc-preproc_dwi";

    /**
     * The demo with sub-01 ses-pre's DWI replaced by a T1w-space one of real size (128 x 128 x 80 x 400 float32,
     * 2.1 GB, a sparse file: zeros on disk for free) with its .bval/.bvec, and no transform.
     */
    Path nativeDwiDataset() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path dir = bids.resolve(QSI);
        for (String ext : new String[] {".bval", ".bvec"}) Files.move(dir.resolve(MNI_DWI + ext), dir.resolve(T1W_DWI + ext));
        Files.delete(dir.resolve(MNI_DWI + ".nii.gz"));
        Files.move(dir.resolve("sub-01_ses-pre_space-MNI152NLin6Asym_desc-brain_mask.nii.gz"),
            dir.resolve("sub-01_ses-pre_space-T1w_desc-brain_mask.nii.gz"));
        Path dwi = dir.resolve(T1W_DWI + ".nii");
        long[] shape = {128, 128, 80, 400};
        NiftiWriter.write(dwi, NiftiWriter.Spec.of(new long[] {1, 1, 1, 1}, Affine.identity(), DataType.FLOAT32), new float[1]);
        byte[] head = new byte[352];
        try (RandomAccessFile f = new RandomAccessFile(dwi.toFile(), "rw")) {
            f.readFully(head);
            ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != 348) b.order(ByteOrder.BIG_ENDIAN);
            b.putShort(40, (short) 4);
            for (int i = 0; i < 4; i++) b.putShort(42 + 2 * i, (short) shape[i]);
            f.seek(0);
            f.write(head);
            f.setLength(352 + shape[0] * shape[1] * shape[2] * shape[3] * 4);
        }
        return bids;
    }

    static Path pipeline(Path dir, boolean withStructural) throws Exception {
        Path p = dir.resolve(withStructural ? "seg-dwi.yaml" : "dwi.yaml");
        String structural = String.join("\n",
            "  - type: structural",
            "    features:",
            "      - {column: hippo_l, measure: volume, label: Left-Hippocampus}", "");
        Files.writeString(p, "name: check-test\nstages:\n" + (withStructural ? structural : "") + String.join("\n",
            "  - type: diffusion",
            "    inputs:",
            "      dwi: {desc: preproc, suffix: dwi, extension: .nii.gz|.nii}",
            "    features:",
            "      - {column: cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L, map: fa}",
            ""));
        return p;
    }

    static JsonNode provenance(Path out) throws Exception {
        return ParticipantRunner.JSON.readTree(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json").toFile());
    }

    static JsonNode stage(JsonNode prov, String id) {
        for (JsonNode s : prov.path("stages")) if (s.path("id").asText().equals(id)) return s;
        throw new AssertionError("no stage " + id + " in " + prov);
    }

    @Test
    void nativeDwiWithoutTransformFailsInUnderASecondNamingBothSpaces() throws Exception {
        Path bids = nativeDwiDataset();
        DemoPipelineTest.dropMniToT1w(bids, "sub-01", "ses-pre");
        Path out = tmp.resolve("out");
        String[] args = {bids.toString(), out.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--pipeline", pipeline(tmp, false).toString(), "--atlas-dir", "test-data/demo-atlases", "--quiet"};
        // the first call loads the classes (on sub-02, so that nothing of sub-01 is cached)
        args[4] = "02";
        assertEquals(0, Cli.run(args).code);
        args[4] = "01";
        long t0 = System.nanoTime();
        Cli c = Cli.run(args);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, c.code, c.err);
        assertTrue(secs < 1.0, "failed in " + secs + " s");
        assertTrue(c.err.contains("T1w") && c.err.contains("MNI152"), c.err);
        JsonNode d = stage(provenance(out), "diffusion");
        assertEquals("failed", d.path("status").asText());
        assertTrue(d.path("reason").asText().contains("space T1w") && d.path("reason").asText().contains("MNI152"), d.toString());
        assertTrue(d.path("reason").asText().contains("no transform"), d.toString());
        // nothing read: no checksum of the DWI, no mask or tensor maps written
        assertFalse(provenance(out).path("inputs").toString().contains(T1W_DWI), "the DWI was not checksummed");
        try (Stream<Path> s = Files.list(out.resolve("sub-01/ses-pre"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".nii.gz")), "no derived image");
        }
    }

    @Test
    void theOtherStagesStillRunAndAMissingSideFileIsMissingInput() throws Exception {
        Path bids = nativeDwiDataset();
        Path out = tmp.resolve("out");
        String[] args = {bids.toString(), out.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--pipeline", pipeline(tmp, true).toString(), "--atlas-dir", "test-data/demo-atlases", "--quiet"};
        Cli c = Cli.run(args);
        assertEquals(1, c.code, c.err);
        JsonNode prov = provenance(out);
        assertEquals("ok", stage(prov, "structural").path("status").asText());
        assertEquals("failed", stage(prov, "diffusion").path("status").asText());
        assertTrue(stage(prov, "diffusion").path("wall_s").asDouble() < 0.1, prov.toString());
        Map<String, String> row = Table.read(out.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")).rows().get(0);
        String truth = DemoPipelineTest.row(Table.read(DemoPipelineTest.TRUTH), "sub-01", "ses-pre").get("hippocampus_l_vol_mm3");
        DemoPipelineTest.assertClose("structural ran", truth, row.get("hippo_l"));
        assertEquals(Table.NA, row.get("cg_l_fa"));

        // with the transform, but no .bval beside the DWI: missing_input (not a failure), as when the stage ran
        Path xfm = bids.resolve("derivatives/qsiprep/sub-01/ses-pre/anat/sub-01_ses-pre_from-MNI152NLin6Asym_to-T1w_mode-image_xfm.txt");
        Files.createDirectories(xfm.getParent());
        Files.writeString(xfm, String.join("\n", "#Insight Transform File V1.0", "#Transform 0",
            "Transform: AffineTransform_double_3_3", "Parameters: 1 0 0 0 1 0 0 0 1 0 0 0", "FixedParameters: 0 0 0", ""));
        Files.delete(bids.resolve(QSI + T1W_DWI + ".bval"));
        Cli m = Cli.run(args);
        assertEquals(0, m.code, m.err);
        JsonNode d = stage(provenance(out), "diffusion");
        assertEquals("missing_input", d.path("status").asText());
        assertTrue(d.path("reason").asText().contains(T1W_DWI + ".bval"), d.toString());
    }

    @Test
    void restingStateBoldWithoutTransformFailsBeforeItIsRead() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        DemoPipelineTest.dropMniToT1w(bids, "sub-01", "ses-pre");
        Path func = bids.resolve("derivatives/fmriprep/sub-01/ses-pre/func");
        try (Stream<Path> s = Files.list(func)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.move(p, p.resolveSibling(p.getFileName().toString().replace("space-MNI152NLin2009cAsym", "space-T1w")));
            }
        }
        Path out = tmp.resolve("out");
        Cli c = Cli.run(bids.toString(), out.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--pipeline", DemoPipelineTest.PIPELINE.toString(), "--atlas-dir", "test-data/demo-atlases", "--quiet");
        assertEquals(1, c.code, c.err);
        JsonNode r = stage(provenance(out), "restingstate");
        assertEquals("failed", r.path("status").asText());
        assertTrue(r.path("reason").asText().contains("T1w") && r.path("reason").asText().contains("MNI152"), r.toString());
        assertTrue(r.path("wall_s").asDouble() < 0.1, r.toString());
        assertFalse(provenance(out).path("inputs").toString().contains("desc-preproc_bold"), "the BOLD was not checksummed");
        assertEquals("ok", stage(provenance(out), "structural").path("status").asText());
        assertEquals("ok", stage(provenance(out), "diffusion").path("status").asText());
    }
}
