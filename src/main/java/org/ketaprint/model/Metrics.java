package org.ketaprint.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Out-of-sample scores: AUC with DeLong's standard error, ROC points, balanced accuracy, Brier, R^2, MAE, losses. */
public final class Metrics {
    /** 97.5 % quantile of the standard normal. */
    static final double Z975 = 1.959963984540054;
    /** scikit-learn's log_loss clip for float64 (np.finfo(float).eps). */
    static final double EPS = Math.ulp(1.0);

    private Metrics() {
    }

    /** AUC (ties count one half), DeLong's standard error and the 95 % normal CI clipped to [0, 1]. */
    public record Auc(double auc, double se, double lo, double hi) {
    }

    /** 1 when a positive's score beats a negative's, 0.5 on a tie, else 0. */
    private static double psi(double pos, double neg) {
        return pos > neg ? 1 : pos == neg ? 0.5 : 0;
    }

    public static double auc(double[] y, double[] s) {
        return delong(y, s).auc();
    }

    /**
     * DeLong, DeLong and Clarke-Pearson (1988): placement values V10 (each positive against the negatives) and V01
     * (each negative against the positives); var(AUC) = S10/m + S01/n with S the sample variances (ddof = 1).
     */
    public static Auc delong(double[] y, double[] s) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (int i = 0; i < y.length; i++) (y[i] == 1 ? pos : neg).add(s[i]);
        int m = pos.size();
        int n = neg.size();
        if (m == 0 || n == 0) return new Auc(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] v10 = new double[m];
        double[] v01 = new double[n];
        double sum = 0;   // halves and wholes: exact
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double q = psi(pos.get(i), neg.get(j));
                sum += q;
                v10[i] += q;
                v01[j] += q;
            }
        }
        for (int i = 0; i < m; i++) v10[i] /= n;
        for (int j = 0; j < n; j++) v01[j] /= m;
        double auc = sum / ((double) m * n);
        double var = (m > 1 ? variance(v10) / m : 0) + (n > 1 ? variance(v01) / n : 0);
        double se = Math.sqrt(var);
        return new Auc(auc, se, Math.max(0, auc - Z975 * se), Math.min(1, auc + Z975 * se));
    }

    /** Sample variance (ddof = 1). */
    public static double variance(double[] v) {
        if (v.length < 2) return Double.NaN;
        double mu = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) ss += (x - mu) * (x - mu);
        return ss / (v.length - 1);
    }

    /** ROC points {fpr[], tpr[]} from (0, 0) to (1, 1), one per distinct score, highest first. */
    public static double[][] roc(double[] y, double[] s) {
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < s.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        double m = Arrays.stream(y).filter(v -> v == 1).count();
        double n = y.length - m;
        List<double[]> pts = new ArrayList<>(List.of(new double[] {0, 0}));
        double tp = 0;
        double fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (y[order[k]] == 1) tp++;
            else fp++;
            if (k == order.length - 1 || s[order[k + 1]] != s[order[k]]) pts.add(new double[] {fp / n, tp / m});
        }
        return new double[][] {pts.stream().mapToDouble(a -> a[0]).toArray(), pts.stream().mapToDouble(a -> a[1]).toArray()};
    }

    /** (sensitivity + specificity) / 2, class 1 predicted where p > 0.5 (as sklearn's predict). */
    public static double balancedAccuracy(double[] y, double[] p) {
        double tp = 0;
        double pos = 0;
        double tn = 0;
        double neg = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                pos++;
                if (p[i] > 0.5) tp++;
            } else {
                neg++;
                if (p[i] <= 0.5) tn++;
            }
        }
        return (tp / pos + tn / neg) / 2;
    }

    /** Mean (p - y)^2. */
    public static double brier(double[] y, double[] p) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (p[i] - y[i]) * (p[i] - y[i]);
        return s / y.length;
    }

    /** Mean log-loss, p clipped to [eps, 1 - eps] as scikit-learn's log_loss. */
    public static double logLoss(double[] y, double[] p) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            double q = Math.min(Math.max(p[i], EPS), 1 - EPS);
            s -= y[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return s / y.length;
    }

    /** Mean squared error. */
    public static double mse(double[] y, double[] p) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (p[i] - y[i]) * (p[i] - y[i]);
        return s / y.length;
    }

    public static double mae(double[] y, double[] p) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += Math.abs(p[i] - y[i]);
        return s / y.length;
    }

    /** Out-of-sample R^2 = 1 - SSE / SST, SST about the mean of the whole y (sklearn's r2_score on the pooled predictions). */
    public static double r2(double[] y, double[] p) {
        double mu = Arrays.stream(y).average().orElse(Double.NaN);
        double sse = 0;
        double sst = 0;
        for (int i = 0; i < y.length; i++) {
            sse += (y[i] - p[i]) * (y[i] - p[i]);
            sst += (y[i] - mu) * (y[i] - mu);
        }
        return 1 - sse / sst;
    }
}
