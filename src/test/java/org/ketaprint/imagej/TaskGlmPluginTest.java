package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ij.ImagePlus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>Task GLM ({@link TaskGlmPlugin#run}) on the demo faces run gives what {@code ketaprint glm --json}
 * gives on the same files, bit for bit: the Results rows, the z-map image (the CLI's float64 z as float32) and the maps
 * written under the prefix. Both run in this JVM, so they take the same arithmetic path (Vector API or plain loops).
 */
class TaskGlmPluginTest {
    static final Path FUNC = Path.of("test-data", "demo-bids", "derivatives", "fmriprep", "sub-01", "ses-pre", "func");
    static final String RUN = "sub-01_ses-pre_task-faces";
    static final Path BOLD = FUNC.resolve(RUN + "_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz");
    static final Path MASK = FUNC.resolve(RUN + "_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz");
    static final Path CONFOUNDS = FUNC.resolve(RUN + "_desc-confounds_timeseries.tsv");
    static final Path EVENTS = Path.of("test-data", "demo-bids", "task-faces_events.tsv");
    static final String CONTRAST = "fearful - neutral";
    static final String LABEL = "fearfulGtNeutral";
    static final String ATLAS = "atlas:" + Path.of("test-data", "demo-atlases", "aal.nii.gz").toAbsolutePath()
        + ":Cingulum_Ant_L+Cingulum_Ant_R";
    static final String SPHERE = "sphere:0,40,10,12";
    static final String[] STATS = {"effect", "variance", "t", "z", "p"};

    @TempDir
    Path tmp;

    static JsonNode cli(List<String> rois, String prefix) {
        List<String> a = new ArrayList<>(List.of("glm", BOLD.toString(), "--events", EVENTS.toString(), "--confounds",
            CONFOUNDS.toString(), "--mask", MASK.toString(), "--contrast", CONTRAST, "--out", prefix, "--json"));
        for (String r : rois) {
            a.add("--roi");
            a.add(r);
        }
        Cli c = Cli.run(a.toArray(String[]::new));
        assertEquals(0, c.code, c.err);
        return c.json();
    }

    static Path map(String prefix, String stat) {
        return Path.of(prefix + "_contrast-" + LABEL + "_stat-" + stat + "_statmap.nii.gz");
    }

    /** Each Results row holds the CLI's ROI values: the same doubles, printed the same way. */
    static void sameRows(JsonNode json, TaskGlmPlugin.Output out, List<String> rois) {
        JsonNode c = json.get("contrasts").get(0);
        assertEquals(LABEL, c.get("name").asText());
        JsonNode want = c.get("rois");
        List<Map<String, String>> rows = out.table().rows();
        assertEquals(rois.size(), want.size());
        assertEquals(rois.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            JsonNode w = want.get(i);
            assertEquals(LABEL, row.get("contrast"));
            assertEquals(rois.get(i), row.get("roi"));
            assertEquals(w.get("roi").asText(), row.get("roi"));
            assertEquals(w.get("voxels").asText(), row.get("voxels"));
            assertTrue(w.get("voxels").asInt() > 0, rois.get(i));
            // assertEquals(double, double) without a delta compares the bits
            assertEquals(w.get("beta").asDouble(), Double.parseDouble(row.get("beta_pct")), rois.get(i) + " beta_pct");
            assertEquals(w.get("z").asDouble(), Double.parseDouble(row.get("z")), rois.get(i) + " z");
            assertEquals(w.get("t").asDouble(), Double.parseDouble(row.get("t")), rois.get(i) + " t");
            assertEquals(Table.format(w.get("beta").asDouble()), row.get("beta_pct"));
            assertEquals(Table.format(w.get("z").asDouble()), row.get("z"));
            assertEquals(Table.format(w.get("t").asDouble()), row.get("t"));
            assertEquals(json.get("dof").asText(), row.get("dof"));
            assertEquals(json.get("noise_model").asText(), row.get("noise_model"));
        }
    }

    /** The image (NIfTI order through ImageJ's row flip) holds the CLI's z map as float32, in every voxel. */
    static int sameAsFloat(Path cliZ, ImagePlus imp) {
        NiftiImage ref = NiftiImage.load(cliZ);
        double[] a = ref.readDouble();
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        long[] shape = ref.shape();
        assertEquals(shape[0], nx);
        assertEquals(shape[1], ny);
        assertEquals(shape[2], imp.getNSlices());
        assertEquals(1, imp.getNFrames());
        int nonzero = 0;
        for (int k = 0; k < imp.getNSlices(); k++) {
            var ip = imp.getStack().getProcessor(k + 1);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    float want = (float) a[i + nx * (j + ny * k)];
                    float got = ip.getf(i, ny - 1 - j);
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got),
                        "z voxel " + i + "," + j + "," + k + ": " + want + " vs " + got);
                    if (want != 0) nonzero++;
                }
            }
        }
        return nonzero;
    }

    static long enclosed(ImagePlus imp, int label) {
        long n = 0;
        for (ij.gui.Roi roi : imp.getOverlay().toArray()) {
            if (roi.getName().startsWith("label " + label + " ")) n += roi.getContainedPoints().length;
        }
        return n;
    }

    @Test
    void fromAFileItIsTheCliBitForBit() {
        String ijPrefix = tmp.resolve("ij").toString();
        String cliPrefix = tmp.resolve("cli").toString();
        List<String> rois = List.of(ATLAS);
        List<String> log = new ArrayList<>();
        TaskGlmPlugin.Output out = TaskGlmPlugin.run(null, BOLD, MASK, EVENTS, CONFOUNDS, List.of(CONTRAST), rois, Map.of(), true,
            ijPrefix, log::add);
        JsonNode json = cli(rois, cliPrefix);
        sameRows(json, out, rois);
        assertEquals("40", out.table().rows().get(0).get("voxels"));   // numpy: AAL 31 + 32 on the 6 mm grid, all in the mask
        assertEquals(1, out.zMaps().size());
        ImagePlus z = out.zMaps().get(0);
        assertEquals(RUN + "_space-MNI152NLin2009cAsym_desc-preproc_bold_contrast-" + LABEL + "_stat-z", z.getTitle());
        int nonzero = sameAsFloat(map(cliPrefix, "z"), z);
        assertEquals(json.get("mask_voxels").asInt(), nonzero);
        assertTrue(ImagePlusNifti.affine(z).equalsWithin(NiftiImage.load(BOLD).affine(), 1e-9));
        // the ROI outlined on the z map: it encloses the ROI's voxels
        assertEquals(40, enclosed(z, 1));
        // the maps written under the prefix are the CLI's, every double
        for (String s : STATS) {
            double[] a = NiftiImage.load(map(cliPrefix, s)).readDouble();
            double[] b = NiftiImage.load(map(ijPrefix, s)).readDouble();
            assertEquals(a.length, b.length);
            for (int v = 0; v < a.length; v++) {
                assertEquals(Double.doubleToLongBits(a[v]), Double.doubleToLongBits(b[v]), s + " voxel " + v);
            }
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("1555 voxels x 100 volumes") && l.contains("dof 86")), log.toString());
    }

    @Test
    void onTheOpenImageWithTwoRoisItIsTheCliBitForBit() {
        // the sidecar (TR 2 s, slice-time reference 0.5) is found beside the file the image came from
        ImagePlus bold = ImagePlusNifti.open(BOLD);
        List<String> rois = List.of(ATLAS, SPHERE);
        TaskGlmPlugin.Output out = TaskGlmPlugin.run(bold, null, MASK, EVENTS, CONFOUNDS, List.of(CONTRAST), rois, Map.of(), true,
            null, s -> { });
        String cliPrefix = tmp.resolve("cli2").toString();
        JsonNode json = cli(rois, cliPrefix);
        assertEquals("sidecar", json.get("tr_source").asText());
        sameRows(json, out, rois);
        ImagePlus z = out.zMaps().get(0);
        assertEquals(bold.getTitle().replaceFirst("\\.nii\\.gz$", "") + "_contrast-" + LABEL + "_stat-z", z.getTitle());
        sameAsFloat(map(cliPrefix, "z"), z);
        assertEquals(40, enclosed(z, 1));
        assertTrue(enclosed(z, 2) > 0);
    }

    @Test
    void parametersFromTheDialogAreTheCliOptions() {
        List<String> rois = List.of(SPHERE);
        TaskGlmPlugin.Output out = TaskGlmPlugin.run(null, BOLD, MASK, EVENTS, CONFOUNDS, List.of(CONTRAST), rois,
            Map.of("noise", "ols", "hrf", "glover", "strategy", "24P", "high_pass", "0.02"), false, "", s -> { });
        String prefix = tmp.resolve("cli3").toString();
        List<String> a = List.of("glm", BOLD.toString(), "--events", EVENTS.toString(), "--confounds", CONFOUNDS.toString(),
            "--mask", MASK.toString(), "--contrast", CONTRAST, "--roi", SPHERE, "--noise", "ols", "--hrf", "glover",
            "--strategy", "24P", "--high-pass", "0.02", "--out", prefix, "--json");
        Cli c = Cli.run(a.toArray(String[]::new));
        assertEquals(0, c.code, c.err);
        sameRows(c.json(), out, rois);
        assertEquals("ols", out.table().rows().get(0).get("noise_model"));
        assertTrue(out.zMaps().isEmpty());
    }

    @Test
    void badInputsAreOneLineErrorsNamingTheProblem() {
        Path missing = tmp.resolve("no_such_events.tsv");
        KetaprintException e = assertThrows(KetaprintException.class, () -> TaskGlmPlugin.run(null, BOLD, MASK, missing, CONFOUNDS,
            List.of(CONTRAST), List.of(ATLAS), Map.of(), true, tmp.resolve("x").toString(), s -> { }));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("events"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        e = assertThrows(KetaprintException.class, () -> TaskGlmPlugin.run(null, BOLD, MASK, EVENTS, CONFOUNDS,
            List.of("fearful - angry"), List.of(ATLAS), Map.of(), true, tmp.resolve("y").toString(), s -> { }));
        assertTrue(e.getMessage().contains("'angry'") && e.getMessage().contains("trial_type"), e.getMessage());
        assertTrue(e.getMessage().contains("fearful, neutral, shapes"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        // nothing was written for either: every contrast is checked before any output
        assertFalse(java.nio.file.Files.exists(Path.of(tmp.resolve("y") + "_design.tsv")));
        e = assertThrows(KetaprintException.class, () -> TaskGlmPlugin.run(null, BOLD, MASK, null, CONFOUNDS,
            List.of(CONTRAST), List.of(), Map.of(), false, null, s -> { }));
        assertTrue(e.getMessage().contains("events"), e.getMessage());
        e = assertThrows(KetaprintException.class, () -> TaskGlmPlugin.run(null, BOLD, MASK, EVENTS, CONFOUNDS,
            List.of(CONTRAST), List.of(), Map.of("noise", "ar2"), false, null, s -> { }));
        assertTrue(e.getMessage().contains("ar2"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
