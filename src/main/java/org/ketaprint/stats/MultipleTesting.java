package org.ketaprint.stats;

import java.util.Arrays;
import java.util.Comparator;

/** Benjamini-Hochberg q-values, as statsmodels' {@code multipletests(p, method="fdr_bh")[1]}. */
public final class MultipleTesting {
    private MultipleTesting() {
    }

    /**
     * q_(i) = min over j >= i of p_(j) / (j / m), capped at 1, for the m p-values sorted ascending; NaN p-values
     * (tests that could not be done) are left out of m and keep NaN.
     */
    public static double[] benjaminiHochberg(double[] p) {
        Integer[] idx = java.util.stream.IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
            .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        int m = idx.length;
        double min = Double.POSITIVE_INFINITY;
        for (int k = m - 1; k >= 0; k--) {
            min = Math.min(min, p[idx[k]] / ((k + 1) / (double) m));
            q[idx[k]] = Math.min(1, min);
        }
        return q;
    }
}
