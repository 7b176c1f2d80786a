package org.ketaprint.pet;

import org.ketaprint.nifti.Grid;

/**
 * An isotropic Gaussian point-spread function applied as {@code scipy.ndimage.gaussian_filter} does: one 1D
 * correlation per axis (x, then y, then z) with weights {@code exp(-x^2 / 2 sigma^2)} normalised to sum 1 on
 * {@code [-r, r]}, {@code r = int(4 sigma + 0.5)}, and reflecting borders ({@code d c b a | a b c d | d c b a}).
 */
public final class Gaussian {
    public static final double TRUNCATE = 4.0;

    private Gaussian() {
    }

    /** sigma in voxels per axis for a FWHM in mm: FWHM / (2 sqrt(2 ln 2)) / voxel size (the affine's column norms). */
    public static double[] sigmaVoxels(Grid g, double fwhmMm) {
        double[] vs = g.affine.voxelSizes();
        double s = fwhmMm / (2 * Math.sqrt(2 * Math.log(2)));
        return new double[] {s / vs[0], s / vs[1], s / vs[2]};
    }

    /** scipy's _gaussian_kernel1d (order 0). */
    static double[] kernel(double sigma) {
        int r = (int) (TRUNCATE * sigma + 0.5);
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int x = -r; x <= r; x++) {
            w[x + r] = Math.exp(-0.5 / (sigma * sigma) * x * x);
            sum += w[x + r];
        }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        return w;
    }

    /** The index 'reflect' mode reads for position p on an axis of n samples. */
    static int reflect(int p, int n) {
        int period = 2 * n;
        int m = Math.floorMod(p, period);
        return m < n ? m : period - 1 - m;
    }

    /** A blurred copy of {@code v} (x fastest) on grid {@code g}. */
    public static double[] filter(double[] v, Grid g, double[] sigma) {
        double[] out = v.clone();
        int[] n = g.dims();
        int[] stride = {1, n[0], n[0] * n[1]};
        for (int axis = 0; axis < 3; axis++) {
            if (!(sigma[axis] > 1e-15)) continue;
            double[] w = kernel(sigma[axis]);
            int r = w.length / 2;
            int len = n[axis];
            int st = stride[axis];
            double[] line = new double[len];
            double[] res = new double[len];
            int lines = out.length / len;
            for (int l = 0; l < lines; l++) {
                int base = lineStart(l, axis, n);
                for (int i = 0; i < len; i++) line[i] = out[base + i * st];
                for (int i = 0; i < len; i++) {
                    double s = 0;
                    for (int k = -r; k <= r; k++) {
                        int p = i + k;
                        s += w[k + r] * line[p >= 0 && p < len ? p : reflect(p, len)];
                    }
                    res[i] = s;
                }
                for (int i = 0; i < len; i++) out[base + i * st] = res[i];
            }
        }
        return out;
    }

    /** The first voxel of line l along {@code axis}. */
    private static int lineStart(int l, int axis, int[] n) {
        return switch (axis) {
            case 0 -> l * n[0];                                   // (y, z) = l
            case 1 -> (l % n[0]) + (l / n[0]) * n[0] * n[1];      // (x, z)
            default -> l;                                         // (x, y)
        };
    }
}
