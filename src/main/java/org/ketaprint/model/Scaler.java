package org.ketaprint.model;

/**
 * Standardisation fitted on training rows only, as scikit-learn's {@code StandardScaler}: the mean and the
 * population standard deviation (ddof = 0) of each column; a column with sd 0 is only centred (scale 1).
 */
public final class Scaler {
    public final double[] mean;
    public final double[] sd;

    private Scaler(double[] mean, double[] sd) {
        this.mean = mean;
        this.sd = sd;
    }

    /** Fitted on the rows {@code rows} of x. */
    public static Scaler fit(double[][] x, int[] rows) {
        int p = x[0].length;
        double[] m = new double[p];
        double[] s = new double[p];
        for (int j = 0; j < p; j++) {
            double sum = 0;
            for (int i : rows) sum += x[i][j];
            double mu = sum / rows.length;
            double ss = 0;
            for (int i : rows) ss += (x[i][j] - mu) * (x[i][j] - mu);
            double sd = Math.sqrt(ss / rows.length);
            m[j] = mu;
            s[j] = sd > 0 && Double.isFinite(sd) ? sd : 1;
        }
        return new Scaler(m, s);
    }

    /** The rows {@code rows} of x, standardised with this scaler. */
    public double[][] apply(double[][] x, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int k = 0; k < rows.length; k++) out[k] = apply(x[rows[k]]);
        return out;
    }

    public double[] apply(double[] row) {
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) z[j] = (row[j] - mean[j]) / sd[j];
        return z;
    }
}
