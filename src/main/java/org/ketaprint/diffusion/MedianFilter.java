package org.ketaprint.diffusion;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.ketaprint.nifti.Grid;

/**
 * scipy.ndimage.median_filter(size=2r+1, mode='reflect') on a 3D volume, exactly. The values are replaced by their
 * ranks once ({@link Ranks}: equal values share one, -0.0 is 0.0), every pass works on ranks, and the ranks map back
 * to the values at the end. A pass slides the (2r+1)^3 window along x over tiles of rows ({@link MedianPass}), one
 * rank histogram per task ({@link RankWindow}). A volume with NaN (no rank), or r > 19, takes the per-voxel
 * quickselect, {@link #medianSelect}, the implementation before this one.
 */
public final class MedianFilter {
    /** Rows per tile: the tile's input box (9 slices of 40 rows at r = 4) stays small enough for the cache. */
    private static final int TILE_ROWS = 32;

    private MedianFilter() {
    }

    /** {@code passes} passes of the filter; a new array (a copy of {@code in} for 0 passes). */
    public static double[] median(double[] in, Grid g, int r, int passes) {
        if (r > 19) return select(in, g, r, passes);
        for (double x : in) if (Double.isNaN(x)) return select(in, g, r, passes);
        if (passes == 0 || in.length == 0) return in.clone();
        int[] rank = new int[in.length];
        double[] v = Ranks.of(in, rank);
        for (int i = 0; i < passes; i++) {
            rank = pass(rank, v.length, g, r);
            v = compact(rank, v);
        }
        double[] out = new double[in.length];
        for (int p = 0; p < out.length; p++) out[p] = v[rank[p]];
        return out;
    }

    /** One pass on ranks in [0, nranks), tiles spread over the cores. */
    static int[] pass(int[] rank, int nranks, Grid g, int r) {
        int[] out = new int[rank.length];
        int tilesY = (g.ny + TILE_ROWS - 1) / TILE_ROWS;
        int rows = (g.ny + tilesY - 1) / tilesY;
        int tiles = g.nz * tilesY;
        int tasks = Math.min(tiles, 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, tasks).parallel().forEach(t -> {
            MedianPass p = new MedianPass(rank, nranks, out, g, r, rows);
            for (int c = t * tiles / tasks; c < (t + 1) * tiles / tasks; c++) {
                int ty = c % tilesY;
                p.tile(c / tilesY, ty * g.ny / tilesY, (ty + 1) * g.ny / tilesY);
            }
        });
        return out;
    }

    /** Renumbers {@code rank} to the ranks in use (in place) and returns their values. */
    private static double[] compact(int[] rank, double[] values) {
        boolean[] used = new boolean[values.length];
        for (int x : rank) used[x] = true;
        int[] to = new int[values.length];
        int u = 0;
        for (int i = 0; i < values.length; i++) {
            to[i] = u;
            if (used[i]) values[u++] = values[i];
        }
        IntStream.range(0, rank.length).parallel().forEach(p -> rank[p] = to[rank[p]]);
        return Arrays.copyOf(values, u);
    }

    private static double[] select(double[] in, Grid g, int r, int passes) {
        double[] f = in.clone();
        for (int i = 0; i < passes; i++) f = medianSelect(f, g, r);
        return f;
    }

    /** One pass by a quickselect of each voxel's window: the NaN path, and the reference the benchmark times. */
    public static double[] medianSelect(double[] in, Grid g, int r) {
        int w = 2 * r + 1;
        int[][] ix = {fold(g.nx, r), fold(g.ny, r), fold(g.nz, r)};
        double[] out = new double[in.length];
        IntStream.range(0, g.nz).parallel().forEach(k -> {
            double[] win = new double[w * w * w];
            for (int j = 0; j < g.ny; j++) {
                for (int i = 0; i < g.nx; i++) {
                    int c = 0;
                    for (int dk = 0; dk < w; dk++) {
                        int kk = ix[2][k + dk];
                        for (int dj = 0; dj < w; dj++) {
                            int base = g.nx * (ix[1][j + dj] + g.ny * kk);
                            for (int di = 0; di < w; di++) win[c++] = in[base + ix[0][i + di]];
                        }
                    }
                    out[g.index(i, j, k)] = select(win, win.length / 2);
                }
            }
        });
        return out;
    }

    /** Source index of window position {@code p} (voxel p - r), scipy 'reflect': d c b a | a b c d | d c b a. */
    static int[] fold(int n, int r) {
        int[] out = new int[n + 2 * r];
        for (int p = 0; p < out.length; p++) {
            int m = Math.floorMod(p - r, 2 * n);
            out[p] = m >= n ? 2 * n - 1 - m : m;
        }
        return out;
    }

    /** The k-th smallest value (quickselect; reorders a). */
    static double select(double[] a, int k) {
        int lo = 0, hi = a.length - 1;
        while (hi > lo) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
