package org.ketaprint.mrs;

import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * The MRS voxel rasterised on the T1 grid with fractional coverage: 5 x 5 x 5 sub-samples per T1 voxel, at voxel
 * coordinates {@code i + (a + 0.5) / 5 - 0.5}, mapped to world by the T1 affine and into the MRS voxel by its inverse
 * affine; a sample is inside when every MRS voxel coordinate is within 0.5 of 0.
 */
public record VoxelMask(Grid grid, double[] coverage, double volumeMm3, double[] centreMm, int voxels) {
    public static final int SUB = 5;

    public static VoxelMask of(MrsVoxel v, Grid t1) {
        Affine toMrs = v.affine().inverse().multiply(t1.affine);
        // the T1 voxels that can hold the box: the box's corners in T1 voxel coordinates, widened by one voxel
        Affine toT1 = t1.affine.inverse().multiply(v.affine());
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int c = 0; c < 8; c++) {
            double[] p = toT1.apply((c & 1) == 0 ? -0.5 : 0.5, (c & 2) == 0 ? -0.5 : 0.5, (c & 4) == 0 ? -0.5 : 0.5);
            for (int d = 0; d < 3; d++) {
                lo[d] = Math.min(lo[d], p[d]);
                hi[d] = Math.max(hi[d], p[d]);
            }
        }
        int[] n = t1.dims();
        int[] from = new int[3], to = new int[3];
        for (int d = 0; d < 3; d++) {
            if (lo[d] < -0.5 || hi[d] > n[d] - 0.5) {
                throw new KetaprintException(v.file() + ": the MRS voxel (centre " + fmt(v.centre()) + " mm) reaches outside the T1 "
                    + "field of view (" + n[0] + "x" + n[1] + "x" + n[2] + " voxels)");
            }
            from[d] = Math.max(0, (int) Math.floor(lo[d]) - 1);
            to[d] = Math.min(n[d] - 1, (int) Math.ceil(hi[d]) + 1);
        }
        double[] cov = new double[t1.size()];
        double sum = 0, cx = 0, cy = 0, cz = 0;
        int count = 0;
        for (int k = from[2]; k <= to[2]; k++) {
            for (int j = from[1]; j <= to[1]; j++) {
                for (int i = from[0]; i <= to[0]; i++) {
                    int inside = 0;
                    for (int c = 0; c < SUB; c++) {
                        for (int b = 0; b < SUB; b++) {
                            for (int a = 0; a < SUB; a++) {
                                double[] q = toMrs.apply(i + (a + 0.5) / SUB - 0.5, j + (b + 0.5) / SUB - 0.5, k + (c + 0.5) / SUB - 0.5);
                                if (Math.abs(q[0]) <= 0.5 && Math.abs(q[1]) <= 0.5 && Math.abs(q[2]) <= 0.5) inside++;
                            }
                        }
                    }
                    if (inside == 0) continue;
                    double f = inside / (double) (SUB * SUB * SUB);
                    int idx = t1.index(i, j, k);
                    cov[idx] = f;
                    sum += f;
                    double[] w = t1.affine.apply(i, j, k);
                    cx += f * w[0];
                    cy += f * w[1];
                    cz += f * w[2];
                    count++;
                }
            }
        }
        if (sum == 0) throw new KetaprintException(v.file() + ": the MRS voxel covers no T1 voxel centre's sub-sample");
        return new VoxelMask(t1, cov, sum * t1.voxelVolume(), new double[] {cx / sum, cy / sum, cz / sum}, count);
    }

    static String fmt(double[] p) {
        return String.format(java.util.Locale.ROOT, "%.1f, %.1f, %.1f", p[0], p[1], p[2]);
    }

    /** The coverage-weighted mean of a map on the same grid. */
    public double weightedMean(double[] map) {
        double s = 0, w = 0;
        for (int v = 0; v < coverage.length; v++) {
            if (coverage[v] == 0) continue;
            s += coverage[v] * map[v];
            w += coverage[v];
        }
        return s / w;
    }
}
