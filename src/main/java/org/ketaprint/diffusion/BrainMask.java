package org.ketaprint.diffusion;

import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.NiftiImage;

/**
 * Brain mask from the mean b0 as DIPY's median_otsu does it: repeated 3D median filtering (scipy's
 * 'reflect' edges) then an Otsu threshold on a 256-bin histogram (voxels strictly above it are brain).
 */
public final class BrainMask {
    public static final int DEFAULT_RADIUS = 4;
    public static final int DEFAULT_PASSES = 4;

    private BrainMask() {
    }

    /** median_otsu with DIPY's defaults (radius 4, 4 passes) on the mean of the b0 volumes. */
    public static boolean[] medianOtsu(Image dwi, Gradients g) {
        return medianOtsu(dwi, g, DEFAULT_RADIUS, DEFAULT_PASSES);
    }

    public static boolean[] medianOtsu(Image dwi, Gradients g, int radius, int passes) {
        try {
            return medianOtsu(meanB0(dwi, g), dwi.grid(), radius, passes);
        } catch (KetaprintException e) {
            throw new KetaprintException(dwi.path() + ": " + e.getMessage());
        }
    }

    /** Mean of the b0 volumes in double precision. */
    public static double[] meanB0(Image dwi, Gradients g) {
        int nv = dwi.grid().size();
        double[] sum = new double[nv];
        int[] b0 = g.b0Indices();
        boolean[] want = new boolean[g.count()];
        for (int i : b0) want[i] = true;
        if (dwi instanceof NiftiImage ni) {
            ni.forEachVolume((t, vol) -> {
                if (want[(int) t]) for (int p = 0; p < nv; p++) sum[p] += vol[p];
            });
        } else {
            for (int t : b0) {
                float[] vol = dwi.readVolume(t);
                for (int p = 0; p < nv; p++) sum[p] += vol[p];
            }
        }
        for (int p = 0; p < nv; p++) sum[p] /= b0.length;
        return sum;
    }

    /** Mean of in-memory volumes, summed in double precision in the order {@link #meanB0} uses. */
    public static double[] mean(float[][] vols) {
        double[] sum = new double[vols[0].length];
        for (float[] vol : vols) for (int p = 0; p < sum.length; p++) sum[p] += vol[p];
        for (int p = 0; p < sum.length; p++) sum[p] /= vols.length;
        return sum;
    }

    /** Median-filters {@code vol} {@code passes} times with a (2r+1)^3 window, then thresholds by Otsu. */
    public static boolean[] medianOtsu(double[] vol, Grid grid, int radius, int passes) {
        return threshold(MedianFilter.median(vol, grid, radius, passes));
    }

    /** The Otsu step of median_otsu on a filtered volume: voxels strictly above the threshold. */
    public static boolean[] threshold(double[] f) {
        for (double v : f) {
            if (!Double.isFinite(v)) throw new KetaprintException("mean b0 has NaN/Inf voxels; cannot compute a brain mask (pass --mask)");
        }
        double t = otsu(f, 256);
        boolean[] m = new boolean[f.length];
        for (int p = 0; p < f.length; p++) m[p] = f[p] > t;
        return m;
    }

    /** One pass of scipy.ndimage.median_filter(size=2r+1, mode='reflect'), see {@link MedianFilter}. */
    public static double[] median(double[] in, Grid g, int r) {
        return MedianFilter.median(in, g, r, 1);
    }

    /** DIPY's otsu(): np.histogram bins, right edges as bin values, returns the left edge at the best split. */
    public static double otsu(double[] v, int nbins) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[nbins + 1];
        double step = (hi - lo) / nbins;
        for (int i = 0; i < nbins; i++) edges[i] = i * step + lo;
        edges[nbins] = hi;
        double[] hist = new double[nbins];
        double norm = nbins / (hi - lo);
        for (double x : v) {
            int b = (int) ((x - lo) * norm);
            if (b == nbins) b--;
            if (x < edges[b]) b--;
            if (b != nbins - 1 && x >= edges[b + 1]) b++;
            hist[b]++;
        }
        double[] w1 = new double[nbins], m1 = new double[nbins], w2 = new double[nbins], m2 = new double[nbins];
        double cw = 0, cs = 0;
        for (int i = 0; i < nbins; i++) {
            cw += hist[i];
            cs += hist[i] * edges[i + 1];
            w1[i] = cw;
            m1[i] = cs / cw;
        }
        cw = 0;
        cs = 0;
        for (int i = nbins - 1; i >= 0; i--) {
            cw += hist[i];
            cs += hist[i] * edges[i + 1];
            w2[i] = cw;
            m2[i] = cs / cw;
        }
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < nbins - 1; i++) {
            double d = m1[i] - m2[i + 1];
            double var = w1[i] * w2[i + 1] * d * d;
            if (var > bestV) {
                bestV = var;
                best = i;
            }
        }
        return edges[best];
    }

    /** Non-zero, non-NaN voxels of the first volume of {@code mask}, which must be on the grid of {@code on}. */
    public static boolean[] read(Image mask, Image on) {
        if (!mask.grid().sameAs(on.grid())) {
            throw new org.ketaprint.KetaprintException(mask.path() + ": mask grid " + mask.grid()
                + " does not match the grid " + on.grid() + " of " + on.path() + " (dims and affine)");
        }
        float[] v = mask.readVolume(0);
        boolean[] b = new boolean[v.length];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] != 0 && !Float.isNaN(v[i]);
            if (b[i]) n++;
        }
        if (n == 0) throw new org.ketaprint.KetaprintException(mask.path() + ": mask is empty");
        return b;
    }

    /** Writes a mask as uint8 NIfTI on the geometry of {@code like} (for QC). */
    public static void write(java.nio.file.Path f, boolean[] m, Image like, org.ketaprint.nifti.Compression c) {
        float[] v = new float[m.length];
        for (int i = 0; i < m.length; i++) v[i] = m[i] ? 1 : 0;
        long[] shape = {like.grid().nx, like.grid().ny, like.grid().nz};
        org.ketaprint.nifti.NiftiImage ni = org.ketaprint.nifti.PrefetchedImage.nifti(like);
        org.ketaprint.nifti.NiftiWriter.Spec s = ni != null
            ? org.ketaprint.nifti.NiftiWriter.Spec.like(ni, shape, org.ketaprint.nifti.DataType.UINT8)
            : org.ketaprint.nifti.NiftiWriter.Spec.of(shape, like.affine(), org.ketaprint.nifti.DataType.UINT8);
        org.ketaprint.nifti.NiftiWriter.write(f, s.descrip("ketaprint brain mask").compression(c), v);
    }
}
