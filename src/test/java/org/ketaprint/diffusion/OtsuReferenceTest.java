package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * Otsu's threshold and median_otsu's boundary rule (issue 15). DIPY 1.6's median_otsu (dipy/segment/mask.py) does
 * {@code thresh = otsu(mask); mask = mask > thresh}: a voxel equal to the threshold is not brain. Its otsu
 * (dipy/segment/threshold.py) returns {@code bin_centers[:-1][argmax]}, the left edge of a bin of np.histogram's
 * edges, so the threshold is often the value of real voxels (the minimum, or a value on a bin edge).
 * Reference values: DIPY run live by scripts/make_otsu_reference.py into test-data/diffusion/otsu_reference.tsv; the
 * inputs are rebuilt here bit for bit from the same integer generator.
 */
class OtsuReferenceTest {
    static final Path REF = Path.of("test-data/diffusion/otsu_reference.tsv");

    /** The script's LCG: state * 6364136223846793005 + 1442695040888963407 mod 2^64, top 53 bits / 2^53. */
    static double[] lcg(long seed, int n) {
        long s = seed;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            out[i] = (s >>> 11) / 9007199254740992.0;
        }
        return out;
    }

    /** The script's bimodal(): 30 % dark (20 + 10 u), 70 % bright (300 + 80 u). */
    static double[] bimodal(long seed, int n) {
        double[] u = lcg(seed, 2 * n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = u[2 * i] < 0.3 ? 20 + 10 * u[2 * i + 1] : 300 + 80 * u[2 * i + 1];
        return v;
    }

    static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] out = new double[n];
        int o = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static double[] fill(int n, double x) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, x);
        return v;
    }

    /** case -> {threshold, above, equal, mask}. */
    static Map<String, String[]> reference() throws IOException {
        Map<String, String[]> m = new HashMap<>();
        for (String line : Files.readAllLines(REF)) {
            if (line.startsWith("#") || line.startsWith("case\t")) continue;
            String[] f = line.split("\t", -1);
            m.put(f[0], new String[] {f[1], f[2], f[3], f[4]});
        }
        return m;
    }

    /** The mask median_otsu gives with no filtering (passes 0): Otsu's threshold applied to the values themselves. */
    static boolean[] thresholded(double[] v) {
        return BrainMask.medianOtsu(v, new Grid(new int[] {v.length, 1, 1}, Affine.identity()), 1, 0);
    }

    /** The 1D cases against DIPY: the threshold exactly, and the voxels kept ({@code > thresh}) and equal to it. */
    void checkAgainstDipy(String name, double[] v) throws IOException {
        String[] ref = reference().get(name);
        double t = Double.parseDouble(ref[0]);
        assertEquals(t, BrainMask.otsu(v, 256), 0, name + ": DIPY's otsu()");
        boolean[] m = thresholded(v);
        int above = 0, equal = 0;
        for (int p = 0; p < v.length; p++) {
            if (m[p]) above++;
            if (v[p] == t) {
                equal++;
                assertFalse(m[p], name + ": voxel " + p + " equal to the threshold is not brain");
            }
        }
        assertEquals(Integer.parseInt(ref[1]), above, name + ": voxels above the threshold");
        assertEquals(Integer.parseInt(ref[2]), equal, name + ": voxels equal to the threshold");
    }

    @Test
    void twoLevelsThresholdAtTheLowerLevelWhichIsOut() throws IOException {
        // by hand: with 50 voxels at 0 and 50 at 10, bin 0 holds the zeros and bin 255 the tens; every split between
        // them has the same weights and class means (right edges 10/256 and 10), so the first split wins and the
        // threshold is the left edge of bin 0, the value 0 of the dark voxels. `> 0` keeps exactly the 50 bright ones.
        double[] v = concat(fill(50, 0), fill(50, 10));
        assertEquals(0.0, BrainMask.otsu(v, 256), 0);
        boolean[] m = thresholded(v);
        for (int p = 0; p < v.length; p++) assertEquals(v[p] == 10, m[p], "voxel " + p);
        checkAgainstDipy("two_levels", v);
    }

    @Test
    void thresholdOnABinEdgeHoldingAVoxel() throws IOException {
        // by hand: 0 (x50), 100, 255 (x50), 256 span [0, 256], bins of width 1, right edges as class values.
        // 100 with the dark class: 51 * 51 * ((50 * 1 + 101) / 51 - 256)^2 = 1.6654e8; with the bright class:
        // 50 * 52 * (1 - (101 + 51 * 256) / 52)^2 = 1.6514e8. So the best splits are after bins 100..254 (all equal),
        // the first is taken, and the threshold is 100, the left edge of bin 100: the value of the voxel at 100,
        // which `>` leaves out (51 brain voxels: the 255s and the 256).
        double[] v = concat(fill(50, 0), new double[] {100}, fill(50, 255), new double[] {256});
        assertEquals(100.0, BrainMask.otsu(v, 256), 0);
        boolean[] m = thresholded(v);
        for (int p = 0; p < v.length; p++) assertEquals(v[p] > 100, m[p], "voxel " + p + " = " + v[p]);
        checkAgainstDipy("tie_at_edge", v);
    }

    @Test
    void voxelOnABinEdgeIsBinnedAsNumpyDoesAndIsOut() throws IOException {
        // 3 * (0.7 / 256) is np.linspace(0, 0.7, 257)[3], the left edge of bin 3; (x - lo) * 256 / 0.7 rounds to
        // 2.9999..., and np.histogram's correction puts it in bin 3. With the dark class, the threshold is that edge:
        // the voxel's own value, so it is out (50 brain voxels). Binned in bin 2 it would be above e[2] and in.
        double probe = 3 * (0.7 / 256);
        assertEquals(2, (int) (probe * (256 / 0.7)), "the product rounds below the bin");
        double[] v = concat(fill(50, 0), new double[] {probe}, fill(50, 0.7));
        assertEquals(probe, BrainMask.otsu(v, 256), 0);
        assertFalse(thresholded(v)[50]);
        checkAgainstDipy("edge_probe_up", v);
    }

    @Test
    void voxelJustBelowABinEdgeIsBinnedAsNumpyDoesAndIsIn() throws IOException {
        // the double just below np.linspace(0, 0.3, 257)[19]: the product rounds up to 19, np.histogram's correction
        // puts it in bin 18. The threshold is then the left edge of bin 18 (19 * 0.3 / 256 - a bit is above it), so
        // this dark-class voxel is in the mask, as in DIPY (51 brain voxels). Binned in bin 19 it would be out.
        double probe = Math.nextDown(19 * (0.3 / 256));
        assertEquals(19, (int) (probe * (256 / 0.3)), "the product rounds up to the next bin");
        double[] v = concat(fill(50, 0), new double[] {probe}, fill(50, 0.3));
        assertEquals(18 * (0.3 / 256), BrainMask.otsu(v, 256), 0);
        assertTrue(thresholded(v)[50]);
        checkAgainstDipy("edge_probe_down", v);
    }

    @Test
    void bimodalThresholdIsDipys() throws IOException {
        checkAgainstDipy("lcg_bimodal", bimodal(15, 4096));
    }

    /** The 3D cases through median filtering: the mask voxel by voxel, as DIPY's median_otsu gives it. */
    void checkMedianOtsu(String name, double[] v, Grid g, int radius, int passes) throws IOException {
        String[] ref = reference().get(name);
        boolean[] m = BrainMask.medianOtsu(v, g, radius, passes);
        StringBuilder s = new StringBuilder();
        for (boolean b : m) s.append(b ? '1' : '0');
        assertEquals(ref[3], s.toString(), name + ": the mask, x fastest");
        double[] f = v;
        for (int i = 0; i < passes; i++) f = BrainMask.median(f, g, radius);
        assertEquals(Double.parseDouble(ref[0]), BrainMask.otsu(f, 256), 0, name + ": the threshold");
    }

    @Test
    void halvesThroughMedianOtsuKeepTheBrightHalfOnly() throws IOException {
        // 0 for x < 4, 10 for x >= 4: the 3^3 median keeps the step, the threshold is 0 (as above), so the mask is
        // exactly the bright half; were voxels equal to the threshold brain, it would be the whole volume
        Grid g = new Grid(new int[] {8, 8, 8}, Affine.identity());
        double[] v = new double[g.size()];
        for (int k = 0; k < 8; k++) for (int j = 0; j < 8; j++) for (int i = 4; i < 8; i++) v[g.index(i, j, k)] = 10;
        checkMedianOtsu("halves_median_r1_p2", v, g, 1, 2);
    }

    @Test
    void bimodalVolumeThroughMedianOtsuIsDipysMask() throws IOException {
        Grid g = new Grid(new int[] {12, 10, 8}, Affine.identity());
        checkMedianOtsu("lcg_bimodal_median_r1_p1", bimodal(7, g.size()), g, 1, 1);
    }
}
