package org.ketaprint.diffusion;

import java.util.Arrays;
import org.ketaprint.nifti.Grid;

/**
 * One median pass over tiles (one z slice, {@code rows} rows): the tile's input box is re-ranked to the ranks it
 * holds (a small {@link RankWindow}, which stays in cache), then the window slides x back and forth, row by row.
 */
final class MedianPass {
    private final int[] rank;
    private final int[] out;
    private final int nx;
    private final int nxy;
    private final int w;
    private final int[] fx;
    private final int[] fy;
    private final int[] fz;
    private final int[] off;
    private final long[] seen;
    private final int[] before;
    private final int[] box;
    private final int[] global;
    private final RankWindow win;
    private int h;
    private int y0;
    private int i;
    private int j;

    /** Global ranks in [0, n) in, global ranks out; tiles of up to {@code rows} rows. */
    MedianPass(int[] rank, int n, int[] out, Grid g, int r, int rows) {
        this.rank = rank;
        this.out = out;
        nx = g.nx;
        nxy = g.nx * g.ny;
        w = 2 * r + 1;
        fx = MedianFilter.fold(g.nx, r);
        fy = MedianFilter.fold(g.ny, r);
        fz = MedianFilter.fold(g.nz, r);
        off = new int[w * w];
        seen = new long[(n >> 6) + 1];
        before = new int[seen.length];
        box = new int[w * (rows + 2 * r) * nx];
        int most = Math.min(n, box.length);
        global = new int[most];
        win = new RankWindow(most, w * w * w);
    }

    /** Filters rows [y0, y1) of slice z. */
    void tile(int z, int y0, int y1) {
        this.y0 = y0;
        h = y1 - y0 + w - 1;
        int nl = rerank(z);
        for (int dk = 0; dk < w; dk++) {
            for (int dj = 0; dj < w; dj++) {
                for (int di = 0; di < w; di++) win.add(box[fx[di] + nx * (dj + h * dk)]);
            }
        }
        i = 0;
        j = y0;
        offsets();
        int xdir = 1;
        for (int jj = y0; jj < y1; jj++) {
            for (int ii = 0; ii < nx; ii++) {
                out[i + nx * j + nxy * z] = global[win.median()];
                if (ii < nx - 1) shiftX(xdir);
            }
            xdir = -xdir;
            if (jj < y1 - 1) shiftY();
        }
        win.clear(nl);
    }

    /** Copies the tile's input box (window z, row, x) with its ranks renumbered from 0; returns how many. */
    private int rerank(int z) {
        int lo = Integer.MAX_VALUE, hi = 0;
        for (int dk = 0, q = 0; dk < w; dk++) {
            for (int pj = 0; pj < h; pj++) {
                int src = nx * fy[y0 + pj] + nxy * fz[z + dk];
                for (int x = 0; x < nx; x++, q++) {
                    int v = rank[src + x];
                    box[q] = v;
                    seen[v >>> 6] |= 1L << v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        int nl = 0;
        for (int a = lo >>> 6; a <= hi >>> 6; a++) {
            before[a] = nl;
            for (long b = seen[a]; b != 0; b &= b - 1) global[nl++] = a << 6 | Long.numberOfTrailingZeros(b);
        }
        int size = w * h * nx;
        for (int q = 0; q < size; q++) {
            int v = box[q];
            box[q] = before[v >>> 6] + Long.bitCount(seen[v >>> 6] & (1L << v) - 1);
        }
        Arrays.fill(seen, lo >>> 6, (hi >>> 6) + 1, 0);
        return nl;
    }

    /** Box offsets of the window's x columns for the current row j. */
    private void offsets() {
        for (int dk = 0, q = 0; dk < w; dk++) {
            for (int dj = 0; dj < w; dj++) off[q++] = nx * (j - y0 + dj + h * dk);
        }
    }

    private void shiftX(int dir) {
        int xl = fx[dir > 0 ? i : i + w - 1];
        int xe = fx[dir > 0 ? i + w : i - 1];
        i += dir;
        for (int o : off) {
            win.remove(box[xl + o]);
            win.add(box[xe + o]);
        }
    }

    private void shiftY() {
        int yl = nx * (j - y0);
        int ye = nx * (j - y0 + w);
        j++;
        for (int dk = 0; dk < w; dk++) {
            int zo = nx * h * dk;
            for (int di = 0; di < w; di++) {
                win.remove(box[fx[i + di] + yl + zo]);
                win.add(box[fx[i + di] + ye + zo]);
            }
        }
        offsets();
    }
}
