package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ij.ImagePlus;
import ij.gui.Roi;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.table.Table;

/**
 * Seed correlation and ALFF on an open BOLD image (or its file) against the numpy reference of
 * test-data/restingstate (scripts/restingstate_reference.py: reference.json and the ref_* maps).
 */
class RestingPluginsTest {
    static final Path DIR = Path.of("test-data", "restingstate");
    static final Path BOLD = DIR.resolve("bold.nii.gz");
    static final String SEED = "sphere:6,16,-10,10";
    static final String TARGET = "sphere:38,44,26,10";

    @TempDir
    Path tmp;

    static JsonNode reference(String key) throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile()).get(key);
    }

    static RestingActions.Options options(String strategy, boolean gsr) {
        RestingActions.Options o = new RestingActions.Options();
        o.mask = DIR.resolve("brain_mask.nii.gz");
        o.confounds = DIR.resolve("confounds.tsv");
        if (strategy != null) o.set("strategy", strategy);
        o.gsr = gsr;
        return o;
    }

    /** The row's counts, TR, FD and the named values equal the reference (values to 1e-6, as the CLI's test). */
    static void checkRow(JsonNode ref, Map<String, String> row, String... keys) {
        assertEquals(ref.get("n_volumes_used").asText(), row.get("n_used"));
        assertEquals(ref.get("n_volumes_censored").asText(), row.get("n_censored"));
        assertEquals(ref.get("tr").asDouble(), Table.number(row.get("tr")), 1e-12);
        assertEquals(ref.get("fd_mean_mm").asDouble(), Table.number(row.get("fd_mean")), 1e-9);
        for (String k : keys) {
            double want = ref.get(k).asDouble();
            assertEquals(want, Table.number(row.get(k)), 1e-6 * Math.max(1, Math.abs(want)), k);
        }
    }

    /** The image (NIfTI order through the row flip) equals the reference map: within tol, NaN where it is NaN. */
    static void checkMap(Path ref, ImagePlus imp, double tol) {
        float[] a = NiftiImage.load(ref).readFloat();
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        int compared = 0;
        for (int k = 0; k < imp.getNSlices(); k++) {
            var ip = imp.getStack().getProcessor(k + 1);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    float want = a[i + nx * (j + ny * k)];
                    float got = ip.getf(i, ny - 1 - j);
                    if (Float.isNaN(want)) {
                        assertTrue(Float.isNaN(got), ref + " voxel " + i + "," + j + "," + k + " should be NaN");
                        continue;
                    }
                    assertEquals(want, got, tol * Math.max(1, Math.abs(want)), ref + " voxel " + i + "," + j + "," + k);
                    if (want != 0) compared++;
                }
            }
        }
        assertTrue(compared > 100, ref + ": only " + compared + " voxels compared");
    }

    /** Mask voxels whose centres lie within r mm of (x, y, z): the sphere ROI by its definition. */
    static long sphereVoxels(double x, double y, double z, double r) {
        NiftiImage m = NiftiImage.load(DIR.resolve("brain_mask.nii.gz"));
        float[] v = m.readFloat();
        var g = m.grid();
        long n = 0;
        for (int k = 0; k < g.nz; k++) {
            for (int j = 0; j < g.ny; j++) {
                for (int i = 0; i < g.nx; i++) {
                    double[] w = g.affine.apply(i, j, k);
                    double d = (w[0] - x) * (w[0] - x) + (w[1] - y) * (w[1] - y) + (w[2] - z) * (w[2] - z);
                    if (v[g.index(i, j, k)] > 0 && d <= r * r) n++;
                }
            }
        }
        return n;
    }

    static long enclosed(ImagePlus imp, int label) {
        long n = 0;
        for (Roi roi : imp.getOverlay().toArray()) {
            if (roi.getName().startsWith("label " + label + " ")) n += roi.getContainedPoints().length;
        }
        return n;
    }

    @Test
    void seedCorrelationOfTheOpenBoldMatchesNumpy() throws IOException {
        ImagePlus bold = ImagePlusNifti.open(BOLD);
        SeedCorrelationPlugin.Output out = SeedCorrelationPlugin.run(bold, null, options("24P", false), SEED, TARGET, true, "",
            s -> { });
        Map<String, String> row = out.table().rows().get(0);
        checkRow(reference("fc"), row, "r", "z");
        assertEquals("sphere:6,16,-10,10", row.get("seed"));
        assertEquals("24P", row.get("strategy"));
        checkMap(DIR.resolve("ref_fc_r.nii.gz"), out.rMap(), 1e-5);
        assertEquals("bold_r", out.rMap().getTitle());
        assertTrue(ImagePlusNifti.affine(out.rMap()).equalsWithin(NiftiImage.load(BOLD).affine(), 1e-9));
        assertNull(out.rMap().getProp(ImagePlusNifti.SOURCE));
        // seed and target outlined on the r map; they enclose the mask voxels of each sphere
        long seed = sphereVoxels(6, 16, -10, 10);
        long target = sphereVoxels(38, 44, 26, 10);
        assertEquals(Long.parseLong(row.get("seed_voxels")), seed);
        assertEquals(Long.parseLong(row.get("target_voxels")), target);
        assertEquals(seed, enclosed(out.rMap(), 1));
        assertEquals(target, enclosed(out.rMap(), 2));
    }

    @Test
    void gsrCheckboxFromAFileWritesTheCliMaps() throws IOException {
        String prefix = tmp.resolve("fc_gsr").toString();
        SeedCorrelationPlugin.Output out = SeedCorrelationPlugin.run(null, BOLD, options("24P", true), SEED, TARGET, false, prefix,
            s -> { });
        checkRow(reference("fc_gsr"), out.table().rows().get(0), "r", "z");
        assertEquals("true", out.table().rows().get(0).get("gsr"));
        assertNull(out.rMap());
        checkMap(DIR.resolve("ref_fc_gsr_r.nii.gz"), ImagePlusNifti.open(Path.of(prefix + "_r.nii.gz")), 1e-5);
        checkMap(DIR.resolve("ref_fc_gsr_z.nii.gz"), ImagePlusNifti.open(Path.of(prefix + "_z.nii.gz")), 1e-5);
    }

    @Test
    void atlasRoisByNameAndNumber() throws IOException {
        String atlas = DIR.resolve("atlas.nii.gz").toString();
        SeedCorrelationPlugin.Output out = SeedCorrelationPlugin.run(ImagePlusNifti.open(BOLD), null, options("24P+gsr", false),
            "atlas:" + atlas + ":Cingulate_Sub", "atlas:" + atlas + ":1", false, null, s -> { });
        checkRow(reference("fc_atlas"), out.table().rows().get(0), "r", "z");
    }

    @Test
    void alffOfTheOpenBoldMatchesNumpy() throws IOException {
        String prefix = tmp.resolve("a").toString();
        AlffPlugin.Output out = AlffPlugin.run(ImagePlusNifti.open(BOLD), null, options("24P", false), SEED, true, prefix, s -> { });
        Map<String, String> row = out.table().rows().get(0);
        checkRow(reference("alff"), row, "alff", "falff");
        checkMap(DIR.resolve("ref_alff_alff.nii.gz"), out.alff(), 1e-5);
        checkMap(DIR.resolve("ref_alff_falff.nii.gz"), out.falff(), 1e-5);
        assertEquals(Path.of(prefix + "_alff.nii.gz").toAbsolutePath().toString(), out.alff().getProp(ImagePlusNifti.SOURCE));
        checkMap(DIR.resolve("ref_alff_falff.nii.gz"), ImagePlusNifti.open(Path.of(prefix + "_falff.nii.gz")), 1e-5);
        assertEquals(sphereVoxels(6, 16, -10, 10), enclosed(out.alff(), 1));
        assertEquals(Long.parseLong(row.get("roi_voxels")), enclosed(out.falff(), 1));
    }

    @Test
    void anEditInImageJChangesTheResult() throws IOException {
        // the open image is what is analysed: scaling every voxel's series by 2 leaves r alone but doubles ALFF
        ImagePlus bold = ImagePlusNifti.open(BOLD);
        for (int s = 1; s <= bold.getStackSize(); s++) bold.getStack().getProcessor(s).multiply(2);
        AlffPlugin.Output out = AlffPlugin.run(bold, null, options("24P", false), SEED, false, "", x -> { });
        double want = 2 * reference("alff").get("alff").asDouble();
        assertEquals(want, Table.number(out.table().rows().get(0).get("alff")), 1e-6 * want);
        assertEquals(reference("alff").get("falff").asDouble(), Table.number(out.table().rows().get(0).get("falff")), 1e-6);
    }

    @Test
    void badInputsAreOneLineErrors() {
        RestingActions.Options noMask = options("24P", false);
        noMask.mask = null;
        KetaprintException e = assertThrows(KetaprintException.class,
            () -> SeedCorrelationPlugin.run(null, BOLD, noMask, SEED, TARGET, false, "", s -> { }));
        assertTrue(e.getMessage().contains("bold.nii.gz") && e.getMessage().contains("mask"), e.getMessage());
        e = assertThrows(KetaprintException.class,
            () -> SeedCorrelationPlugin.run(null, BOLD, options("25P", false), SEED, TARGET, false, "", s -> { }));
        assertTrue(e.getMessage().contains("25P"), e.getMessage());
        e = assertThrows(KetaprintException.class,
            () -> AlffPlugin.run(null, BOLD, options("24P", false), "sphere:6,16", false, "", s -> { }));
        assertTrue(e.getMessage().contains("sphere:X,Y,Z,R"), e.getMessage());
        // a seed outside the brain: the message names the open image, not its temporary copy
        e = assertThrows(KetaprintException.class,
            () -> AlffPlugin.run(ImagePlusNifti.open(BOLD), null, options("24P", false), "sphere:500,0,0,5", false, "", s -> { }));
        assertTrue(e.getMessage().contains("bold.nii.gz (the open image)") && !e.getMessage().contains("ketaprint-bold"), e.getMessage());
        ImagePlus one = ImagePlusNifti.open(DIR.resolve("brain_mask.nii.gz"));
        e = assertThrows(KetaprintException.class,
            () -> AlffPlugin.run(one, null, options("24P", false), SEED, false, "", s -> { }));
        assertTrue(e.getMessage().contains("brain_mask.nii.gz") && e.getMessage().contains("time series"), e.getMessage());
    }
}
