package org.ketaprint.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Cross-validation folds: the fold number (0..k-1) of every row. Shuffles use {@link java.util.Random} with the given
 * seed (its algorithm is fixed by the Java specification, so the same seed gives the same folds everywhere).
 */
public final class Folds {
    private Folds() {
    }

    /** Shuffled k-fold: a random permutation dealt round-robin, fold sizes differing by at most one. */
    public static int[] kfold(int n, int k, long seed) {
        check(n, k);
        int[] order = shuffled(range(n), new Random(seed));
        int[] fold = new int[n];
        for (int j = 0; j < n; j++) fold[order[j]] = j % k;
        return fold;
    }

    /**
     * Stratified k-fold for 0/1 labels: each class shuffled and dealt round-robin, the second class continuing where
     * the first stopped, so that every fold holds each class's share to within one row, and fold sizes differ by at
     * most one.
     */
    public static int[] stratified(double[] y, int k, long seed) {
        check(y.length, k);
        Random r = new Random(seed);
        int[] fold = new int[y.length];
        int next = 0;
        for (int cls = 0; cls <= 1; cls++) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < y.length; i++) if (y[i] == cls) at.add(i);
            int[] order = shuffled(at.stream().mapToInt(Integer::intValue).toArray(), r);
            for (int i : order) fold[i] = next++ % k;
        }
        return fold;
    }

    /** Leave-one-out: row i is fold i. */
    public static int[] loo(int n) {
        return range(n);
    }

    /** The rows whose fold is (or, with {@code in} false, is not) f. */
    public static int[] rows(int[] fold, int f, boolean in) {
        return java.util.stream.IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == in).toArray();
    }

    /** Fisher-Yates shuffle of a copy. */
    static int[] shuffled(int[] a, Random r) {
        int[] s = a.clone();
        for (int i = s.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** A permutation of the labels (the permutation test's shuffle). */
    public static double[] permuted(double[] y, long seed) {
        int[] order = shuffled(range(y.length), new Random(seed));
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) out[i] = y[order[i]];
        return out;
    }

    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static void check(int n, int k) {
        if (k < 2 || k > n) throw new IllegalArgumentException(k + " folds for " + n + " rows");
    }
}
