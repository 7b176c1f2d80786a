package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.ketaprint.KetaprintException;

/**
 * One least-squares projection as AFNI's 3dTproject does it. The design is: constant, linear trend, the
 * confound columns, and a sine and a cosine for every DFT frequency k/(N*TR), k = 1..floor(N/2), outside
 * the pass band (cosine only at Nyquist), all evaluated at every volume; censored rows are dropped and the
 * clean series are the OLS residuals on the remaining rows. The residuals depend only on the column space
 * of the design, which is spanned here by an orthonormal basis from an SVD (rank cut as numpy's
 * matrix_rank: s &gt; s_max * max(rows, cols) * eps).
 */
public final class Denoiser {
    private final int volumes;
    private final double tr;
    private final boolean[] keep;
    private final int[] kept;
    private final List<String> regressors;
    private final int rank;
    /** Orthonormal basis, kept rows x rank, row-major. */
    private final double[] basis;

    /**
     * @param volumes   N, the run's volumes
     * @param tr        repetition time, s
     * @param confounds N x p confound matrix (p may be 0), or null
     * @param names     the confound names, for the data dictionary (may be null)
     * @param keep      used volumes (null: all)
     * @param band      pass band, or null for no band-pass regressors
     */
    public Denoiser(int volumes, double tr, double[][] confounds, List<String> names, boolean[] keep, Band band) {
        if (!(tr > 0)) throw new KetaprintException("repetition time must be positive, got " + tr);
        this.volumes = volumes;
        this.tr = tr;
        this.keep = keep == null ? all(volumes) : keep.clone();
        if (this.keep.length != volumes) {
            throw new KetaprintException("censoring mask has " + this.keep.length + " volumes, the run " + volumes);
        }
        if (confounds != null && confounds.length != volumes) {
            throw new KetaprintException("the confounds have " + confounds.length + " rows but the BOLD run has "
                + volumes + " volumes");
        }
        this.kept = IntStream.range(0, volumes).filter(t -> this.keep[t]).toArray();
        List<double[]> cols = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        cols.add(column(t -> 1.0));
        labels.add("constant");
        cols.add(column(t -> volumes > 1 ? 2.0 * t / (volumes - 1) - 1 : 0));
        labels.add("linear_trend");
        int p = confounds == null || volumes == 0 ? 0 : confounds[0].length;
        for (int c = 0; c < p; c++) {
            final int cc = c;
            cols.add(column(t -> confounds[t][cc]));
            labels.add(names != null && c < names.size() ? names.get(c) : "confound_" + c);
        }
        if (band != null) {
            for (int k = 1; k <= volumes / 2; k++) {
                double f = k / (volumes * tr);
                if (band.contains(f)) continue;
                final int kk = k;
                cols.add(column(t -> Math.cos(2 * Math.PI * kk * t / volumes)));
                labels.add(String.format(Locale.ROOT, "cos_%.6gHz", f));
                if (2 * k != volumes) {
                    cols.add(column(t -> Math.sin(2 * Math.PI * kk * t / volumes)));
                    labels.add(String.format(Locale.ROOT, "sin_%.6gHz", f));
                }
            }
        }
        this.regressors = List.copyOf(labels);
        int n = kept.length;
        if (n == 0) throw new KetaprintException("no volumes left after censoring");
        double[][] x = new double[n][cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            double[] col = cols.get(c);
            double norm = 0;
            for (int i = 0; i < n; i++) norm += col[kept[i]] * col[kept[i]];
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) x[i][c] = norm > 0 ? col[kept[i]] / norm : 0;
        }
        RealMatrix xm = new Array2DRowRealMatrix(x, false);
        boolean wide = cols.size() > n;
        SingularValueDecomposition svd = new SingularValueDecomposition(wide ? xm.transpose() : xm);
        double[] s = svd.getSingularValues();
        double cut = (s.length == 0 ? 0 : s[0]) * Math.max(n, cols.size()) * Math.ulp(1.0);
        int r = 0;
        while (r < s.length && s[r] > cut) r++;
        this.rank = r;
        RealMatrix u = wide ? svd.getV() : svd.getU();
        this.basis = new double[n * r];
        for (int i = 0; i < n; i++) for (int j = 0; j < r; j++) basis[i * r + j] = u.getEntry(i, j);
    }

    private static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    private double[] column(java.util.function.IntToDoubleFunction f) {
        double[] c = new double[volumes];
        for (int t = 0; t < volumes; t++) c[t] = f.applyAsDouble(t);
        return c;
    }

    public int volumes() {
        return volumes;
    }

    public double tr() {
        return tr;
    }

    /** Indices of the used volumes. */
    public int[] keptVolumes() {
        return kept.clone();
    }

    public int used() {
        return kept.length;
    }

    /** The design's columns, in order (before the rank cut). */
    public List<String> regressors() {
        return regressors;
    }

    /** Rank of the design on the used rows. */
    public int rank() {
        return rank;
    }

    /** Residual degrees of freedom: used volumes minus rank. */
    public int dof() {
        return kept.length - rank;
    }

    /** The clean series of one full-length series: its residuals on the used rows. */
    public double[] clean(double[] series) {
        int n = kept.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = series[kept[i]];
        double[] c = new double[rank];
        for (int i = 0; i < n; i++) {
            double yi = y[i];
            int o = i * rank;
            for (int j = 0; j < rank; j++) c[j] += yi * basis[o + j];
        }
        for (int i = 0; i < n; i++) {
            int o = i * rank;
            double fit = 0;
            for (int j = 0; j < rank; j++) fit += basis[o + j] * c[j];
            y[i] -= fit;
        }
        return y;
    }

    /**
     * Cleans a voxel x time matrix (row v = voxel v's {@code volumes()} values) into a voxel x used-volume
     * matrix: blocks of voxels, double precision, Vector API products, all cores.
     */
    public float[] clean(float[] data, int voxels) {
        int nt = volumes;
        int n = kept.length;
        if ((long) voxels * nt != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, not " + voxels + " x " + nt);
        }
        float[] out = new float[voxels * n];
        double[] ut = transposedBasis();
        int block = 64;
        int blocks = (voxels + block - 1) / block;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int v0 = b * block;
            int nb = Math.min(voxels, v0 + block) - v0;
            int padded = (nb + 3) / 4 * 4;
            double[] y = new double[padded * n];
            double[] c = new double[padded * rank];
            for (int v = 0; v < nb; v++) {
                int src = (v0 + v) * nt;
                int o = v * n;
                double m = 0;
                for (int i = 0; i < n; i++) m += data[src + kept[i]];
                m /= n; // the constant is in the design: centring first changes no residual, and keeps precision
                for (int i = 0; i < n; i++) y[o + i] = data[src + kept[i]] - m;
            }
            for (int v = 0; v < padded; v += 4) {
                SmallGemm.rows4(y, n, v, n, basis, rank, c, rank, false);   // c = y U
                SmallGemm.rows4(c, rank, v, rank, ut, n, y, n, true);      // y -= c U^T
            }
            for (int v = 0; v < nb; v++) {
                int o = v * n, dst = (v0 + v) * n;
                for (int i = 0; i < n; i++) out[dst + i] = (float) y[o + i];
            }
        });
        return out;
    }

    private double[] transposedBasis() {
        int n = kept.length;
        double[] t = new double[rank * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < rank; j++) t[j * n + i] = basis[i * rank + j];
        return t;
    }
}
