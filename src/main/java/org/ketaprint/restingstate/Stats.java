package org.ketaprint.restingstate;

/** Small statistics on series held in float or double arrays. */
public final class Stats {
    /** |r| is clipped to this before atanh in GBC. */
    public static final double R_CLIP = 1 - 1e-7;

    /**
     * From this |r| on, a seed correlation's z is n/a ({@link #fisherZ} is NaN): r = 1 (or -1) up to rounding, two
     * series identical up to sign, scale and offset, whose atanh is infinite (or, rounded, a meaningless 14-19).
     */
    public static final double R_ONE = 1 - 1e-12;

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
        return saa > 0 && sbb > 0 ? Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb))) : Double.NaN;
    }

    /** Fisher z: atanh(r); NaN when |r| &gt;= {@link #R_ONE} (r = 1 or -1: infinite) or r is NaN. */
    public static double fisherZ(double r) {
        return Math.abs(r) < R_ONE ? 0.5 * Math.log((1 + r) / (1 - r)) : Double.NaN;
    }

    /** Why z is n/a for this r (|r| &gt;= {@link #R_ONE}), else null. */
    public static String zNaReason(double r) {
        if (!(Math.abs(r) >= R_ONE)) return null;
        return r > 0 ? "r = 1: the two clean series are identical up to scale and offset, and z = atanh(r) is infinite"
            : "r = -1: the two clean series are identical up to sign, scale and offset, and z = atanh(r) is infinite";
    }

    /** Euclidean norm. */
    public static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
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
