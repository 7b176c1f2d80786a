package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.measure.ParamException;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Issue 14: every n/a of the resting-state measures carries its reason (GBC over an ROI none of whose gray-matter
 * voxels varies; a seed whose clean series is nothing but rounding; fd_mean without framewise displacement), z
 * for r = 1 is n/a with "r = 1", and a TR that is not a positive finite number is an error everywhere.
 */
class NaReasonsTest {
    static final Affine AFFINE = new Affine(new double[][] {{2, 0, 0, -4}, {0, 2, 0, -4}, {0, 0, 2, -4}, {0, 0, 0, 1}});
    static final int T = 80;

    @TempDir
    Path tmp;
    Path bold;
    Path mask;
    Path atlas;

    /**
     * A 4x4x4 run of 80 volumes (TR 2 s) with, by atlas label: 1, two voxels in anti-phase whose mean is exactly 100
     * at every volume; 2, two noise voxels; 3, exact copies of label 2's voxels; 5, two constant voxels; 6, two NaN
     * voxels; 0, noise.
     */
    @BeforeEach
    void data() {
        Random rnd = new Random(14);
        int nv = 64;
        float[] d = new float[nv * T];
        int[] lab = new int[nv];
        int[][] byLabel = {{}, {0, 1}, {2, 3}, {4, 5}, {}, {6, 7}, {8, 9}};
        for (int l = 0; l < byLabel.length; l++) for (int v : byLabel[l]) lab[v] = l;
        for (int v = 0; v < nv; v++) for (int t = 0; t < T; t++) d[t * nv + v] = 100 + (float) rnd.nextGaussian();
        for (int t = 0; t < T; t++) {
            int k = rnd.nextInt(81) - 40;
            d[t * nv] = 100 + k / 8f;
            d[t * nv + 1] = 100 - k / 8f;
            d[t * nv + 4] = d[t * nv + 2];
            d[t * nv + 5] = d[t * nv + 3];
            d[t * nv + 6] = 50;
            d[t * nv + 7] = 70;
            d[t * nv + 8] = Float.NaN;
            d[t * nv + 9] = Float.NaN;
        }
        bold = tmp.resolve("bold.nii");
        NiftiWriter.write(bold, NiftiWriter.Spec.of(new long[] {4, 4, 4, T}, AFFINE, DataType.FLOAT32).tr(2), d);
        mask = tmp.resolve("mask.nii");
        float[] ones = new float[nv];
        java.util.Arrays.fill(ones, 1);
        NiftiWriter.write(mask, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.FLOAT32), ones);
        atlas = tmp.resolve("atlas.nii");
        float[] a = new float[nv];
        for (int v = 0; v < nv; v++) a[v] = lab[v];
        NiftiWriter.write(atlas, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.INT16), a);
    }

    String roi(int label) {
        return "atlas:" + atlas + ":" + label;
    }

    JsonNode json(String... args) {
        String[] a = new String[args.length + 4];
        System.arraycopy(args, 0, a, 0, 2);
        a[2] = "--mask";
        a[3] = mask.toString();
        a[4] = "--band";
        a[5] = "none";
        System.arraycopy(args, 2, a, 6, args.length - 2);
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = "--json";
        Cli c = Cli.run(all);
        assertEquals(0, c.code, c.err);
        return c.json();
    }

    /** `measure NAME` on the run, as a pipeline computes it: {value, na_reason}. */
    JsonNode measure(String name, String... more) {
        String[] base = {"measure", name, "--bold", bold.toString(), "--mask", mask.toString(), "--band", "none", "--strategy", "none", "--space",
            "MNI152", "--json"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        Cli c = Cli.run(all);
        assertEquals(0, c.code, c.err);
        return c.json();
    }

    @Test
    void identicalSeriesGiveR1AndZNaWithTheReason() {
        JsonNode o = json("seedcorr", bold.toString(), "--seed", roi(2), "--target", roi(3));
        assertEquals(1.0, o.get("r").asDouble());
        assertTrue(o.get("z").isNull(), o.toString());
        assertTrue(o.get("na_reason").asText().startsWith("r = 1: "), o.toString());
        JsonNode z = measure("seedcorr", "--seed", roi(2), "--target", roi(3));
        assertTrue(z.get("value").isNull() && z.get("na_reason").asText().startsWith("r = 1: "), z.toString());
        JsonNode r = measure("seedcorr", "--seed", roi(2), "--target", roi(3), "--value", "r");
        assertEquals(1.0, r.get("value").asDouble(), r.toString());
        assertTrue(r.get("na_reason").isNull(), r.toString());
    }

    @Test
    void aSeedWithNothingLeftAfterCleaningIsNaWithTheReason() {
        JsonNode o = json("seedcorr", bold.toString(), "--seed", roi(1), "--target", roi(2));
        assertTrue(o.get("r").isNull() && o.get("z").isNull(), o.toString());
        assertTrue(o.get("na_reason").asText().contains("ROI " + roi(1) + ": its clean mean series has no variance left"),
            o.toString());
        JsonNode m = measure("seedcorr", "--seed", roi(2), "--target", roi(1), "--value", "r");
        assertTrue(m.get("value").isNull() && m.get("na_reason").asText().contains("no variance left"), m.toString());
    }

    @Test
    void gbcOfAnRoiWithoutVaryingGrayMatterIsNaWithTheReason() {
        for (int l : new int[] {5, 6}) {   // constant voxels; NaN voxels
            JsonNode o = json("gbc", bold.toString(), "--gm-mask", mask.toString(), "--roi", roi(l));
            assertTrue(o.get("gbc_z").isNull(), o.toString());
            assertTrue(o.get("na_reason").asText().contains("none of its 2 gray-matter voxel(s)"), o.toString());
            JsonNode m = measure("gbc", "--gm", mask.toString(), "--roi", roi(l));
            assertTrue(m.get("value").isNull() && m.get("na_reason").asText().contains("none of its 2"), m.toString());
        }
        JsonNode map = json("gbc", bold.toString(), "--gm-mask", mask.toString(), "--out-map", tmp.resolve("g").toString());
        assertEquals("no --roi given: the map only", map.get("na_reason").asText());
        JsonNode ok = json("gbc", bold.toString(), "--gm-mask", mask.toString(), "--roi", roi(2));
        assertTrue(Double.isFinite(ok.get("gbc_z").asDouble()) && ok.get("na_reason").isNull(), ok.toString());
    }

    @Test
    void fdMeanWithoutFramewiseDisplacementIsNaWithTheReason() {
        JsonNode m = measure("quality", "--value", "fd_mean");
        assertTrue(m.get("value").isNull(), m.toString());
        assertTrue(m.get("na_reason").asText().startsWith("no framewise displacement"), m.toString());
        assertEquals(80, measure("quality", "--value", "n_used").get("value").asInt());
    }

    @Test
    void zIsNaFromROneOnAndPearsonStaysInRange() {
        assertTrue(Double.isNaN(Stats.fisherZ(1)) && Double.isNaN(Stats.fisherZ(-1)) && Double.isNaN(Stats.fisherZ(1 - 1e-13)));
        assertEquals(0.5 * Math.log(3), Stats.fisherZ(0.5), 1e-15);
        assertTrue(Stats.zNaReason(-1).startsWith("r = -1: ") && Stats.zNaReason(0.99) == null);
        double[] a = {0.1, 0.7, 0.2, 0.3000001, 1e-9};
        double[] b = {-0.1, -0.7, -0.2, -0.3000001, -1e-9};
        assertEquals(1.0, Stats.pearson(a, a));
        assertEquals(-1.0, Stats.pearson(a, b));
    }

    @Test
    void aTrThatIsNotAPositiveNumberIsAnError() throws Exception {
        ParamSet<RestingStateStage.Params> ps = ParamSet.of(RestingStateStage.Params.class);
        for (Object bad : new Object[] {-1.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, "nan", "inf", "-1"}) {
            Map<String, Object> given = new HashMap<>(Map.of("tr", bad));
            ParamException e = assertThrows(ParamException.class, () -> ps.bind(given), "tr " + bad);
            assertEquals("tr", e.key);
        }
        assertEquals(2.5, ps.bind(new HashMap<>(Map.of("tr", 2.5))).tr());
        for (String bad : new String[] {"NaN", "inf", "-1", "0", "Infinity"}) {
            Cli c = Cli.run("seedcorr", bold.toString(), "--mask", mask.toString(), "--seed", roi(2), "--target", roi(3), "--tr", bad);
            assertEquals(2, c.code, bad + ": " + c.err);
            assertEquals(1, c.err.strip().lines().count(), c.err);
            assertTrue(c.err.contains("'tr'"), c.err);
            assertFalse(c.err.contains("\tat "), c.err);
        }
        for (String bad : new String[] {"-1", "0", "nan", ".nan", ".inf"}) {
            Path p = tmp.resolve("p.yaml");
            Files.writeString(p, Files.readString(Path.of("pipelines/ketamine-response.yaml"))
                .replaceFirst("      gm_threshold: 0.5[^\n]*\n", "      gm_threshold: 0.5\n      tr: " + bad + "\n"));
            Cli c = Cli.run("validate-pipeline", p.toString(), "--atlas-dir", "test-data/demo-atlases");
            assertEquals(2, c.code, bad + ": " + c.out + c.err);
            int line = 1 + (int) Files.readString(p).lines().takeWhile(l -> !l.startsWith("      tr: ")).count();
            assertTrue((c.out + c.err).contains("line " + line + ": stage 'restingstate': 'tr'"), bad + ": " + c.out + c.err);
        }
    }
}
