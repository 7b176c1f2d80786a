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
    /** Orthonormal basis of the residual space (the design's orthogonal complement), kept rows x dof. */
    private final double[] basis;
    private final int dof;

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
        RealMatrix u = (wide ? svd.getV() : svd.getU()).getSubMatrix(0, n - 1, 0, Math.max(r, 1) - 1);
        // the last n - r columns of a full Householder Q of the design's basis span the residual space
        RealMatrix q = new org.apache.commons.math3.linear.QRDecomposition(u).getQ();
        this.dof = n - r;
        this.basis = new double[n * dof];
        for (int i = 0; i < n; i++) for (int j = 0; j < dof; j++) basis[i * dof + j] = q.getEntry(i, r + j);
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

    /** Residual degrees of freedom: used volumes minus rank (the dimension of the residual space). */
    public int dof() {
        return dof;
    }

    /** The clean series of one full-length series: its residuals on the used rows, W (W^T y). */
    public double[] clean(double[] series) {
        int n = kept.length;
        double[] c = new double[dof];
        for (int i = 0; i < n; i++) {
            double yi = series[kept[i]];
            int o = i * dof;
            for (int j = 0; j < dof; j++) c[j] += yi * basis[o + j];
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int o = i * dof;
            double s = 0;
            for (int j = 0; j < dof; j++) s += basis[o + j] * c[j];
            y[i] = s;
        }
        return y;
    }

    /**
     * Coordinates of the given rows' clean series in an orthonormal basis W of the residual space: row v
     * (length {@link #dof()}) = W^T y_v. The clean series is W times it, so its norm, its dot products and
     * (as it has zero mean) its SD and correlations come from these coordinates alone, at dof instead of
     * volumes per voxel. Blocks of voxels, Vector API, all cores.
     */
    public double[] coordinates(float[] data, int[] rows) {
        int nt = volumes;
        int n = kept.length;
        double[] out = new double[rows.length * dof];
        int block = 64;
        IntStream.range(0, (rows.length + block - 1) / block).parallel().forEach(b -> {
            int v0 = b * block;
            int nb = Math.min(rows.length, v0 + block) - v0;
            int padded = (nb + 3) / 4 * 4;
            double[] y = new double[padded * n];
            double[] c = new double[padded * dof];
            gather(data, nt, rows, v0, nb, y);
            for (int v = 0; v < padded; v += 4) SmallGemm.rows4(y, n, v, n, basis, dof, c, dof, false);
            System.arraycopy(c, 0, out, v0 * dof, nb * dof);
        });
        return out;
    }

    /** Coordinates W^T x of a series given on the used rows (e.g. a clean series). */
    public double[] coordinatesOfKept(double[] x) {
        double[] c = new double[dof];
        for (int i = 0; i < kept.length; i++) {
            int o = i * dof;
            for (int j = 0; j < dof; j++) c[j] += x[i] * basis[o + j];
        }
        return c;
    }

    /** Kept volumes of rows[v0..v0+nb), each centred (the constant is in the design: no residual changes). */
    private void gather(float[] data, int nt, int[] rows, int v0, int nb, double[] y) {
        int n = kept.length;
        for (int v = 0; v < nb; v++) {
            int src = (rows == null ? v0 + v : rows[v0 + v]) * nt;
            int o = v * n;
            double m = 0;
            for (int i = 0; i < n; i++) m += data[src + kept[i]];
            m /= n;
            for (int i = 0; i < n; i++) y[o + i] = data[src + kept[i]] - m;
        }
    }

    /**
     * Cleans a voxel x time matrix (row v = voxel v's {@code volumes()} values) into a voxel x used-volume
     * matrix, W (W^T y): blocks of voxels, double precision, Vector API products, all cores.
     */
    public float[] clean(float[] data, int voxels) {
        int nt = volumes;
        int n = kept.length;
        if ((long) voxels * nt != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, not " + voxels + " x " + nt);
        }
        float[] out = new float[voxels * n];
        double[] wt = new double[dof * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < dof; j++) wt[j * n + i] = basis[i * dof + j];
        int block = 64;
        IntStream.range(0, (voxels + block - 1) / block).parallel().forEach(b -> {
            int v0 = b * block;
            int nb = Math.min(voxels, v0 + block) - v0;
            int padded = (nb + 3) / 4 * 4;
            double[] y = new double[padded * n];
            double[] c = new double[padded * dof];
            gather(data, nt, null, v0, nb, y);
            for (int v = 0; v < padded; v += 4) {
                SmallGemm.rows4(y, n, v, n, basis, dof, c, dof, false);    // c = W^T y
                SmallGemm.rows4(c, dof, v, dof, wt, n, y, n, false);       // y = W c
            }
            for (int v = 0; v < nb; v++) {
                int o = v * n, dst = (v0 + v) * n;
                for (int i = 0; i < n; i++) out[dst + i] = (float) y[o + i];
            }
        });
        return out;
    }
}
