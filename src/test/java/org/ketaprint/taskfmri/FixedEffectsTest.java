package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.restingstate.BoldRun;

/**
 * Several runs combine as nilearn's fixed effects: mean effect, variance sum / runs^2, dof summed, t from those; and a
 * contrast scales as its weights do (effect x w, variance x w^2).
 */
class FixedEffectsTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    private TaskRun run(long seed, int voxels, int n) throws Exception {
        List<String> lines = new ArrayList<>(List.of("onset\tduration\ttrial_type"));
        for (int b = 0; b < n * 2 / 40; b++) lines.add((b * 40) + "\t20\t" + (b % 2 == 0 ? "a" : "b"));
        Events ev = Events.parse("ev.tsv", lines);
        Design d = Design.build(Design.frameTimes(n, 2, 0), ev, Hrf.parse("spm"), 0.01, List.of(), null, null, 0);
        Random r = new Random(seed);
        float[] data = new float[voxels * n];
        for (int v = 0; v < voxels; v++) {
            for (int t = 0; t < n; t++) data[v * n + t] = (float) (1000 + 8 * r.nextGaussian() + (5 + v) * d.x()[t][0]);
        }
        java.nio.file.Path like = tmp.resolve("like" + seed + ".nii");
        NiftiWriter.write(like, NiftiWriter.Spec.of(new long[] {voxels, 1, 1, n}, Affine.identity(), DataType.FLOAT32), new float[voxels * n]);
        int[] idx = new int[voxels];
        for (int v = 0; v < voxels; v++) idx[v] = v;
        BoldRun b = BoldRun.of(NiftiImage.load(like), idx, data, 2.0);
        TaskStage.Params p = new TaskStage.Params(List.of("none"), 0, "spm", "ols", 0.01, 0.0, null, false, null);
        return TaskRun.fit(b, ev, null, p, null);
    }

    @Test
    void twoRunsAreFixedEffects() throws Exception {
        TaskRun r1 = run(1, 6, 120), r2 = run(2, 6, 120);
        TaskData both = new TaskData(List.of(r1, r2), Map.of(), null);
        Contrast c = Contrast.parse("a - b");
        Glm.Maps m1 = r1.maps(c), m2 = r2.maps(c);
        TaskData.ContrastMaps m = both.contrast(c);
        assertEquals(r1.glm().dof() + r2.glm().dof(), m.dof());
        for (int v = 0; v < 6; v++) {
            double e = (m1.effect()[v] + m2.effect()[v]) / 2;
            double var = (m1.variance()[v] + m2.variance()[v]) / 4;
            assertEquals(e, m.effect()[v], 1e-12 * Math.abs(e));
            assertEquals(var, m.variance()[v], 1e-12 * var);
            assertEquals(e / Math.sqrt(var), m.t()[v], 1e-9 * Math.abs(e / Math.sqrt(var)));
            assertEquals(TDist.z(e / Math.sqrt(var), m.dof()), m.z()[v], 1e-9);
            assertEquals(TDist.sf(e / Math.sqrt(var), m.dof()), m.p()[v], 1e-12);
        }
        // one run alone: the run's own maps
        TaskData.ContrastMaps one = new TaskData(List.of(r1), Map.of(), null).contrast(c);
        for (int v = 0; v < 6; v++) {
            assertEquals(m1.effect()[v], one.effect()[v], 0.0);
            assertEquals(m1.variance()[v], one.variance()[v], 0.0);
        }
    }

    @Test
    void contrastsScaleWithTheirWeights() throws Exception {
        TaskRun r = run(3, 4, 100);
        Glm.Maps a = r.maps(Contrast.parse("a"));
        Glm.Maps half = r.maps(Contrast.parse("0.5*a"));
        Glm.Maps mixed = r.maps(Contrast.parse("2*a - 0.5*b"));
        Glm.Maps b = r.maps(Contrast.parse("b"));
        for (int v = 0; v < 4; v++) {
            assertEquals(0.5 * a.effect()[v], half.effect()[v], 1e-12);
            assertEquals(0.25 * a.variance()[v], half.variance()[v], 1e-12 * a.variance()[v]);
            assertEquals(2 * a.effect()[v] - 0.5 * b.effect()[v], mixed.effect()[v], 1e-10);
        }
    }
}
