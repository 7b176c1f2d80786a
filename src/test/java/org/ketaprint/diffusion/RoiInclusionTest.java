package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.MeasureRun;

/**
 * Which voxels the diffusion stage's ROI statistics use (issue 15), on phantoms whose answer is known by construction.
 * The rule, as docs/diffusion.md states it: "The voxels used are those where the mask is true. With no mask, the voxels
 * used are those where FA is neither 0 nor NaN [...]. With a threshold, FA must also be > threshold." So a voxel whose
 * FA equals {@code fa_threshold} is left out (strictly above), and ROI voxels outside the brain mask are left out
 * whatever their signal.
 */
class RoiInclusionTest {
    static final int ROI = 7;
    static final int OTHER = 9;
    static final int NX = 4, NY = 3, NZ = 2, NV = NX * NY * NZ;
    static final double[] B = {0, 1000, 1000, 1000, 1000, 1000, 1000};
    static final double[][] G = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
        {0.70710678, 0.70710678, 0}, {0.70710678, 0, 0.70710678}, {0, 0.70710678, 0.70710678}};
    static final double MD = 0.8e-3;

    @TempDir
    Path tmp;

    /** A label image on the phantom's grid (1 mm, identity affine) with a mricron table beside it. */
    Path atlas(float[] labels) throws IOException {
        Path img = tmp.resolve("phantom_labels.nii.gz");
        NiftiWriter.write(img, NiftiWriter.Spec.of(new long[] {NX, NY, NZ}, Affine.identity(), DataType.INT16), labels);
        Files.writeString(tmp.resolve("phantom_labels.nii.txt"), "0\tBackground\n" + ROI + "\tThe_ROI\n" + OTHER + "\tOther\n");
        return img;
    }

    /** Eigenvalues (principal along x) of a tensor with mean diffusivity MD and the given FA, exactly. */
    static double[] tensorWithFa(double fa) {
        double a = Math.sqrt(3 * fa * fa / (9 - 6 * fa * fa));   // FA of md (1 + 2a, 1 - a, 1 - a) is 3a / sqrt(3 + 6a^2)
        return new double[] {MD * (1 + 2 * a), MD * (1 - a), MD * (1 - a)};
    }

    /** The mean of the FA values of the listed voxels, in double: the hand computation. */
    static double mean(double... fa) {
        double s = 0;
        for (double f : fa) s += f;
        return s / fa.length;
    }

    static double run(Map<String, Path> files, Path atlas, String threshold, String stat) {
        Map<String, String> sp = new HashMap<>(Map.of("atlas", atlas.toString(), "space", "MNI152", "method", "wls"));
        sp.put("fa_threshold", threshold);
        sp.put("write_maps", "false");
        var stage = ParamSet.of(DiffusionStage.Params.class).bind(sp);
        var p = ParamSet.of(TensorRoi.Params.class).bind(Map.of("roi", "The ROI", "map", "fa", "stat", stat));
        return MeasureRun.run(Measures.get("tensor_roi"), stage, p, files, List.of(), null, "t", l -> { }).value();
    }

    /**
     * A fitted DWI with a supplied brain mask. ROI voxels: in the mask with FA 0.8, 0.6, 0.45, 0.3 and one with no
     * signal at all (every signal floored alike: a zero tensor, every eigenvalue at the floor, FA exactly 0); outside
     * the mask with FA 0.9 and 0.7 in their signal. Another label in the mask with FA 0.95.
     */
    @Test
    void fittedMapsCountMaskVoxelsAboveTheThreshold() throws IOException {
        int n = B.length;
        float[] dwi = new float[NV * n];
        float[] mask = new float[NV];
        float[] labels = new float[NV];
        // voxel -> {FA (NaN: no signal), in mask, label}
        double[][] plan = {
            {0.8, 1, ROI}, {0.6, 1, ROI}, {0.45, 1, ROI}, {0.3, 1, ROI}, {Double.NaN, 1, ROI},
            {0.9, 0, ROI}, {0.7, 0, ROI}, {0.95, 1, OTHER}};
        for (int v = 0; v < NV; v++) {
            double[] pl = v < plan.length ? plan[v] : new double[] {0.0, v % 2, 0};   // background: isotropic
            mask[v] = (float) pl[1];
            labels[v] = (float) pl[2];
            if (Double.isNaN(pl[0])) continue;
            double[] ev = tensorWithFa(pl[0]);
            for (int t = 0; t < n; t++) {
                double q = 0;
                for (int c = 0; c < 3; c++) q += G[t][c] * G[t][c] * ev[c];
                dwi[t * NV + v] = (float) (1000 * Math.exp(-B[t] * q));
            }
        }
        Path dwiPath = tmp.resolve("dwi.nii.gz");
        NiftiWriter.write(dwiPath, NiftiWriter.Spec.of(new long[] {NX, NY, NZ, n}, Affine.identity(), DataType.FLOAT32), dwi);
        Path maskPath = tmp.resolve("mask.nii.gz");
        NiftiWriter.write(maskPath, NiftiWriter.Spec.of(new long[] {NX, NY, NZ}, Affine.identity(), DataType.UINT8), mask);
        StringBuilder bval = new StringBuilder(), bvec = new StringBuilder();
        for (double b : B) bval.append(b).append(' ');
        for (int c = 0; c < 3; c++) {
            for (double[] g : G) bvec.append(g[c]).append(' ');
            bvec.append('\n');
        }
        Files.writeString(tmp.resolve("dwi.bval"), bval + "\n");
        Files.writeString(tmp.resolve("dwi.bvec"), bvec.toString());
        Path atlas = atlas(labels);
        Map<String, Path> files = Map.of("dwi", dwiPath, "mask", maskPath);

        // no threshold: the five ROI voxels in the mask, the no-signal one with FA 0 among them
        assertEquals(5, run(files, atlas, "none", "voxels"));
        assertEquals(mean(0.8, 0.6, 0.45, 0.3, 0), run(files, atlas, "none", "mean"), 1e-6);
        // FA > 0.5: 0.8 and 0.6 (0.45, 0.3 and 0 below; 0.9 and 0.7 outside the mask)
        assertEquals(2, run(files, atlas, "0.5", "voxels"));
        assertEquals(mean(0.8, 0.6), run(files, atlas, "0.5", "mean"), 1e-6);
        assertEquals(0.7, run(files, atlas, "0.5", "median"), 1e-6);
        // FA > 0: the no-signal voxel's FA is exactly 0, at the threshold, so it is left out
        assertEquals(4, run(files, atlas, "0", "voxels"));
        assertEquals(mean(0.8, 0.6, 0.45, 0.3), run(files, atlas, "0", "mean"), 1e-6);
    }

    /**
     * Precomputed FA/MD maps (no mask: "has data" is FA neither 0 nor NaN). FA values are exact in float32 and double,
     * so a voxel at exactly the threshold is one by construction. ROI voxels: FA 0 (no data), NaN, 0.25, 0.5, 0.625,
     * 0.75; MD a different value in each, so the MD mean shows which voxels were used.
     */
    @Test
    void precomputedMapsLeaveOutNoDataAndFaEqualToTheThreshold() throws IOException {
        float[] fa = new float[NV];
        float[] md = new float[NV];
        float[] labels = new float[NV];
        float[] roiFa = {0f, Float.NaN, 0.25f, 0.5f, 0.625f, 0.75f};
        for (int v = 0; v < NV; v++) {
            md[v] = 1e-3f * (v + 1);
            if (v < roiFa.length) {
                labels[v] = ROI;
                fa[v] = roiFa[v];
            } else {
                labels[v] = v % 2 == 0 ? OTHER : 0;
                fa[v] = 0.875f;
            }
        }
        Path faPath = tmp.resolve("sub-x_model-tensor_param-fa_dwimap.nii.gz");
        Path mdPath = tmp.resolve("sub-x_model-tensor_param-md_dwimap.nii.gz");
        NiftiWriter.write(faPath, NiftiWriter.Spec.of(new long[] {NX, NY, NZ}, Affine.identity(), DataType.FLOAT32), fa);
        NiftiWriter.write(mdPath, NiftiWriter.Spec.of(new long[] {NX, NY, NZ}, Affine.identity(), DataType.FLOAT32), md);
        Path atlas = atlas(labels);
        Map<String, Path> files = Map.of("fa_map", faPath, "md_map", mdPath);

        assertEquals(4, run(files, atlas, "none", "voxels"), "FA 0 and NaN are no data");
        assertEquals(mean(0.25, 0.5, 0.625, 0.75), run(files, atlas, "none", "mean"), 0);
        // FA > 0.5: 0.5 itself is out
        assertEquals(2, run(files, atlas, "0.5", "voxels"));
        assertEquals(mean(0.625, 0.75), run(files, atlas, "0.5", "mean"), 0);
        assertEquals(mean(0.625, 0.75), run(files, atlas, "0.5", "median"), 0);
        // and just below 0.5 it is in
        assertEquals(3, run(files, atlas, "0.4999999", "voxels"));
        assertEquals(mean(0.5, 0.625, 0.75), run(files, atlas, "0.4999999", "mean"), 0);
        // the MD statistics use the same voxels: those of FA 0.625 and 0.75 (voxels 4 and 5)
        var stage = ParamSet.of(DiffusionStage.Params.class).bind(Map.of("atlas", atlas.toString(), "space", "MNI152",
            "fa_threshold", "0.5", "write_maps", "false"));
        var p = ParamSet.of(TensorRoi.Params.class).bind(Map.of("roi", String.valueOf(ROI), "map", "md", "stat", "mean"));
        double mdMean = MeasureRun.run(Measures.get("tensor_roi"), stage, p, files, List.of(), null, "t", l -> { }).value();
        assertEquals(((double) md[4] + md[5]) / 2, mdMean, 1e-15);
        assertTrue(Double.isNaN(run(files, atlas, "0.75", "mean")), "nothing above 0.75: n/a");
    }
}
