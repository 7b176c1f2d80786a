package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * The sliding rank-window median against a plain one (sort each window, scipy's 'reflect' edges), value for value:
 * dims under the radius, one-voxel dims, more rows than a tile holds, ties, negatives, infinities.
 */
class MedianFilterTest {
    static final int[][] DIMS = {{1, 1, 1}, {1, 5, 3}, {3, 2, 7}, {2, 9, 1}, {9, 7, 5}, {13, 11, 6}, {4, 1, 10}, {5, 70, 3}, {2, 33, 2}};

    /** scipy 'reflect' (d c b a | a b c d | d c b a), folded as often as the window needs. */
    static int reflect(int p, int n) {
        while (p < 0 || p >= n) p = p < 0 ? -p - 1 : 2 * n - 1 - p;
        return p;
    }

    static double[] direct(double[] in, Grid g, int r) {
        int w = 2 * r + 1;
        double[] out = new double[in.length];
        double[] win = new double[w * w * w];
        for (int k = 0; k < g.nz; k++) {
            for (int j = 0; j < g.ny; j++) {
                for (int i = 0; i < g.nx; i++) {
                    int c = 0;
                    for (int dk = -r; dk <= r; dk++) {
                        for (int dj = -r; dj <= r; dj++) {
                            for (int di = -r; di <= r; di++) {
                                win[c++] = in[g.index(reflect(i + di, g.nx), reflect(j + dj, g.ny), reflect(k + dk, g.nz))];
                            }
                        }
                    }
                    Arrays.sort(win);
                    out[g.index(i, j, k)] = win[win.length / 2];
                }
            }
        }
        return out;
    }

    static Grid grid(int... d) {
        return new Grid(d, Affine.identity());
    }

    /** Kind 0: few integers (many ties) with negatives; 1: continuous; 2: both, plus infinities. */
    static double[] random(Random rnd, int n, int kind) {
        double[] v = new double[n];
        for (int p = 0; p < n; p++) {
            double x = kind == 1 ? rnd.nextGaussian() * 100 : rnd.nextInt(7) - 3;
            if (kind == 2 && rnd.nextBoolean()) x = rnd.nextDouble() * 10 - 5;
            if (kind == 2 && rnd.nextInt(40) == 0) x = rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            v[p] = x;
        }
        return v;
    }

    @Test
    void onePassIsTheSortedWindowsMiddle() {
        Random rnd = new Random(1);
        for (int[] d : DIMS) {
            Grid g = grid(d);
            for (int r = 0; r <= 4; r++) {
                for (int kind = 0; kind < 3; kind++) {
                    double[] v = random(rnd, g.size(), kind);
                    String where = Arrays.toString(d) + " r=" + r + " kind=" + kind;
                    double[] ref = direct(v, g, r);
                    assertArrayEquals(ref, BrainMask.median(v, g, r), where);
                    assertArrayEquals(ref, MedianFilter.medianSelect(v, g, r), where + " (quickselect)");
                }
            }
        }
    }

    @Test
    void passesRepeatTheFilter() {
        Random rnd = new Random(2);
        for (int[] d : DIMS) {
            Grid g = grid(d);
            for (int r = 1; r <= 4; r++) {
                double[] v = random(rnd, g.size(), r % 3);
                double[] ref = v;
                for (int pass = 1; pass <= 4; pass++) {
                    ref = direct(ref, g, r);
                    assertArrayEquals(ref, MedianFilter.median(v, g, r, pass), Arrays.toString(d) + " r=" + r + " passes=" + pass);
                }
            }
        }
    }

    @Test
    void largeVolumeWithDistinctValues() {
        // ~340k distinct values, three tiles of rows per slice, the ranks renumbered between the passes
        Random rnd = new Random(3);
        Grid g = grid(80, 70, 61);
        double[] v = random(rnd, g.size(), 1);
        for (int p = 0; p < v.length; p += 3) v[p] = Math.exp(rnd.nextGaussian() * 20);
        double[] one = direct(v, g, 1);
        assertArrayEquals(one, BrainMask.median(v, g, 1), "1 pass");
        assertArrayEquals(direct(one, g, 1), MedianFilter.median(v, g, 1, 2), "2 passes");
    }

    @Test
    void smoothVolumeAtDipysRadius() {
        Random rnd = new Random(4);
        Grid g = grid(24, 21, 17);
        double[] v = new double[g.size()];
        for (int k = 0; k < g.nz; k++) for (int j = 0; j < g.ny; j++) for (int i = 0; i < g.nx; i++) {
            double d = Math.hypot(Math.hypot(i - 12, j - 10), k - 8);
            v[g.index(i, j, k)] = (d < 7 ? 800 : 30) + Math.round(rnd.nextGaussian() * 40) / 4.0;
        }
        double[] ref = v;
        for (int pass = 0; pass < 4; pass++) ref = direct(ref, g, 4);
        assertArrayEquals(ref, MedianFilter.median(v, g, 4, 4));
    }

    @Test
    void valuesOneUlpApartKeepTheirOrder() {
        // the rank sort keeps a key's top bits beside the voxel index: these differ only in the dropped bits
        Random rnd = new Random(6);
        Grid g = grid(7, 6, 5);
        double[] v = new double[g.size()];
        for (int p = 0; p < v.length; p++) {
            double x = rnd.nextBoolean() ? 1.0 : -1.0;
            for (int u = rnd.nextInt(90); u > 0; u--) x = Math.nextUp(x);
            v[p] = x;
        }
        for (int r = 1; r <= 3; r++) assertArrayEquals(direct(v, g, r), BrainMask.median(v, g, r), "r=" + r);
    }

    @Test
    void negativeZeroCountsAsZero() {
        Grid g = grid(3, 3, 3);
        double[] v = new double[27];
        Arrays.fill(v, -0.0);
        v[0] = 1;
        double[] f = BrainMask.median(v, g, 1);
        for (double x : f) assertEquals(0.0, x, 0);
    }

    @Test
    void nanTakesTheQuickselectPath() {
        Random rnd = new Random(5);
        Grid g = grid(9, 7, 5);
        double[] v = random(rnd, g.size(), 2);
        v[40] = Double.NaN;
        v[100] = Double.NaN;
        double[] ref = v;
        for (int pass = 0; pass < 2; pass++) ref = MedianFilter.medianSelect(ref, g, 2);
        assertArrayEquals(ref, MedianFilter.median(v, g, 2, 2));
    }

    @Test
    void zeroPassesIsACopy() {
        double[] v = {3, -1, 2};
        double[] f = MedianFilter.median(v, grid(3, 1, 1), 4, 0);
        assertArrayEquals(v, f);
        assertNotSame(v, f);
    }
}
