package org.ketaprint.pet;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;

/**
 * Geometric transfer matrix partial-volume correction (Rousset et al. 1998, J Nucl Med 39:904): disjoint regions;
 * each region's indicator blurred by the PSF ({@link Gaussian}) is its regional spread function; G[i][j] = mean over
 * region i of region j's spread function; the observed regional means t solve G c = t for the true ones c.
 */
public final class Gtm {
    private Gtm() {
    }

    /** The solved system: G, the observed and the corrected regional means. */
    public record Result(double[][] g, double[] observed, double[] corrected) {
    }

    /** {@code regions}: voxel indices of each (disjoint) region on {@code grid}; {@code image}: the observed values. */
    public static Result solve(Grid grid, double[] image, List<int[]> regions, double[] sigma) {
        int r = regions.size();
        double[][] g = new double[r][r];
        double[] t = new double[r];
        for (int i = 0; i < r; i++) t[i] = mean(image, regions.get(i));
        for (int j = 0; j < r; j++) {
            double[] ind = new double[grid.size()];
            for (int v : regions.get(j)) ind[v] = 1;
            double[] rsf = Gaussian.filter(ind, grid, sigma);
            for (int i = 0; i < r; i++) g[i][j] = mean(rsf, regions.get(i));
        }
        LUDecomposition lu = new LUDecomposition(new Array2DRowRealMatrix(g, false));
        if (!lu.getSolver().isNonSingular()) {
            throw new KetaprintException("the GTM matrix is singular (regions too small for the PSF, or identical)");
        }
        double[] c = lu.getSolver().solve(new ArrayRealVector(t, false)).toArray();
        return new Result(g, t, c);
    }

    static double mean(double[] v, int[] idx) {
        double s = 0;
        for (int i : idx) s += v[i];
        return s / idx.length;
    }
}
