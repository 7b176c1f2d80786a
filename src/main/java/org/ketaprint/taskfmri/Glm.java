package org.ketaprint.taskfmri;

import java.util.Locale;
import java.util.stream.IntStream;
import org.ketaprint.KetaprintException;
import org.ketaprint.restingstate.SmallGemm;

/**
 * A first-level GLM fitted as nilearn's {@code run_glm} does: every voxel's series scaled to percent of its mean
 * ({@code 100 (y / max(mean, 1) - 1)}, nilearn's {@code mean_scaling}), OLS; with {@code ar1} each voxel's lag-1
 * coefficient from its OLS residuals (nilearn's {@code _yule_walker}: the residuals minus their global mean), truncated
 * toward zero to 0.01, and the data and design of each such bin whitened ({@code x_t - rho x_{t-1}}, the first volume
 * unchanged) and refitted. Holds each voxel's coefficients and residual variance; {@link #contrast} gives the maps.
 */
public final class Glm {
    /** The noise models. */
    public enum Noise { OLS, AR1;
        public static Noise parse(String s) {
            return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
                case "ols" -> OLS;
                case "ar1" -> AR1;
                default -> throw new KetaprintException("unknown noise model '" + s + "' (known: ar1, ols)");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int BINS = 100;

    private final Design design;
    private final Noise noise;
    private final int voxels;
    private final int p;
    private final double[] beta;        // voxel-major, p per voxel
    private final double[] dispersion;  // residual variance, SSE / (T - p)
    private final double[] rho;         // binned AR(1) coefficient (0 for OLS)
    private final int[] bin;            // index into binRho / binCov
    private final double[] binRho;
    private final double[][][] binCov;
    private final int dof;

    private Glm(Design design, Noise noise, int voxels, double[] beta, double[] dispersion, double[] rho, int[] bin,
                double[] binRho, double[][][] binCov) {
        this.design = design;
        this.noise = noise;
        this.voxels = voxels;
        this.p = design.columns();
        this.beta = beta;
        this.dispersion = dispersion;
        this.rho = rho;
        this.bin = bin;
        this.binRho = binRho;
        this.binCov = binCov;
        this.dof = design.volumes() - Linalg.rank(design.x());
    }

    /** Fits {@code data} (voxel-major: voxel v's series at v * T .. v * T + T - 1). */
    public static Glm fit(float[] data, int voxels, Design design, Noise noise) {
        int n = design.volumes();
        int p = design.columns();
        if ((long) voxels * n != data.length) throw new IllegalArgumentException("data is not voxels x volumes");
        double[][] x = design.x();
        double[][] pinv = Linalg.pinv(x);
        double[] pt = transposeFlat(pinv, p, n);
        double[] xt = rowsFlat(x, n, p);
        double[] beta = new double[voxels * p];
        double[] disp = new double[voxels];
        double[] rho = new double[voxels];
        int[] bin = new int[voxels];
        int chunks = (voxels + CHUNK - 1) / CHUNK;
        double[] moments = noise == Noise.AR1 ? new double[voxels * 5] : null;
        double[] chunkSums = new double[chunks];
        // pass 1: OLS (4 voxels at a time), residual moments for the Yule-Walker estimate
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] y = new double[4 * n];
            double[] b = new double[4 * p];
            double sumAll = 0;
            int end = Math.min(voxels, (c + 1) * CHUNK);
            for (int v0 = c * CHUNK; v0 < end; v0 += 4) {
                int k = Math.min(4, end - v0);
                for (int r = 0; r < 4; r++) {
                    if (r < k) scaled(data, v0 + r, n, y, r * n); else java.util.Arrays.fill(y, r * n, r * n + n, 0);
                }
                SmallGemm.rows4(y, n, 0, n, pt, p, b, p, false);
                SmallGemm.rows4(b, p, 0, p, xt, n, y, n, true);
                for (int r = 0; r < k; r++) {
                    int v = v0 + r, o = r * n;
                    double s1 = 0, s2 = 0, lag = 0;
                    for (int t = 0; t < n; t++) {
                        s1 += y[o + t];
                        s2 += y[o + t] * y[o + t];
                    }
                    for (int t = 0; t + 1 < n; t++) lag += y[o + t] * y[o + t + 1];
                    sumAll += s1;
                    if (noise == Noise.OLS) {
                        System.arraycopy(b, r * p, beta, v * p, p);
                        disp[v] = s2 / (n - p);
                    } else {
                        int mo = v * 5;
                        moments[mo] = s1;
                        moments[mo + 1] = s2;
                        moments[mo + 2] = lag;
                        moments[mo + 3] = y[o];
                        moments[mo + 4] = y[o + n - 1];
                    }
                }
            }
            chunkSums[c] = sumAll;
        });
        if (noise == Noise.OLS) {
            double[][][] cov = {Linalg.gram(pinv)};
            return new Glm(design, noise, voxels, beta, disp, rho, bin, new double[] {0}, cov);
        }
        double total = 0;
        for (double s : chunkSums) total += s;
        double m = total / ((double) voxels * n);
        int[] code = new int[voxels];
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int v = 0; v < voxels; v++) {
            int mo = v * 5;
            double r0 = (moments[mo + 1] - 2 * m * moments[mo] + n * m * m) / ((double) n * n);
            double r1 = (moments[mo + 2] - m * (moments[mo] - moments[mo + 4]) - m * (moments[mo] - moments[mo + 3])
                + (n - 1) * m * m) / ((double) (n - 1) * n);
            double r = r0 > 0 ? r1 / r0 : 0;
            code[v] = (int) (r * BINS);   // truncation toward zero, as numpy's astype(int)
            lo = Math.min(lo, code[v]);
            hi = Math.max(hi, code[v]);
        }
        // the bins present, each voxel's bin, and the voxels ordered by bin (counting sort)
        int[] count = new int[hi - lo + 2];
        for (int v = 0; v < voxels; v++) count[code[v] - lo + 1]++;
        int bins = 0;
        int[] index = new int[hi - lo + 1];
        for (int i = 0; i <= hi - lo; i++) index[i] = count[i + 1] > 0 ? bins++ : -1;
        for (int i = 1; i < count.length; i++) count[i] += count[i - 1];
        int[] order = new int[voxels];
        for (int v = 0; v < voxels; v++) order[count[code[v] - lo]++] = v;
        double[] binRho = new double[bins];
        for (int i = 0; i <= hi - lo; i++) if (index[i] >= 0) binRho[index[i]] = (i + lo) * 1.0 / BINS;
        for (int v = 0; v < voxels; v++) {
            bin[v] = index[code[v] - lo];
            rho[v] = binRho[bin[v]];
        }
        double[][] binPt = new double[bins][];
        double[][] binXt = new double[bins][];
        double[][][] binCov = new double[bins][][];
        IntStream.range(0, bins).parallel().forEach(k -> {
            double[][] xw = Linalg.whiten(x, binRho[k]);
            double[][] pw = Linalg.pinv(xw);
            binPt[k] = transposeFlat(pw, p, n);
            binXt[k] = rowsFlat(xw, n, p);
            binCov[k] = Linalg.gram(pw);
        });
        // pass 2: the voxels of each bin whitened with its coefficient and refitted, 4 at a time
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] y = new double[4 * n];
            double[] b = new double[4 * p];
            int[] vs = new int[4];
            int end = Math.min(voxels, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; ) {
                int bi = bin[order[i]];
                int k = 0;
                while (k < 4 && i < end && bin[order[i]] == bi) vs[k++] = order[i++];
                double r = binRho[bi];
                for (int q = 0; q < 4; q++) {
                    int o = q * n;
                    if (q >= k) {
                        java.util.Arrays.fill(y, o, o + n, 0);
                        continue;
                    }
                    scaled(data, vs[q], n, y, o);
                    for (int t = n - 1; t >= 1; t--) y[o + t] -= r * y[o + t - 1];
                }
                SmallGemm.rows4(y, n, 0, n, binPt[bi], p, b, p, false);
                SmallGemm.rows4(b, p, 0, p, binXt[bi], n, y, n, true);
                for (int q = 0; q < k; q++) {
                    int o = q * n;
                    double s2 = 0;
                    for (int t = 0; t < n; t++) s2 += y[o + t] * y[o + t];
                    System.arraycopy(b, q * p, beta, vs[q] * p, p);
                    disp[vs[q]] = s2 / (n - p);
                }
            }
        });
        return new Glm(design, noise, voxels, beta, disp, rho, bin, binRho, binCov);
    }

    private static final int CHUNK = 512;

    /** Voxel v's series in percent of its mean (the mean floored at 1, as nilearn). */
    private static void scaled(float[] data, int v, int n, double[] y, int at) {
        int o = v * n;
        double s = 0;
        for (int t = 0; t < n; t++) s += data[o + t];
        double mean = Math.max(s / n, 1);
        for (int t = 0; t < n; t++) y[at + t] = 100 * (data[o + t] / mean - 1);
    }

    private static double[] transposeFlat(double[][] pinv, int p, int n) {
        double[] pt = new double[n * p];
        for (int j = 0; j < p; j++) for (int t = 0; t < n; t++) pt[t * p + j] = pinv[j][t];
        return pt;
    }

    /** X^T flattened row-major (p x n): row j is column j of x. */
    private static double[] rowsFlat(double[][] x, int n, int p) {
        double[] xt = new double[n * p];
        for (int j = 0; j < p; j++) for (int t = 0; t < n; t++) xt[j * n + t] = x[t][j];
        return xt;
    }

    /** The maps of one contrast: effect and its variance (nilearn's Tcontrast); t, z and p follow ({@link TaskData}). */
    public record Maps(double[] effect, double[] variance) {
    }

    public Maps contrast(double[] c) {
        double[] ccov = new double[binCov.length];
        for (int k = 0; k < binCov.length; k++) {
            double s = 0;
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) s += c[i] * binCov[k][i][j] * c[j];
            ccov[k] = s;
        }
        double[] eff = new double[voxels], var = new double[voxels];
        IntStream.range(0, voxels).parallel().forEach(v -> {
            double e = 0;
            for (int j = 0; j < p; j++) e += c[j] * beta[v * p + j];
            eff[v] = e;
            var[v] = ccov[bin[v]] * dispersion[v];
        });
        return new Maps(eff, var);
    }

    public Design design() {
        return design;
    }

    public Noise noise() {
        return noise;
    }

    public int voxels() {
        return voxels;
    }

    /** Residual degrees of freedom: volumes minus the design's rank. */
    public int dof() {
        return dof;
    }

    /** Each voxel's binned AR(1) coefficient (0 for OLS). */
    public double[] rho() {
        return rho.clone();
    }

    /** How many distinct AR(1) bins were fitted. */
    public int bins() {
        return binRho.length;
    }
}
