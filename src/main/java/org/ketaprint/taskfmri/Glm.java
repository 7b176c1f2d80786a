package org.ketaprint.taskfmri;

import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.ketaprint.KetaprintException;

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
        double[] xc = columnsFlat(x, n, p);
        double[] beta = new double[voxels * p];
        double[] disp = new double[voxels];
        double[] rho = new double[voxels];
        int[] bin = new int[voxels];
        int chunk = 256;
        int chunks = (voxels + chunk - 1) / chunk;
        double[][] moments = new double[voxels][];
        double[] chunkSums = new double[chunks];
        // pass 1: OLS, residual moments for the Yule-Walker estimate
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] y = new double[n];
            double[] b = new double[p];
            double sumAll = 0;
            for (int v = c * chunk; v < Math.min(voxels, (c + 1) * chunk); v++) {
                scaled(data, v, n, y);
                solve(pt, y, n, p, b);
                residuals(xc, b, n, p, y);
                double s1 = 0, s2 = 0, lag = 0;
                for (int t = 0; t < n; t++) {
                    s1 += y[t];
                    s2 += y[t] * y[t];
                }
                for (int t = 0; t + 1 < n; t++) lag += y[t] * y[t + 1];
                sumAll += s1;
                if (noise == Noise.OLS) {
                    System.arraycopy(b, 0, beta, v * p, p);
                    disp[v] = s2 / (n - p);
                } else {
                    moments[v] = new double[] {s1, s2, lag, y[0], y[n - 1]};
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
        TreeMap<Integer, Integer> bins = new TreeMap<>();
        int[] code = new int[voxels];
        for (int v = 0; v < voxels; v++) {
            double[] mo = moments[v];
            double r0 = (mo[1] - 2 * m * mo[0] + n * m * m) / ((double) n * n);
            double r1 = (mo[2] - m * (mo[0] - mo[4]) - m * (mo[0] - mo[3]) + (n - 1) * m * m) / ((double) (n - 1) * n);
            double r = r0 > 0 ? r1 / r0 : 0;
            code[v] = (int) (r * BINS);   // truncation toward zero, as numpy's astype(int)
            bins.putIfAbsent(code[v], 0);
            moments[v] = null;
        }
        double[] binRho = new double[bins.size()];
        double[][] binPt = new double[bins.size()][];
        double[][] binXc = new double[bins.size()][];
        double[][][] binCov = new double[bins.size()][][];
        int k = 0;
        for (var e : bins.entrySet()) {
            e.setValue(k);
            binRho[k] = e.getKey() * 1.0 / BINS;
            double[][] xw = Linalg.whiten(x, binRho[k]);
            double[][] pw = Linalg.pinv(xw);
            binPt[k] = transposeFlat(pw, p, n);
            binXc[k] = columnsFlat(xw, n, p);
            binCov[k] = Linalg.gram(pw);
            k++;
        }
        for (int v = 0; v < voxels; v++) {
            bin[v] = bins.get(code[v]);
            rho[v] = binRho[bin[v]];
        }
        // pass 2: each voxel whitened with its bin's coefficient and refitted
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] y = new double[n];
            double[] b = new double[p];
            for (int v = c * chunk; v < Math.min(voxels, (c + 1) * chunk); v++) {
                scaled(data, v, n, y);
                double r = rho[v];
                for (int t = n - 1; t >= 1; t--) y[t] -= r * y[t - 1];
                int bi = bin[v];
                solve(binPt[bi], y, n, p, b);
                residuals(binXc[bi], b, n, p, y);
                double s2 = 0;
                for (int t = 0; t < n; t++) s2 += y[t] * y[t];
                System.arraycopy(b, 0, beta, v * p, p);
                disp[v] = s2 / (n - p);
            }
        });
        return new Glm(design, noise, voxels, beta, disp, rho, bin, binRho, binCov);
    }

    /** Voxel v's series in percent of its mean (the mean floored at 1, as nilearn). */
    private static void scaled(float[] data, int v, int n, double[] y) {
        int o = v * n;
        double s = 0;
        for (int t = 0; t < n; t++) s += data[o + t];
        double mean = Math.max(s / n, 1);
        for (int t = 0; t < n; t++) y[t] = 100 * (data[o + t] / mean - 1);
    }

    /** b = pinv y, with pinv stored volume-major (pt[t * p + j]). */
    private static void solve(double[] pt, double[] y, int n, int p, double[] b) {
        java.util.Arrays.fill(b, 0);
        for (int t = 0; t < n; t++) {
            double yt = y[t];
            int o = t * p;
            for (int j = 0; j < p; j++) b[j] += pt[o + j] * yt;
        }
    }

    /** y -= X b, with X stored column-major (xc[j * n + t]). */
    private static void residuals(double[] xc, double[] b, int n, int p, double[] y) {
        for (int j = 0; j < p; j++) {
            double bj = b[j];
            int o = j * n;
            for (int t = 0; t < n; t++) y[t] -= xc[o + t] * bj;
        }
    }

    private static double[] transposeFlat(double[][] pinv, int p, int n) {
        double[] pt = new double[n * p];
        for (int j = 0; j < p; j++) for (int t = 0; t < n; t++) pt[t * p + j] = pinv[j][t];
        return pt;
    }

    private static double[] columnsFlat(double[][] x, int n, int p) {
        double[] xc = new double[n * p];
        for (int j = 0; j < p; j++) for (int t = 0; t < n; t++) xc[j * n + t] = x[t][j];
        return xc;
    }

    /** The maps of one contrast: effect, variance, t, z and one-sided p (nilearn's Contrast). */
    public record Maps(double[] effect, double[] variance, double[] t, double[] z, double[] p) {
    }

    public Maps contrast(double[] c) {
        double[] ccov = new double[binCov.length];
        for (int k = 0; k < binCov.length; k++) {
            double s = 0;
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) s += c[i] * binCov[k][i][j] * c[j];
            ccov[k] = s;
        }
        double[] eff = new double[voxels], var = new double[voxels], t = new double[voxels], z = new double[voxels],
            pv = new double[voxels];
        IntStream.range(0, voxels).parallel().forEach(v -> {
            double e = 0;
            for (int j = 0; j < p; j++) e += c[j] * beta[v * p + j];
            double va = ccov[bin[v]] * dispersion[v];
            double tv = e / Math.sqrt(Math.max(va, 1e-50));
            eff[v] = e;
            var[v] = va;
            t[v] = tv;
            pv[v] = TDist.sf(tv, dof);
            z[v] = TDist.z(tv, dof);
        });
        return new Maps(eff, var, t, z, pv);
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
