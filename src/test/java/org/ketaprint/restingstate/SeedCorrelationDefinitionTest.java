package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Seed correlation of one run and of two concatenated runs against the definition written plainly here: r of the
 * OLS residuals (on constant and trend) of the ROIs' mean series, the map's r per voxel, two runs weighted by their
 * volumes; and where a clean seed series counts as nothing but rounding (issue 15).
 */
class SeedCorrelationDefinitionTest {
    static final int NV = GbcDefinitionTest.NV;

    @TempDir
    Path tmp;

    GbcDefinitionTest files() {
        GbcDefinitionTest g = new GbcDefinitionTest();
        g.tmp = tmp;
        return g;
    }

    /** Seed: voxels 0..5 (voxel 5 constant, left out of the mean); target: voxels 10..15. */
    Map<String, Roi> rois(GbcDefinitionTest g) {
        float[] a = new float[NV];
        for (int v = 0; v < 6; v++) a[v] = 1;
        for (int v = 10; v < 16; v++) a[v] = 2;
        Path atlas = g.image("labels", a);
        return Map.of("seed", Roi.atlas(atlas, List.of("1")), "target", Roi.atlas(atlas, List.of("2")));
    }

    /** Residual of the mean of the given voxels' raw series (the constant voxel 5 left out). */
    static double[] roiResidual(BoldRun run, int first, int last) {
        int nt = run.volumes();
        double[] mean = new double[nt];
        int n = 0;
        for (int v = first; v <= last; v++) {
            if (v == 5) continue;
            n++;
            for (int t = 0; t < nt; t++) mean[t] += run.data()[v * nt + t];
        }
        for (int t = 0; t < nt; t++) mean[t] /= n;
        return DenoiserDefinitionTest.residual(GbcDefinitionTest.designOf(nt), GbcDefinitionTest.all(nt), mean);
    }

    static double[] map(BoldRun run, double[] seed) {
        double[][] res = GbcDefinitionTest.residuals(run);
        double[] r = new double[NV];
        for (int v = 0; v < NV; v++) r[v] = v == 5 ? Double.NaN : GbcDefinitionTest.r(res[v], seed);
        return r;
    }

    @Test
    void oneRun() {
        GbcDefinitionTest g = files();
        BoldRun run = g.run("bold", 40, 11);
        Map<String, Roi> rois = rois(g);
        double[] seed = roiResidual(run, 0, 5), target = roiResidual(run, 10, 15);
        double r = GbcDefinitionTest.r(seed, target);
        SeedCorrelation.Result got = SeedCorrelation.compute(run, null, GbcDefinitionTest.PLAIN, rois.get("seed"), rois.get("target"), true);
        assertNull(got.naReason);
        assertEquals(r, got.r, 1e-9);
        assertEquals(0.5 * Math.log((1 + r) / (1 - r)), got.z, 1e-9);
        assertEquals(6, got.seedVoxels);
        assertEquals(6, got.targetVoxels);
        GbcDefinitionTest.assertMaps(map(run, seed), got.rMap);
        SeedCorrelation.Result none = SeedCorrelation.compute(run, null, GbcDefinitionTest.PLAIN, rois.get("seed"), null, false);
        assertNull(none.rMap);
        assertNull(none.naReason);
        assertTrue(Double.isNaN(none.r));
    }

    @Test
    void twoRunsWeightTheirCorrelationsByVolumes() {
        GbcDefinitionTest g = files();
        BoldRun a = g.run("run1", 40, 12), b = g.run("run2", 24, 13);
        Map<String, Roi> rois = rois(g);
        Concatenation c = Concatenation.of(List.of(new RestingData.Run(a, null, rois::get, "run-1"),
            new RestingData.Run(b, null, rois::get, "run-2")), GbcDefinitionTest.PLAIN);
        double[] sa = roiResidual(a, 0, 5), sb = roiResidual(b, 0, 5);
        double r = (40 * GbcDefinitionTest.r(sa, roiResidual(a, 10, 15)) + 24 * GbcDefinitionTest.r(sb, roiResidual(b, 10, 15))) / 64;
        SeedCorrelation.Result got = SeedCorrelation.compute(c, "seed", "target", true);
        assertNull(got.naReason);
        assertEquals(r, got.r, 1e-9);
        assertEquals(0.5 * Math.log((1 + r) / (1 - r)), got.z, 1e-9);
        assertEquals(6, got.seedVoxels);
        assertEquals(6, got.targetVoxels);
        double[] ma = map(a, sa), mb = map(b, sb);
        double[] want = new double[NV];
        for (int v = 0; v < NV; v++) want[v] = (40 * ma[v] + 24 * mb[v]) / 64;
        GbcDefinitionTest.assertMaps(want, got.rMap);
        // the measure on two runs takes the concatenation
        RestingData d = new RestingData(List.of(new RestingData.Run(a, null, rois::get, "run-1"),
            new RestingData.Run(b, null, rois::get, "run-2")), GbcDefinitionTest.PLAIN, () -> null, null);
        assertEquals(r, new SeedCorrelation().compute(d, new SeedCorrelation.Params("seed", "target", false, "r")).value(), 1e-9);
        SeedCorrelation.Result mapOnly = SeedCorrelation.compute(c, "seed", null, false);
        assertNull(mapOnly.rMap);
        assertNull(mapOnly.naReason);
        assertEquals(0, mapOnly.targetVoxels);
    }

    /**
     * A seed of two voxels in exact anti-phase around 100, one of them also stepping by one float ulp of 100
     * (2^-17) at random: the clean mean series has a norm near 2^-19 sqrt(n), far below 1e-6 of the raw mean's
     * norm (about 100 sqrt(n)): only rounding, n/a with the reason, also for a map alone; a seed with a step of 1
     * is not.
     */
    @Test
    void aSeedWithOnlyRoundingLeftIsNa() {
        int nt = 80;
        BoldRun[] runs = new BoldRun[2];
        Roi[] rois = new Roi[2];
        for (double step : new double[] {0x1p-17, 1}) {
            Random rnd = new Random(21);
            float[] d = new float[NV * nt];
            for (int v = 0; v < NV; v++) for (int t = 0; t < nt; t++) d[t * NV + v] = 100 + (float) rnd.nextGaussian();
            for (int t = 0; t < nt; t++) {
                int k = rnd.nextInt(81) - 40;
                d[t * NV] = 100 + k / 8f;
                d[t * NV + 1] = (float) (100 - k / 8.0 + (rnd.nextBoolean() ? step : 0));
            }
            Path bold = tmp.resolve("flat" + step + ".nii");
            NiftiWriter.write(bold, NiftiWriter.Spec.of(new long[] {4, 4, 4, nt}, NaReasonsTest.AFFINE, DataType.FLOAT32).tr(2), d);
            GbcDefinitionTest g = files();
            float[] ones = new float[NV];
            java.util.Arrays.fill(ones, 1);
            BoldRun run = BoldRun.load(bold, g.image("mask" + step, ones), Double.NaN);
            float[] lab = new float[NV];
            lab[0] = lab[1] = 1;
            lab[10] = 2;
            Path atlas = g.image("flatlabels" + step, lab);
            Roi seed = Roi.atlas(atlas, List.of("1")), target = Roi.atlas(atlas, List.of("2"));
            runs[step < 1 ? 1 : 0] = run;
            rois[0] = seed;
            rois[1] = target;
            SeedCorrelation.Result both = SeedCorrelation.compute(run, null, GbcDefinitionTest.PLAIN, seed, target, true);
            SeedCorrelation.Result alone = SeedCorrelation.compute(run, null, GbcDefinitionTest.PLAIN, seed, null, true);
            if (step < 1) {
                assertNotNull(both.naReason);
                assertTrue(both.naReason.contains("no variance left"), both.naReason);
                assertTrue(Double.isNaN(both.r));
                assertNull(both.rMap);
                assertEquals(both.naReason, alone.naReason);
                assertNull(alone.rMap);
            } else {
                assertNull(both.naReason);
                assertTrue(both.r > -1 && both.r < 1);
                assertNull(alone.naReason);
                assertNotNull(alone.rMap);
            }
        }
        // two runs, the second with the flat seed: n/a for the seed as seed, and as target
        Map<String, Roi> byName = Map.of("flat", rois[0], "other", rois[1]);
        Concatenation c = Concatenation.of(List.of(new RestingData.Run(runs[0], null, byName::get, "run-1"),
            new RestingData.Run(runs[1], null, byName::get, "run-2")), GbcDefinitionTest.PLAIN);
        String flat = "ROI " + rois[0].spec() + ": its clean mean series has no variance left";
        SeedCorrelation.Result asSeed = SeedCorrelation.compute(c, "flat", "other", true);
        assertNotNull(asSeed.naReason);
        assertTrue(asSeed.naReason.startsWith(flat), asSeed.naReason);
        assertNull(asSeed.rMap);
        assertTrue(Double.isNaN(asSeed.r));
        SeedCorrelation.Result asTarget = SeedCorrelation.compute(c, "other", "flat", true);
        assertNotNull(asTarget.naReason);
        assertTrue(asTarget.naReason.startsWith(flat), asTarget.naReason);
        assertNotNull(asTarget.rMap);
        assertTrue(Double.isNaN(asTarget.r));
        SeedCorrelation.Result fine = SeedCorrelation.compute(c, "other", null, true);
        assertNull(fine.naReason);
        assertNotNull(fine.rMap);
    }
}
