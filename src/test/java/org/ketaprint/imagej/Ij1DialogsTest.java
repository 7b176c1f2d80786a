package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.table.Table;

/** The 1.x menu PlugIns with their dialogs answered by macro options, without a display. */
class Ij1DialogsTest {
    @TempDir
    Path tmp;

    private String threadName;

    @AfterEach
    void reset() {
        Macro.setOptions(null);
        Interpreter.batchMode = false;
        if (threadName != null) Thread.currentThread().setName(threadName);
    }

    /** ImageJ hands macro options only to threads named like its macro threads. */
    private void options(String o) {
        if (threadName == null) threadName = Thread.currentThread().getName();
        Thread.currentThread().setName("Run$_test");
        Macro.setOptions(o);
    }

    @Test
    void regionVolumesFromTheMenuFillTheResultsTable() {
        Interpreter.batchMode = true;
        new NiftiImporter().run(Reference.DIR.resolve("labels_oblique.nii.gz").toString());
        Path tsv = tmp.resolve("v.tsv");
        options("labels=[17,53] lookup=[] mask=none save=[" + tsv + "]");
        new RegionVolumesPlugin().run("");
        JsonNode ref = Reference.of("labels_oblique.nii.gz").get("volumes");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(2, rt.size());
        assertEquals(ref.get(0).get("volume_mm3").asDouble(), rt.getValue("volume_mm3", 0), 1e-6);
        assertEquals(ref.get(2).get("voxels").asDouble(), rt.getValue("voxels", 1));
        Table t = Table.read(tsv);
        assertEquals("Right-Hippocampus", t.rows().get(1).get("name"));
        assertEquals(0, WindowManager.getCurrentImage().getOverlay() == null ? 0 : 1, "outlines were not asked for");
        WindowManager.getCurrentImage().close();
    }

    @Test
    void imageInfoFromTheMenuAppendsARowPerFile() {
        Path tsv = tmp.resolve("i.tsv");
        options("file=[" + Reference.DIR.resolve("u8.nii.gz") + "] statistics save=[" + tsv + "]");
        new ImageInfoPlugin().run("");
        options("file=[" + Reference.DIR.resolve("scaled4d.nii.gz") + "]");
        new ImageInfoPlugin().run("");
        ResultsTable rt = ImageInfoPlugin.table();
        assertEquals(2, rt.size());
        assertEquals("5 4 3", rt.getStringValue("shape", 0));
        assertEquals("6 5 4 3", rt.getStringValue("shape", 1));
        double[] d = Reference.data(Reference.of("u8.nii.gz"));
        double sum = 0;
        for (double v : d) sum += v;
        assertEquals(sum, Double.parseDouble(Table.read(tsv).rows().get(0).get("sum")), 1e-9);
    }

    @Test
    void dtiMapsFromTheMenuOpenFourMapsLikeDipy() {
        Interpreter.batchMode = true;
        Path d = DtiMapsPluginTest.DIR;
        new NiftiImporter().run(d.resolve("small_25.nii.gz").toString());
        ImagePlus dwi = WindowManager.getCurrentImage();
        Path prefix = tmp.resolve("s25");
        // bval/bvec found beside the DWI's file; the DIPY mask opened as an image and chosen by title
        new NiftiImporter().run(d.resolve("small_25_dipy_mask.nii.gz").toString());
        WindowManager.setTempCurrentImage(dwi);
        options("diffusion=small_25.nii.gz method=ols brain=small_25_dipy_mask.nii.gz output=[" + prefix + "] write_maps=true");
        new DtiMapsPlugin().run("");
        boolean[] in = DtiMapsPluginTest.dipyMask("small_25");
        for (String name : DtiMapsPlugin.MAPS) {
            ImagePlus m = WindowManager.getImage("small_25_" + name);
            DtiMapsPluginTest.assertMapEquals(DtiMapsPluginTest.dipy("small_25", "ols", name), m, in, "menu " + name);
            assertTrue(tmp.resolve("s25_" + name + ".nii.gz").toFile().isFile());   // write_maps=true: all
            m.close();
        }
        WindowManager.getImage("small_25_dipy_mask.nii.gz").close();
        dwi.close();
    }

    @Test
    void roiStatisticsFromTheMenuFillTheResultsTable() throws Exception {
        Interpreter.batchMode = true;
        new NiftiImporter().run(RoiStatsPluginTest.DIR.resolve("roi_fa.nii.gz").toString());
        Path tsv = tmp.resolve("r.tsv");
        options("atlas=[" + RoiStatsPluginTest.LABELS + "] lookup=[] labels=[] mask=none only=[] show save=[" + tsv + "]");
        new RoiStatsPlugin().run("");
        JsonNode ref = RoiStatsPluginTest.reference("all_labels_fa");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(ref.size(), rt.size());
        for (int r = 0; r < ref.size(); r++) {
            assertEquals(ref.get(r).get("label").asDouble(), rt.getValue("label", r));
            assertEquals(ref.get(r).get("median").asDouble(), rt.getValue("median", r), 1e-12);
        }
        RoiStatsPluginTest.check(ref, Table.read(tsv));
        ImagePlus fa = WindowManager.getCurrentImage();
        assertTrue(fa.getOverlay() != null && fa.getOverlay().size() > 0, "outlines asked for");
        fa.close();
    }

    @Test
    void seedCorrelationFromTheMenuOnTheOpenBold() throws Exception {
        Interpreter.batchMode = true;
        Path d = RestingPluginsTest.DIR;
        new NiftiImporter().run(RestingPluginsTest.BOLD.toString());
        ImagePlus bold = WindowManager.getCurrentImage();
        Path tsv = tmp.resolve("fc.tsv");
        options("bold=bold.nii.gz file=[] brain=[" + d.resolve("brain_mask.nii.gz") + "] confounds=[" + d.resolve("confounds.tsv")
            + "] strategy=24P global fd_threshold=0.5 min_seconds=120 band=0.01,0.1 seed=[" + RestingPluginsTest.SEED + "] target=["
            + RestingPluginsTest.TARGET + "] seed-to-voxel output=[] save=[" + tsv + "]");
        new SeedCorrelationPlugin().run("");
        JsonNode ref = RestingPluginsTest.reference("fc_gsr");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(1, rt.size());
        assertEquals(ref.get("r").asDouble(), rt.getValue("r", 0), 1e-6);
        RestingPluginsTest.checkRow(ref, Table.read(tsv).rows().get(0), "r", "z");
        ImagePlus r = WindowManager.getImage("bold_r");
        RestingPluginsTest.checkMap(d.resolve("ref_fc_gsr_r.nii.gz"), r, 1e-5);
        r.close();
        bold.close();
    }

    @Test
    void alffFromTheMenuOnAFile() throws Exception {
        Interpreter.batchMode = true;
        Path d = RestingPluginsTest.DIR;
        Path prefix = tmp.resolve("a");
        // numbers left out: the dialog's defaults (FD 0.5 mm, 120 s, 0.01-0.1 Hz, TR from the header) apply
        options("bold=[(file below)] file=[" + RestingPluginsTest.BOLD + "] brain=[" + d.resolve("brain_mask.nii.gz")
            + "] confounds=[" + d.resolve("confounds.tsv") + "] strategy=[] roi=["
            + RestingPluginsTest.SEED + "] output=[" + prefix + "] save=[]");
        new AlffPlugin().run("");
        JsonNode ref = RestingPluginsTest.reference("alff");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(ref.get("alff").asDouble(), rt.getValue("alff", 0), 1e-6 * ref.get("alff").asDouble());
        assertEquals(ref.get("falff").asDouble(), rt.getValue("falff", 0), 1e-6);
        assertEquals(ref.get("n_volumes_censored").asDouble(), rt.getValue("n_censored", 0));
        assertEquals(0.5, rt.getValue("fd_threshold_mm", 0));
        assertEquals(null, WindowManager.getImage("bold_alff"), "maps not asked for");
        RestingPluginsTest.checkMap(d.resolve("ref_alff_alff.nii.gz"), ImagePlusNifti.open(Path.of(prefix + "_alff.nii.gz")), 1e-5);
    }

    /**
     * Run pipeline from the menu with every option of the participant run: extra derivatives folders, an atlas
     * folder, the session and the space of un-entitied files; the table equals the CLI run's with the same options.
     */
    @Test
    void pipelineFromTheMenuWithDerivativesAtlasesSessionsAndSpace() throws Exception {
        PipelineLayout l = new PipelineLayout(tmp);
        Path out = tmp.resolve("out-ij1");
        options("bids=[" + l.bids + "] derivatives=[" + l.fmriprep + ";" + l.qsiprep + "] output=[" + out + "] atlas=["
            + l.atlases + "] pipeline=[" + l.pipeline + "] participants=sub-01 sessions=ses-pre space=" + PipelineLayout.SPACE
            + " threads=2");
        new RunPipelinePlugin().run("");
        l.check(Table.read(out.resolve("group/features.tsv")), l.cli(tmp.resolve("out-cli")));
        ResultsTable rt = ResultsTable.getResultsTable(RunPipelinePlugin.TABLE);
        if (rt != null) assertEquals(Table.read(out.resolve("group/features.tsv")).rows().size(), rt.size());
    }
}
