package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Issue 15: the combination of several runs ({@link Concatenation}) on tiny synthetic runs whose numbers are known by
 * construction: per-run z-scoring (divisor n), the used-volume-weighted means, the rows of the first run's voxels in
 * each run's mask, the volumes used/censored and the FD mean over all runs, and the n/a reasons (too little time in
 * all runs together, else the first run with no volume left or a saturated design).
 */
class ConcatenationTest {
    static final Affine AFFINE = new Affine(new double[][] {{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}});

    @TempDir
    Path tmp;

    /** A 2x2x2 run of {@code t} volumes (TR {@code tr}) masked by {@code maskVoxels}, voxel v at volume k = 100 + v + k^2. */
    BoldRun run(String name, int t, double tr, int[] maskVoxels, long nx) {
        int nv = (int) (nx * 4);
        float[] d = new float[nv * t];
        for (int k = 0; k < t; k++) for (int v = 0; v < nv; v++) d[k * nv + v] = 100 + v + k * k;
        Path bold = tmp.resolve(name + "_bold.nii");
        NiftiWriter.write(bold, NiftiWriter.Spec.of(new long[] {nx, 2, 2, t}, AFFINE, DataType.FLOAT32).tr(tr), d);
        float[] m = new float[nv];
        for (int v : maskVoxels) m[v] = 1;
        Path mask = tmp.resolve(name + "_mask.nii");
        NiftiWriter.write(mask, NiftiWriter.Spec.of(new long[] {nx, 2, 2}, AFFINE, DataType.UINT8), m);
        return BoldRun.load(bold, mask, Double.NaN);
    }

    static Confounds fd(double... fd) {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("framewise_displacement", fd);
        return new Confounds("fd.tsv", cols, fd.length);
    }

    static RestingData.Run labelled(BoldRun b, Confounds c, String label) {
        return new RestingData.Run(b, c, Roi::parse, label);
    }

    static Settings settings(double fd, double minSeconds) {
        return new Settings(Strategy.parse("none"), fd, minSeconds, null);
    }

    @Test
    void zscoredIsEachSeriesStandardisedWithDivisorNThenConcatenated() {
        // means 5, 20, 2 and population SDs 2, 10, 1
        double[] a = {2, 4, 4, 4, 5, 5, 7, 9};
        double[] b = {10, 30};
        double[] c = {1, 1, 3, 3};
        double[] want = {-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2, -1, 1, -1, -1, 1, 1};
        assertArrayEquals(want, Concatenation.zscored(List.of(a, b, c)), 1e-12);
        assertArrayEquals(new double[0], Concatenation.zscored(List.of()));
    }

    @Test
    void weightedMeanOfValues() {
        // (100 * 0.2 + 300 * 0.5) / 400
        assertEquals(0.425, Concatenation.weighted(new double[] {0.2, 0.5}, new double[] {100, 300}), 1e-15);
        assertEquals(7.0, Concatenation.weighted(new double[] {7}, new double[] {3}), 0);
    }

    @Test
    void weightedMeanPerVoxelIsNaNWhereARunLacksTheVoxel() {
        int[][] rows = {{0, 1, 2, 3}, {1, -1, 0, 2}};
        List<double[]> perRun = List.of(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30});
        double[] w = {1, 3};
        double[] got = Concatenation.weighted(rows, perRun, w);
        // voxel 0: (1*1 + 3*20)/4; voxel 1: run 2 lacks it; voxel 2: (1*3 + 3*10)/4 (row 0 of run 2); voxel 3: (4 + 90)/4
        assertEquals(4, got.length);
        assertEquals(61 / 4.0, got[0], 1e-12);
        assertTrue(Double.isNaN(got[1]));
        assertEquals(33 / 4.0, got[2], 1e-12);
        assertEquals(94 / 4.0, got[3], 1e-12);
        // a run lacking the voxel first, then one having it: still NaN
        double[] rev = Concatenation.weighted(new int[][] {{-1, 0}, {0, 1}}, List.of(new double[] {5}, new double[] {1, 2}),
            new double[] {1, 1});
        assertTrue(Double.isNaN(rev[0]));
        assertEquals(3.5, rev[1], 1e-12);
    }

    @Test
    void rowsOfFirstMapsTheFirstRunsVoxelsIntoEachRunsMask() {
        BoldRun a = run("a", 4, 2, new int[] {1, 3, 5, 7}, 2);
        BoldRun b = run("b", 4, 2, new int[] {0, 1, 5, 6, 7}, 2);
        int[][] rows = Concatenation.rowsOfFirst(List.of(labelled(a, null, "run-1"), labelled(b, null, "run-2")));
        assertNotNull(rows);
        assertEquals(2, rows.length);
        assertArrayEquals(new int[] {0, 1, 2, 3}, rows[0]);
        assertArrayEquals(new int[] {1, -1, 2, 4}, rows[1]);
        // a run on another grid: no voxel-wise concatenation
        BoldRun c = run("c", 4, 2, new int[] {1, 3}, 3);
        assertNull(Concatenation.rowsOfFirst(List.of(labelled(a, null, "run-1"), labelled(c, null, "run-2"))));
        assertNull(Concatenation.rowsOfFirst(List.of(labelled(a, null, "run-1"), labelled(b, null, "run-2"),
            labelled(c, null, "run-3"))));
    }

    @Test
    void countsAndFdMeanOverAllRuns() {
        BoldRun a = run("a", 6, 2, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2);
        BoldRun b = run("b", 4, 3, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2);
        // run 1: volume 2 censored (5 used); run 2: volumes 1 and 2 censored (2 used)
        Confounds ca = fd(0, 0.1, 0.9, 0.2, 0.1, 0.3);
        Confounds cb = fd(0, 0.6, 0.7, 0.1);
        List<RestingData.Run> runs = List.of(labelled(a, ca, "run-1"), labelled(b, cb, "run-2"));
        Settings s = settings(0.5, 0);
        Concatenation c = Concatenation.of(runs, s);
        assertSame(s, c.settings());
        assertEquals(runs, c.runs());
        assertEquals(7, c.used());
        assertEquals(3, c.censored());
        assertArrayEquals(new double[] {5, 2}, c.usedPerRun());
        // (0.1 + 0.9 + 0.2 + 0.1 + 0.3 + 0.6 + 0.7 + 0.1) / 10 volumes
        assertEquals(0.3, c.fdMean(), 1e-12);
        assertEquals(5, c.censoring(0).used());
        assertEquals(2, c.censoring(1).used());
        assertEquals(6, c.cleaning(0).censoring().volumes());
        assertEquals(4, c.cleaning(1).censoring().volumes());
        // run 2 keeps 2 volumes for constant + trend: 0 degrees of freedom
        assertEquals("run-2: the design (2 independent regressors) leaves 0 degrees of freedom in 2 volumes", c.naReason());
        // per run no min_seconds rule of its own: the settings each run is cleaned with
        Settings each = Concatenation.perRun(new Settings(Strategy.parse("6P"), 0.3, 100, Band.parse("0.01,0.1")));
        assertEquals(0.3, each.fdThreshold());
        assertEquals(0, each.minSeconds());
        assertEquals("6P", each.strategy().name());
        assertEquals(0.01, each.band().low());
    }

    @Test
    void aRunWithNoVolumeLeftHasNoCleaningAndNamesTheRun() {
        BoldRun a = run("a", 6, 2, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2);
        BoldRun b = run("b", 4, 3, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2);
        List<RestingData.Run> runs = List.of(labelled(a, fd(0, 0, 0, 0, 0, 0), "run-1"), labelled(b, fd(0.9, 0.9, 0.9, 0.9), "run-2"));
        Concatenation c = Concatenation.of(runs, settings(0.5, 0), null);
        assertNotNull(c.cleaning(0));
        assertNull(c.cleaning(1));
        assertEquals(0, c.censoring(1).used());
        assertEquals("run-2: no volume left after censoring FD > 0.5 mm", c.naReason());
        assertEquals(6, c.used());
        assertEquals(4, c.censored());
        assertEquals(0.36, c.fdMean(), 1e-12);
        // both runs usable: no reason
        Concatenation ok = Concatenation.of(List.of(labelled(a, fd(0, 0, 0, 0, 0, 0), "run-1"),
            labelled(a, fd(0, 0, 0, 0, 0, 0), "run-2")), settings(0.5, 0));
        assertNull(ok.naReason());
        assertNotNull(ok.cleaning(1));
    }

    @Test
    void naReasonWeighsTheTimeLeftInAllRunsTogether() {
        BoldRun a = run("a", 6, 2, new int[] {0, 1}, 2);
        BoldRun b = run("b", 4, 3, new int[] {0, 1}, 2);
        List<RestingData.Run> runs = List.of(labelled(a, null, "run-1"), labelled(b, null, "run-2"));
        List<Censoring> cens = List.of(Censoring.byFd(new double[] {0, 0.1, 0.9, 0.2, 0.1, 0.3}, 6, 0.5),
            Censoring.byFd(new double[] {0, 0.6, 0.7, 0.1}, 4, 0.5));
        // 5 volumes x 2 s + 2 volumes x 3 s = 16 s
        List<String> none = Arrays.asList(null, null);
        assertEquals("only 16.0 s (7 volumes) left in 2 runs after censoring FD > 0.5 mm; need 16.5 s",
            Concatenation.naReason(runs, cens, none, settings(0.5, 16.5)));
        assertNull(Concatenation.naReason(runs, cens, none, settings(0.5, 16)));
        // enough time: the first run with a reason of its own
        assertEquals("run-1: r1", Concatenation.naReason(runs, cens, Arrays.asList("r1", "r2"), settings(0.5, 16)));
        assertEquals("run-2: r2", Concatenation.naReason(runs, cens, Arrays.asList(null, "r2"), settings(0.5, 0)));
        // too little time wins over a run's own reason
        assertTrue(Concatenation.naReason(runs, cens, Arrays.asList("r1", null), settings(0.5, 17)).startsWith("only 16.0 s"));
    }
}
