package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.measure.Measures;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.pipeline.MeasureRun;

/**
 * The diffusion stage on a DWI without a mask: what it records as read (b-values, b-vectors, atlas image and
 * table), the files it derives (the computed brain mask and six tensor maps, named with the space), and what it
 * logs (gradient warnings, the mask, NaN signals) (issue 15).
 */
class DiffusionStageFilesTest {
    static final int NX = 8, NY = 8, NZ = 4, NV = NX * NY * NZ;
    static final double[] B = {0, 1000, 1000, 1000, 1000, 1000, 1000};
    // the last direction is not of unit length (2x): normalised with a warning
    static final double[][] G = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
        {0.70710678, 0.70710678, 0}, {0.70710678, 0, 0.70710678}, {0, 1.41421356, 1.41421356}};

    @TempDir
    Path tmp;

    MeasureRun.Result run(boolean nanSignal, List<String> log) throws IOException {
        int n = B.length;
        float[] dwi = new float[NV * n];
        float[] labels = new float[NV];
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    int v = x + NX * (y + NY * z);
                    boolean bright = x >= 2 && x < 6 && y >= 2 && y < 6;
                    labels[v] = bright ? 7 : 0;
                    for (int t = 0; t < n; t++) dwi[t * NV + v] = (float) ((bright ? 1000 : 20) * Math.exp(-B[t] * 0.8e-3));
                    if (nanSignal) dwi[NV + v] = Float.NaN;   // volume 1 (not a b0) NaN everywhere
                }
            }
        }
        Path dir = Files.createDirectories(tmp.resolve(nanSignal ? "nan" : "ok"));
        Path dwiPath = dir.resolve("sub-01_dwi.nii.gz");
        NiftiWriter.write(dwiPath, NiftiWriter.Spec.of(new long[] {NX, NY, NZ, n}, Affine.identity(), DataType.FLOAT32), dwi);
        StringBuilder bval = new StringBuilder(), bvec = new StringBuilder();
        for (double b : B) bval.append(b).append(' ');
        for (int c = 0; c < 3; c++) {
            for (double[] g : G) bvec.append(g[c]).append(' ');
            bvec.append('\n');
        }
        Files.writeString(dir.resolve("sub-01_dwi.bval"), bval + "\n");
        Files.writeString(dir.resolve("sub-01_dwi.bvec"), bvec.toString());
        Path atlas = dir.resolve("labels.nii.gz");
        NiftiWriter.write(atlas, NiftiWriter.Spec.of(new long[] {NX, NY, NZ}, Affine.identity(), DataType.INT16), labels);
        Files.writeString(dir.resolve("labels.nii.txt"), "7\tThe_ROI\n");
        Map<String, String> sp = new HashMap<>(Map.of("atlas", atlas.toString(), "space", "MNI152", "method", "wls"));
        sp.put("fa_threshold", "none");
        sp.put("write_maps", "true");
        var stage = ParamSet.of(DiffusionStage.Params.class).bind(sp);
        var p = ParamSet.of(TensorRoi.Params.class).bind(Map.of("roi", "The_ROI", "map", "md", "stat", "mean"));
        Path out = Files.createDirectories(dir.resolve("out"));
        return MeasureRun.run(Measures.get("tensor_roi"), stage, p, Map.of("dwi", dwiPath), List.of(), out, "sub-01", log::add);
    }

    static Set<String> names(List<Path> files) {
        Set<String> s = new TreeSet<>();
        for (Path f : files) {
            assertTrue(Files.isRegularFile(f), f.toString());
            s.add(f.getFileName().toString());
        }
        return s;
    }

    @Test
    void recordsDerivesAndLogs() throws IOException {
        List<String> log = new ArrayList<>();
        MeasureRun.Result r = run(false, log);
        assertEquals(0.8e-3, r.value(), 1e-7);
        Path dir = tmp.resolve("ok");
        Set<String> read = new TreeSet<>(r.inputs().keySet());
        for (String f : new String[] {"sub-01_dwi.bval", "sub-01_dwi.bvec", "labels.nii.gz", "labels.nii.txt"}) {
            assertTrue(read.contains(dir.resolve(f).toString()), f + " in " + read);
        }
        Set<String> derived = names(r.derived());
        assertTrue(derived.contains("sub-01_space-MNI152_desc-brain_mask.nii.gz"), derived.toString());
        for (String m : new String[] {"fa", "md", "ad", "rd", "v1", "s0"}) {
            assertTrue(derived.contains("sub-01_space-MNI152_model-tensor_param-" + m + "_dwimap.nii.gz"), m + " " + derived);
        }
        assertEquals(7, derived.size(), derived.toString());
        String all = String.join("\n", log);
        assertTrue(all.contains("warning: ") && all.contains("not of unit length"), all);
        assertTrue(all.contains("mask: median_otsu of the mean b0 -> sub-01_space-MNI152_desc-brain_mask.nii.gz"), all);
        assertFalse(all.contains("NaN/Inf signals"), all);
    }

    @Test
    void nanSignalsAreLogged() throws IOException {
        List<String> log = new ArrayList<>();
        run(true, log);
        String all = String.join("\n", log);
        assertTrue(all.matches("(?s).*warning: [1-9][0-9]* voxel\\(s\\) with NaN/Inf signals have NaN maps.*"), all);
    }
}
