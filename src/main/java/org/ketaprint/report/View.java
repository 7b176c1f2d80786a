package org.ketaprint.report;

import org.ketaprint.nifti.Grid;

/**
 * A volume seen in the closest RAS orientation (nibabel's {@code as_closest_canonical}, without resampling: axes only
 * permuted and flipped), cut into slices in neurological convention: the subject's left on the image's left, anterior
 * (axial) or superior (coronal, sagittal) at the top, anterior on the right of a sagittal slice.
 */
public final class View {
    /** A slice plane and the canonical axis it cuts (0 = x/R, 1 = y/A, 2 = z/S). */
    public enum Plane {
        SAGITTAL(0), CORONAL(1), AXIAL(2);

        public final int axis;

        Plane(int axis) {
            this.axis = axis;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One display slice: {@code values[row * width + col]}, row 0 at the top; {@code colMm}/{@code rowMm} pixel sizes. */
    public record Slice(int width, int height, double[] values, double colMm, double rowMm) {
    }

    private final Grid grid;
    /** voxel axis feeding canonical axis c, and whether it runs backwards. */
    private final int[] from = new int[3];
    private final boolean[] flip = new boolean[3];
    private final int[] dims = new int[3];
    private final double[] mm = new double[3];
    /** grid index = offset + sum of canonical coordinate c times step[c]. */
    private final int[] step = new int[3];
    private int offset;

    public View(Grid grid) {
        this.grid = grid;
        double[][] a = grid.affine.toArray();
        double[][] d = new double[3][3];   // d[world][voxel axis], columns normalised
        for (int j = 0; j < 3; j++) {
            double n = Math.sqrt(a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]);
            for (int w = 0; w < 3; w++) d[w][j] = n == 0 ? (w == j ? 1 : 0) : a[w][j] / n;
            mm[j] = n == 0 ? 1 : n;
        }
        boolean[] usedW = new boolean[3];
        boolean[] usedJ = new boolean[3];
        for (int step = 0; step < 3; step++) {   // largest |cosine| first, as nibabel's io_orientation
            int bw = -1;
            int bj = -1;
            for (int w = 0; w < 3; w++) {
                for (int j = 0; j < 3; j++) {
                    if (usedW[w] || usedJ[j]) continue;
                    if (bw < 0 || Math.abs(d[w][j]) > Math.abs(d[bw][bj])) {
                        bw = w;
                        bj = j;
                    }
                }
            }
            usedW[bw] = true;
            usedJ[bj] = true;
            from[bw] = bj;
            flip[bw] = d[bw][bj] < 0;
        }
        int[] g = grid.dims();
        int[] stride = {1, g[0], g[0] * g[1]};
        for (int c = 0; c < 3; c++) {
            dims[c] = g[from[c]];
            step[c] = flip[c] ? -stride[from[c]] : stride[from[c]];
            if (flip[c]) offset += (dims[c] - 1) * stride[from[c]];
        }
    }

    /** Canonical dims (x, y, z). */
    public int[] dims() {
        return dims.clone();
    }

    public Grid grid() {
        return grid;
    }

    /** The grid index (x fastest) of canonical voxel (x, y, z). */
    public int index(int x, int y, int z) {
        return offset + x * step[0] + y * step[1] + z * step[2];
    }

    /** Voxel size (mm) along canonical axis c. */
    public double mm(int c) {
        return mm[from[c]];
    }

    /** Slice {@code k} (a canonical index along the plane's axis) of a volume in grid order. */
    public Slice slice(double[] volume, Plane p, int k) {
        int[] ax = displayAxes(p);   // {column axis, row axis}
        int w = dims[ax[0]];
        int h = dims[ax[1]];
        double[] out = new double[w * h];
        for (int row = 0; row < h; row++) {
            // top row: the largest canonical index (anterior / superior)
            int base = offset + k * step[p.axis] + (h - 1 - row) * step[ax[1]];
            for (int col = 0; col < w; col++) out[row * w + col] = volume[base + col * step[ax[0]]];
        }
        return new Slice(w, h, out, mm(ax[0]), mm(ax[1]));
    }

    /** The 0/1 mask of the voxels equal to {@code value} in a slice (e.g. a label of a segmentation's slice). */
    public static Slice equalTo(Slice s, double value) {
        double[] v = new double[s.values().length];
        for (int i = 0; i < v.length; i++) v[i] = s.values()[i] == value ? 1 : 0;
        return new Slice(s.width(), s.height(), v, s.colMm(), s.rowMm());
    }

    /** A mask's slice as 0/1 values. */
    public Slice slice(boolean[] mask, Plane p, int k) {
        double[] v = new double[mask.length];
        for (int i = 0; i < v.length; i++) v[i] = mask[i] ? 1 : 0;
        return slice(v, p, k);
    }

    /** The canonical axes shown as columns and rows: sagittal y/z, coronal x/z, axial x/y. */
    static int[] displayAxes(Plane p) {
        return switch (p) {
            case SAGITTAL -> new int[] {1, 2};
            case CORONAL -> new int[] {0, 2};
            case AXIAL -> new int[] {0, 1};
        };
    }

    /** The labels at the image's left and right edges: "L"/"R" (axial, coronal) or "P"/"A" (sagittal). */
    public static String[] sideLabels(Plane p) {
        return p == Plane.SAGITTAL ? new String[] {"P", "A"} : new String[] {"L", "R"};
    }

    /**
     * Canonical slice indices through a mask along the plane's axis: {@code n} evenly spread over its extent (its
     * centre for n = 1); empty when the mask is empty.
     */
    public int[] slicesThrough(boolean[] mask, Plane p, int n) {
        int gAxis = from[p.axis];
        int[] g = grid.dims();
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        for (int k = 0, i = 0; k < g[2]; k++) {
            for (int j = 0; j < g[1]; j++) {
                for (int x = 0; x < g[0]; x++, i++) {
                    if (!mask[i]) continue;
                    int v = gAxis == 0 ? x : gAxis == 1 ? j : k;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi < 0) return new int[0];
        if (flip[p.axis]) {
            int t = dims[p.axis] - 1 - lo;
            lo = dims[p.axis] - 1 - hi;
            hi = t;
        }
        int m = Math.min(n, hi - lo + 1);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) out[i] = m == 1 ? (lo + hi) / 2 : (int) Math.round(lo + (hi - lo) * (i + 1.0) / (m + 1));
        return java.util.Arrays.stream(out).distinct().toArray();
    }
}
