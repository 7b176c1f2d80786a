package org.ketaprint.diffusion;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.NiftiImage;

/**
 * Log-linear diffusion tensor fit (OLS or WLS), following DIPY 1.6's dti.TensorModel: signals clamped to
 * {@link #MIN_SIGNAL}, WLS weighted by the OLS-predicted signal, eigenvalues floored at
 * {@link Gradients#minDiffusivity()}. Voxels are fitted in parallel on all cores.
 */
public final class TensorFit {
    /** DIPY's MIN_POSITIVE_SIGNAL: signals below it are raised to it before the log. */
    public static final double MIN_SIGNAL = 1e-4;
    /** Default bound on the voxel-by-volume buffer of one slab (float32 values). */
    public static final long DEFAULT_SLAB_VALUES = 64L << 20;
    private static final int CHUNK = 2048;

    public enum Method { OLS, WLS }

    private final Method method;
    private final int n;
    private final double[][] xs;      // design matrix, columns scaled
    private final double[] scale;     // column scales: beta_j = gamma_j / scale_j
    private final double[][] pinv;    // 7 x n pseudo-inverse of xs
    private final double[] outer;     // per volume t: the 28 products xs[t][j]*xs[t][k], k <= j
    private final double[] xflat;     // xs row-major
    private final double[] xcol;      // xs column-major
    private final double minDiff;

    /** A fitter for one gradient table. Fails when the design cannot determine a tensor. */
    public TensorFit(Gradients g, Method method) {
        this.method = method;
        double[][] x = g.designMatrix();
        n = x.length;
        scale = new double[7];
        for (int j = 0; j < 7; j++) {
            for (double[] row : x) scale[j] = Math.max(scale[j], Math.abs(row[j]));
            if (scale[j] == 0) scale[j] = 1;
        }
        xs = new double[n][7];
        for (int i = 0; i < n; i++) for (int j = 0; j < 7; j++) xs[i][j] = x[i][j] / scale[j];
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(xs, false));
        double[] sv = svd.getSingularValues();
        if (n < 7 || sv[6] <= sv[0] * 1e-10) {
            throw new KetaprintException("gradient table: the " + n + " volumes do not determine a tensor"
                + " (need b0 plus at least 6 non-collinear directions)");
        }
        pinv = svd.getSolver().getInverse().getData();
        outer = new double[n * 28];
        xflat = new double[n * 7];
        xcol = new double[n * 7];
        for (int t = 0; t < n; t++) for (int j = 0; j < 7; j++) xcol[j * n + t] = xs[t][j];
        for (int t = 0; t < n; t++) {
            int q = 0;
            for (int j = 0; j < 7; j++) {
                xflat[t * 7 + j] = xs[t][j];
                for (int k = 0; k <= j; k++) outer[t * 28 + q++] = xs[t][j] * xs[t][k];
            }
        }
        minDiff = g.minDiffusivity();
    }

    /** A gzipped (or otherwise unmappable) DWI inflated once in the background, for a mask and a fit that follows. */
    public static Image readAhead(Image dwi) {
        return MappedGather.readAhead(dwi);
    }

    /** Fits {@code dwi} in the mask (null: every voxel), streaming it in slabs of bounded size. */
    public static DtiMaps fit(Image dwi, Gradients g, boolean[] mask, Method method) {
        return fit(dwi, g, mask, method, DtiMaps.NAMES);
    }

    /** As above, keeping S0 and V1 only when {@code maps} names them ({@link DtiMaps#NAMES}). */
    public static DtiMaps fit(Image dwi, Gradients g, boolean[] mask, Method method, java.util.List<String> maps) {
        return new TensorFit(g, method).fit(dwi, mask, DEFAULT_SLAB_VALUES, maps);
    }

    /** As {@link #fit(Image, Gradients, boolean[], Method)} with a bound on values held per slab. */
    public DtiMaps fit(Image dwi, boolean[] mask, long slabValues) {
        return fit(dwi, mask, slabValues, DtiMaps.NAMES);
    }

    /** As above, keeping S0 and V1 only when {@code maps} names them. */
    public DtiMaps fit(Image dwi, boolean[] mask, long slabValues, java.util.List<String> maps) {
        if (dwi.volumes() != n) {
            throw new KetaprintException(dwi.path() + ": " + dwi.volumes() + " volumes but the gradient table has " + n);
        }
        Grid grid = dwi.grid();
        int nv = grid.size();
        if (mask != null && mask.length != nv) throw new IllegalArgumentException("mask size " + mask.length + " != " + nv);
        DtiMaps out = new DtiMaps(grid, org.ketaprint.nifti.PrefetchedImage.nifti(dwi), maps);
        int plane = grid.nx * grid.ny;
        int[] perSlice = new int[grid.nz];
        for (int p = 0; p < nv; p++) if (mask == null || mask[p]) perSlice[p / plane]++;
        int z0 = 0;
        while (z0 < grid.nz) {
            long count = 0;
            int z1 = z0;
            while (z1 < grid.nz && (z1 == z0 || (count + perSlice[z1]) * n <= slabValues)) count += perSlice[z1++];
            fitSlab(dwi, mask, z0 * plane, z1 * plane, (int) count, out);
            z0 = z1;
        }
        return out;
    }

    private void fitSlab(Image dwi, boolean[] mask, int from, int to, int count, DtiMaps out) {
        if (count == 0) return;
        int[] vox = new int[count];
        int c = 0;
        for (int p = from; p < to; p++) if (mask == null || mask[p]) vox[c++] = p;
        float[] sig = new float[Math.multiplyExact(count, n)];
        if (MappedGather.supported(dwi)) {
            MappedGather.gather((NiftiImage) dwi, vox, n, sig);   // uncompressed .nii: mask voxels only
        } else if (dwi instanceof NiftiImage ni) {
            ni.forEachVolume((t, vol) -> gather(vol, vox, (int) t, sig));   // one pass through the stream
        } else {
            for (int t = 0; t < n; t++) gather(dwi.readVolume(t), vox, t, sig);
        }
        fitVoxels(sig, vox, true, out);
    }

    /** Volume-major gather: sequential writes. */
    private static void gather(float[] vol, int[] vox, int t, float[] sig) {
        int o = t * vox.length;
        for (int i = 0; i < vox.length; i++) sig[o + i] = vol[vox[i]];
    }

    /**
     * Fits voxel-by-volume signals ({@code sig[i*n + t]}) and stores voxel i's results at map index
     * {@code vox[i]} of {@code out}.
     */
    public void fitVoxels(float[] sig, int[] vox, DtiMaps out) {
        fitVoxels(sig, vox, false, out);
    }

    /** As above; volume-major when {@code byVolume}: voxel i's signal t at {@code sig[t*vox.length + i]}. */
    public void fitVoxels(float[] sig, int[] vox, boolean byVolume, DtiMaps out) {
        int stride = byVolume ? vox.length : 1;
        int chunks = (vox.length + CHUNK - 1) / CHUNK;
        AtomicLong fallback = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            Work w = new Work(n);
            int end = Math.min(vox.length, (ch + 1) * CHUNK);
            for (int i = ch * CHUNK; i < end; i++) {
                int r = fitOne(sig, byVolume ? i : i * n, stride, w);
                if (r < 0) {
                    bad.incrementAndGet();
                    out.setNaN(vox[i]);
                } else {
                    if (r > 0) fallback.incrementAndGet();
                    out.set(vox[i], w.evals, w.evecs, w.s0);
                }
            }
        });
        out.addCounts(vox.length, bad.get(), fallback.get());
    }

    /** Per-thread scratch space. */
    private static final class Work {
        final double[] y;
        final double[] w;
        final double[] gamma = new double[7];
        final double[] a = new double[49];
        final double[] rhs = new double[7];
        final double[] sol = new double[7];
        final double[] acc = new double[28];
        final double[] eig = new double[18];
        final double[] evals = new double[3];
        final double[] evecs = new double[9];
        double s0;


        Work(int n) {
            y = new double[n];
            w = new double[n];
        }
    }

    /** Fits one voxel (signal t at sig[off + t*stride]) into w: 0 ok, 1 WLS fell back to OLS, -1 non-finite input. */
    private int fitOne(float[] sig, int off, int stride, Work w) {
        double[] y = w.y;
        for (int t = 0; t < n; t++) {
            double s = sig[off + t * stride];
            if (!Double.isFinite(s)) return -1;
            y[t] = Math.log(Math.max(s, MIN_SIGNAL));
        }
        double[] g = w.gamma;
        for (int j = 0; j < 7; j++) {
            double[] pj = pinv[j];
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;   // four partial sums: shorter add chains
            int t = 0;
            for (; t + 3 < n; t += 4) {
                a0 += pj[t] * y[t];
                a1 += pj[t + 1] * y[t + 1];
                a2 += pj[t + 2] * y[t + 2];
                a3 += pj[t + 3] * y[t + 3];
            }
            for (; t < n; t++) a0 += pj[t] * y[t];
            g[j] = (a0 + a1) + (a2 + a3);
        }
        int status = 0;
        if (method == Method.WLS && !wls(w)) status = 1;
        finish(w);
        return status;
    }

    /** WLS with weights = OLS-predicted signal (so squared residual weights S^2), as DIPY and dtifit --wls. */
    private boolean wls(Work w) {
        double[] g = w.gamma;
        double[] wt = w.w;
        java.util.Arrays.fill(wt, 0);
        for (int j = 0; j < 7; j++) {        // predicted log signal, column by column (vectorisable)
            double gj = g[j];
            int o = j * n;
            for (int t = 0; t < n; t++) wt[t] += gj * xcol[o + t];
        }
        double mx = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) mx = Math.max(mx, wt[t]);
        double[] acc = w.acc;
        double[] r = w.rhs;
        java.util.Arrays.fill(acc, 0);
        java.util.Arrays.fill(r, 0);
        for (int t = 0; t < n; t++) {
            double ww = Math.exp(2 * (wt[t] - mx));   // squared weights, scaled by a common factor: same solution
            double wy = ww * w.y[t];
            int o = t * 28;
            for (int q = 0; q < 28; q++) acc[q] += ww * outer[o + q];
            int o7 = t * 7;
            for (int j = 0; j < 7; j++) r[j] += wy * xflat[o7 + j];
        }
        double[] a = w.a;
        int q = 0;
        for (int j = 0; j < 7; j++) for (int k = 0; k <= j; k++) a[j * 7 + k] = acc[q++];
        if (!cholSolve(a, r, w.sol)) return false;
        System.arraycopy(w.sol, 0, g, 0, 7);
        return true;
    }

    /** Solves the 7x7 system (lower triangle of a filled) by Cholesky; false when not positive definite. */
    private static boolean cholSolve(double[] a, double[] b, double[] x) {
        for (int j = 0; j < 7; j++) {
            double d = a[j * 7 + j];
            for (int k = 0; k < j; k++) d -= a[j * 7 + k] * a[j * 7 + k];
            if (!(d > 0)) return false;
            d = Math.sqrt(d);
            a[j * 7 + j] = d;
            for (int i = j + 1; i < 7; i++) {
                double s = a[i * 7 + j];
                for (int k = 0; k < j; k++) s -= a[i * 7 + k] * a[j * 7 + k];
                a[i * 7 + j] = s / d;
            }
        }
        for (int i = 0; i < 7; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= a[i * 7 + k] * x[k];
            x[i] = s / a[i * 7 + i];
        }
        for (int i = 6; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < 7; k++) s -= a[k * 7 + i] * x[k];
            x[i] = s / a[i * 7 + i];
        }
        for (double v : x) if (!Double.isFinite(v)) return false;
        return true;
    }

    /** Unscales the coefficients, decomposes the tensor and floors the eigenvalues. */
    private void finish(Work w) {
        double[] g = w.gamma;
        double dxx = g[0] / scale[0], dxy = g[1] / scale[1], dyy = g[2] / scale[2];
        double dxz = g[3] / scale[3], dyz = g[4] / scale[4], dzz = g[5] / scale[5];
        w.s0 = Math.exp(-g[6] / scale[6]);
        Eigen3.decompose(dxx, dxy, dyy, dxz, dyz, dzz, w.evals, w.evecs, w.eig);
        for (int k = 0; k < 3; k++) w.evals[k] = Math.max(w.evals[k], minDiff);
    }
}
