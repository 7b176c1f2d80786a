package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;

/**
 * GBC of one run and of two concatenated runs, every gray-matter voxel against the definition written plainly here:
 * the mean over the other varying gray-matter voxels of atanh(clip(r, 1 - 1e-7)), r the Pearson r of the OLS
 * residuals on constant and trend (two runs: sum(n_r r_r) / sum(n_r)) (issue 15).
 */
class GbcDefinitionTest {
    static final Affine AFFINE = NaReasonsTest.AFFINE;
    static final int NV = 64;

    @TempDir
    Path tmp;

    /** A 4x4x4 run of nt volumes, all in the mask; voxel 5 constant; series share a component so r spreads. */
    BoldRun run(String name, int nt, long seed) {
        Random rnd = new Random(seed);
        float[] d = new float[NV * nt];
        double[] common = new double[nt];
        for (int t = 0; t < nt; t++) common[t] = rnd.nextGaussian();
        for (int v = 0; v < NV; v++) {
            double w = (v % 4) * 0.7;
            for (int t = 0; t < nt; t++) d[t * NV + v] = (float) (100 + rnd.nextGaussian() + w * common[t] + 0.05 * t);
        }
        for (int t = 0; t < nt; t++) d[t * NV + 5] = 80;
        Path bold = tmp.resolve(name + ".nii");
        NiftiWriter.write(bold, NiftiWriter.Spec.of(new long[] {4, 4, 4, nt}, AFFINE, DataType.FLOAT32).tr(2), d);
        float[] ones = new float[NV];
        java.util.Arrays.fill(ones, 1);
        Path mask = tmp.resolve(name + "_mask.nii");
        NiftiWriter.write(mask, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.FLOAT32), ones);
        return BoldRun.load(bold, mask, Double.NaN);
    }

    Path image(String name, float[] values) {
        Path p = tmp.resolve(name + ".nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.FLOAT32), values);
        return p;
    }

    /** Gray matter: every voxel but those with v % 3 == 1 (voxel 5, constant, is in it). */
    Path gm() {
        float[] g = new float[NV];
        for (int v = 0; v < NV; v++) g[v] = v % 3 == 1 ? 0 : 1;
        return image("gm", g);
    }

    /** ROI: voxels 0..11 (gray matter and not, and the constant voxel 5). */
    Roi roi() {
        float[] a = new float[NV];
        for (int v = 0; v < 12; v++) a[v] = 1;
        return Roi.atlas(image("atlas", a), List.of("1"));
    }

    static List<double[]> designOf(int nt) {
        List<double[]> cols = new ArrayList<>();
        double[] one = new double[nt], trend = new double[nt];
        for (int t = 0; t < nt; t++) {
            one[t] = 1;
            trend[t] = t;
        }
        cols.add(one);
        cols.add(trend);
        return cols;
    }

    static boolean[] all(int nt) {
        boolean[] keep = new boolean[nt];
        java.util.Arrays.fill(keep, true);
        return keep;
    }

    /** Residual series of every voxel of the run (row order), on constant and trend. */
    static double[][] residuals(BoldRun run) {
        int nt = run.volumes();
        double[][] r = new double[run.size()][];
        for (int v = 0; v < run.size(); v++) {
            double[] y = new double[nt];
            for (int t = 0; t < nt; t++) y[t] = run.data()[v * nt + t];
            r[v] = DenoiserDefinitionTest.residual(designOf(nt), all(nt), y);
        }
        return r;
    }

    static double r(double[] a, double[] b) {
        return DenoiserDefinitionTest.dot(a, b) / Math.sqrt(DenoiserDefinitionTest.dot(a, a) * DenoiserDefinitionTest.dot(b, b));
    }

    static double atanhClipped(double r) {
        double c = Math.max(-Stats.R_CLIP, Math.min(Stats.R_CLIP, r));
        return 0.5 * Math.log((1 + c) / (1 - c));
    }

    /** The definition: per voxel in {@code set}, mean atanh over the others; NaN elsewhere. */
    static double[] gbc(double[][] r, boolean[] set) {
        double[] g = new double[r.length];
        int n = 0;
        for (boolean b : set) if (b) n++;
        for (int i = 0; i < r.length; i++) {
            if (!set[i]) {
                g[i] = Double.NaN;
                continue;
            }
            double s = 0;
            for (int j = 0; j < r.length; j++) if (j != i && set[j]) s += atanhClipped(r[i][j]);
            g[i] = s / (n - 1);
        }
        return g;
    }

    static void assertMaps(double[] want, double[] got) {
        assertEquals(want.length, got.length);
        for (int v = 0; v < want.length; v++) {
            if (Double.isNaN(want[v])) assertTrue(Double.isNaN(got[v]), "voxel " + v + ": " + got[v]);
            else assertEquals(want[v], got[v], 1e-5, "voxel " + v);
        }
    }

    static double roiMean(double[] g, int first, int last) {
        double s = 0;
        int n = 0;
        for (int v = first; v <= last; v++) {
            if (!Double.isNaN(g[v])) {
                s += g[v];
                n++;
            }
        }
        return s / n;
    }

    static final Settings PLAIN = new Settings(Strategy.parse("none"), 0, 0, null);

    @Test
    void oneRunEveryVoxelIsTheMeanAtanhOverTheOthers() {
        BoldRun run = run("bold", 40, 1);
        boolean[] gm = Gbc.grayMatter(run, gm());
        double[][] res = residuals(run);
        double[][] r = new double[NV][NV];
        boolean[] set = new boolean[NV];
        for (int i = 0; i < NV; i++) {
            set[i] = gm[i] && i != 5;
            for (int j = 0; j < NV; j++) r[i][j] = i == 5 || j == 5 ? 0 : r(res[i], res[j]);
        }
        double[] want = gbc(r, set);
        Gbc.Result got = Gbc.compute(run, null, PLAIN, gm, roi());
        assertMaps(want, got.gbc);
        int grayInRoi = 0, grayVarying = 0;
        for (int v = 0; v < 12; v++) if (v % 3 != 1) grayInRoi++;
        for (boolean b : set) if (b) grayVarying++;
        assertEquals(grayInRoi, got.roiVoxels);
        assertEquals(grayVarying, got.grayVoxels);
        assertEquals(roiMean(want, 0, 11), got.roiMean, 1e-5);
        assertEquals(null, got.naReason);
    }

    @Test
    void twoRunsCorrelateAsTheUsedVolumeWeightedMean() {
        BoldRun a = run("run1", 40, 2);
        BoldRun b = run("run2", 30, 3);
        boolean[] gm = Gbc.grayMatter(a, gm());
        Roi roi = roi();
        Map<String, Roi> rois = Map.of("roi", roi);
        Concatenation c = Concatenation.of(List.of(new RestingData.Run(a, null, rois::get, "run-1"),
            new RestingData.Run(b, null, rois::get, "run-2")), PLAIN);
        double[][] ra = residuals(a), rb = residuals(b);
        double[][] r = new double[NV][NV];
        boolean[] set = new boolean[NV];
        for (int i = 0; i < NV; i++) {
            set[i] = gm[i] && i != 5;
            for (int j = 0; j < NV; j++) r[i][j] = i == 5 || j == 5 ? 0 : (40 * r(ra[i], ra[j]) + 30 * r(rb[i], rb[j])) / 70;
        }
        double[] want = gbc(r, set);
        Gbc.Result got = Gbc.compute(c, gm, "roi");
        assertMaps(want, got.gbc);
        assertEquals(roiMean(want, 0, 11), got.roiMean, 1e-5);
        assertEquals(8, got.roiVoxels);
        assertEquals(70, got.used);
        assertEquals(null, got.naReason);
        // the measure on two runs takes the concatenation
        RestingData d = new RestingData(List.of(new RestingData.Run(a, null, rois::get, "run-1"),
            new RestingData.Run(b, null, rois::get, "run-2")), PLAIN, () -> gm, null);
        assertEquals(roiMean(want, 0, 11), new Gbc().compute(d, new Gbc.Params("roi", false)).value(), 1e-5);
    }

    @Test
    void twoGrayMatterVoxelsAreEnough() {
        BoldRun run = run("bold", 30, 4);
        float[] g = new float[NV];
        g[0] = g[1] = 1;
        boolean[] gm = Gbc.grayMatter(run, image("gm2", g));
        Gbc.Result got = Gbc.compute(run, null, PLAIN, gm, null);
        double[][] res = residuals(run);
        double z = atanhClipped(r(res[0], res[1]));
        assertEquals(z, got.gbc[0], 1e-5);
        assertEquals(z, got.gbc[1], 1e-5);
        assertEquals(2, got.grayVoxels);
        BoldRun second = run("bold2", 24, 5);
        Map<String, Roi> rois = Map.of("roi", roi());
        Concatenation c = Concatenation.of(List.of(new RestingData.Run(run, null, rois::get, "run-1"),
            new RestingData.Run(second, null, rois::get, "run-2")), PLAIN);
        Gbc.Result two = Gbc.compute(c, gm, "roi");
        double[][] res2 = residuals(second);
        double z2 = atanhClipped((30 * r(res[0], res[1]) + 24 * r(res2[0], res2[1])) / 54);
        assertEquals(z2, two.gbc[0], 1e-5);
        assertEquals(z2, two.roiMean, 1e-5);
        assertEquals(2, two.grayVoxels);
        g[1] = 0;
        Path one = image("gm1", g);
        assertThrows(KetaprintException.class, () -> Gbc.grayMatter(run, one));
    }
}
