package org.ketaprint.restingstate;

/** Small statistics on series held in float or double arrays. */
public final class Stats {
    /** |r| is clipped to this before atanh in GBC. */
    public static final double R_CLIP = 1 - 1e-7;

    private Stats() {
    }

    /** Pearson correlation (double precision, centred). */
    public static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i] - ma, y = b[i] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Double.NaN;
    }

    /** Fisher z: atanh(r). */
    public static double fisherZ(double r) {
        return 0.5 * Math.log((1 + r) / (1 - r));
    }

    /** Sample standard deviation (n - 1) of row v of a row-major matrix with n columns. */
    public static double sd(float[] m, int v, int n) {
        int o = v * n;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += m[o + i];
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = m[o + i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** Mean of the given rows (those with {@code ok[row]}) of a voxel x time matrix; null if none. */
    public static double[] meanSeries(float[] data, int columns, int[] rows, boolean[] ok) {
        double[] m = new double[columns];
        int count = 0;
        for (int r : rows) {
            if (!ok[r]) continue;
            count++;
            int o = r * columns;
            for (int t = 0; t < columns; t++) m[t] += data[o + t];
        }
        if (count == 0) return null;
        for (int t = 0; t < columns; t++) m[t] /= count;
        return m;
    }

    /** Mean of the finite values at the given rows (NaN when none). */
    public static double meanOver(double[] values, int[] rows) {
        double s = 0;
        int n = 0;
        for (int r : rows) {
            if (Double.isFinite(values[r])) {
                s += values[r];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
