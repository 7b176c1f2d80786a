package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.MeasureRun;

/**
 * A supplied brain mask (input {@code mask}) that differs from median_otsu's: the ROI statistics must be
 * over the supplied mask's voxels, computed here plainly from the fitted maps restricted to that mask.
 */
class SuppliedMaskTest {
    static final Path ATLAS = Path.of("test-data/diffusion/jhu_crop_labels.nii.gz");
    static final int LABEL = 4; // Body of corpus callosum
    static final double[] B = {0, 1000, 1000, 1000, 1000, 1000, 1000};
    static final double[][] G = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
        {0.70710678, 0.70710678, 0}, {0.70710678, 0, 0.70710678}, {0, 0.70710678, 0.70710678}};

    @Test
    void roiFollowsTheSuppliedMask(@TempDir Path tmp) throws Exception {
        NiftiImage atlas = (NiftiImage) Images.open(ATLAS);
        Grid grid = atlas.grid();
        int nx = grid.nx, ny = grid.ny, nz = grid.nz, nvox = nx * ny * nz, n = B.length;
        float[] labels = atlas.readVolume(0);
        // bright sphere (median_otsu's brain) on a dim background; FA rises along x
        float[] dwi = new float[nvox * n];
        float[] supplied = new float[nvox];
        for (int k = 0; k < nz; k++) for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
            int v = grid.index(i, j, k);
            double r2 = sq(i - nx / 2.0) + sq(j - ny / 2.0) + sq(k - nz / 2.0);
            double s0 = r2 < sq(16) ? 1000 : 40;
            double l1 = 0.7e-3 + 1.2e-3 * i / nx, l2 = 0.5e-3, l3 = 0.4e-3;
            double[] d = {l1, l2, l3}; // diagonal tensor, axes x, y, z
            for (int t = 0; t < n; t++) {
                double q = 0;
                for (int c = 0; c < 3; c++) q += G[t][c] * G[t][c] * d[c];
                dwi[t * nvox + v] = (float) (s0 * Math.exp(-B[t] * q));
            }
            supplied[v] = i < nx / 2 - 2 ? 1 : 0; // a half-space: unlike median_otsu's sphere
        }
        Path dwiPath = tmp.resolve("dwi.nii.gz");
        NiftiWriter.write(dwiPath, NiftiWriter.Spec.like(atlas, new long[] {nx, ny, nz, n}, DataType.FLOAT32), dwi);
        Path maskPath = tmp.resolve("mask.nii.gz");
        NiftiWriter.write(maskPath, NiftiWriter.Spec.like(atlas, new long[] {nx, ny, nz}, DataType.UINT8), supplied);
        StringBuilder bval = new StringBuilder(), bvec = new StringBuilder();
        for (double b : B) bval.append(b).append(' ');
        for (int c = 0; c < 3; c++) {
            for (double[] g : G) bvec.append(g[c]).append(' ');
            bvec.append('\n');
        }
        Files.writeString(tmp.resolve("dwi.bval"), bval + "\n");
        Files.writeString(tmp.resolve("dwi.bvec"), bvec.toString());

        // the plain computation: the fit on the supplied mask, mean FA over ROI voxels inside it
        Image img = Images.open(dwiPath);
        Gradients g = Gradients.read(tmp.resolve("dwi.bval"), tmp.resolve("dwi.bvec"), img);
        boolean[] mask = BrainMask.read(Images.open(maskPath), img);
        boolean[] otsu = BrainMask.medianOtsu(img, g);
        DtiMaps maps = TensorFit.fit(img, g, mask, TensorFit.Method.WLS);
        DtiMaps otsuMaps = TensorFit.fit(img, g, otsu, TensorFit.Method.WLS);
        double sum = 0, otsuSum = 0;
        int count = 0, otsuCount = 0;
        for (int v = 0; v < nvox; v++) {
            if ((int) labels[v] != LABEL) continue;
            if (mask[v]) {
                sum += maps.fa[v];
                count++;
            }
            if (otsu[v]) {
                otsuSum += otsuMaps.fa[v];
                otsuCount++;
            }
        }
        assertTrue(count > 50, "ROI voxels in the supplied mask: " + count);
        double want = sum / count, otsuMean = otsuSum / otsuCount;
        // the case must tell the masks apart
        assertTrue(otsuCount > count + 50, "median_otsu " + otsuCount + " vs supplied " + count);
        assertTrue(Math.abs(otsuMean - want) > 0.01, "median_otsu mean FA " + otsuMean + " vs supplied " + want);

        Map<String, Path> files = Map.of("dwi", dwiPath.toAbsolutePath(), "mask", maskPath.toAbsolutePath());
        assertEquals(want, run(files, "mean"), 1e-6 * want);
        assertEquals(count, run(files, "voxels"), 0);
        // and without the mask input, median_otsu's
        assertEquals(otsuMean, run(Map.of("dwi", dwiPath.toAbsolutePath()), "mean"), 1e-6 * otsuMean);
    }

    static double run(Map<String, Path> files, String stat) {
        var m = Measures.get("tensor_roi");
        var stage = ParamSet.of(DiffusionStage.Params.class)
            .bind(Map.of("atlas", ATLAS.toAbsolutePath().toString(), "space", "MNI152", "method", "wls"));
        var p = ParamSet.of(TensorRoi.Params.class).bind(Map.of("roi", String.valueOf(LABEL), "map", "fa", "stat", stat));
        return MeasureRun.run(m, stage, p, files, List.of(), null, "t", l -> { }).value();
    }

    static double sq(double x) {
        return x * x;
    }
}
