package org.ketaprint.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Nested cross-validation of a penalised linear model: the outer folds estimate out-of-sample performance; within
 * each outer training set an inner CV chooses the penalty from a log grid by the mean inner loss (log-loss for
 * classification, squared error for regression; never AUC), then the model is refitted on the whole outer training
 * set and predicts the outer test rows. Every fit standardises with its own training rows only ({@link Scaler}).
 */
public final class NestedCv {
    public enum Kind { CLASSIFICATION, REGRESSION }

    /** The default grid: 10^-4 ... 10^4 in half decades (17 values), for C or alpha. */
    public static final double[] GRID = grid(-4, 4, 17);

    /** The outer scheme: {@code kfold:K[:REPEATS]} (stratified for classification) or {@code loo}. */
    public record Scheme(boolean loo, int k, int repeats) {
        public static Scheme parse(String s) {
            String[] p = s.trim().split(":", -1);
            try {
                if (p.length == 1 && p[0].equals("loo")) return new Scheme(true, 0, 1);
                if (p[0].equals("kfold") && (p.length == 2 || p.length == 3)) {
                    int k = Integer.parseInt(p[1]);
                    int r = p.length == 3 ? Integer.parseInt(p[2]) : 1;
                    if (k >= 2 && r >= 1 && r <= 1000) return new Scheme(false, k, r);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("'" + s + "' is not kfold:K[:REPEATS] (K >= 2, 1 <= REPEATS <= 1000) or loo");
        }

        public String describe(Kind kind) {
            if (loo) return "leave-one-out";
            String f = (kind == Kind.CLASSIFICATION ? "stratified " : "shuffled ") + k + "-fold";
            return repeats == 1 ? f : "repeated " + f + " x " + repeats;
        }
    }

    /** innerK: the inner folds wanted (fewer when the minority class of a training set is smaller). */
    public record Settings(Kind kind, Scheme outer, int innerK, double[] grid, long seed) {
        /** The grid from the strongest penalty to the weakest (C ascending, alpha descending). */
        double[] strongestFirst() {
            double[] g = grid.clone();
            Arrays.sort(g);
            if (kind == Kind.REGRESSION) {
                for (int i = 0; i < g.length / 2; i++) {
                    double t = g[i];
                    g[i] = g[g.length - 1 - i];
                    g[g.length - 1 - i] = t;
                }
            }
            return g;
        }
    }

    /**
     * A model tuned and fitted on the rows {@code train}: {@code inner} the inner fold of each training row (in train's
     * order), {@code penalties} the grid tried (strongest first) with their mean inner loss {@code innerLoss}, the chosen
     * penalty, the coefficients [b, w...] in standardised units and the scaler.
     */
    public record Tuned(int[] train, int[] inner, int innerK, long innerSeed, double[] penalties, double[] innerLoss,
                        double penalty, double[] coef, Scaler scaler) {
    }

    /** One outer fold of one repeat (both numbered from 0). */
    public record OuterFold(int repeat, int fold, int[] test, Tuned tuned) {
    }

    /**
     * predictions[repeat][row]: out-of-fold probabilities (classification) or values; {@code mean} their mean over
     * repeats; {@code repeatScores} the AUC or R^2 of each repeat; {@code score} the AUC or R^2 of the mean.
     */
    public record Result(double[][] predictions, double[] mean, List<OuterFold> folds, long[] outerSeeds, double[] repeatScores,
                         double score) {
    }

    private NestedCv() {
    }

    static double[] grid(double lo, double hi, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = Math.pow(10, lo + (hi - lo) * i / (n - 1));
        return g;
    }

    /** The whole nested procedure on x (rows: subjects) and y (0/1 or continuous). */
    public static Result run(double[][] x, double[] y, Settings s) {
        int n = y.length;
        int reps = s.outer().loo() ? 1 : s.outer().repeats();
        double[][] pred = new double[reps][n];
        long[] seeds = new long[reps];
        double[] scores = new double[reps];
        List<OuterFold> folds = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            seeds[r] = Seeds.derive(s.seed(), Seeds.OUTER, r);
            int[] fold = s.outer().loo() ? Folds.loo(n) : s.kind() == Kind.CLASSIFICATION
                ? Folds.stratified(y, s.outer().k(), seeds[r]) : Folds.kfold(n, s.outer().k(), seeds[r]);
            int k = s.outer().loo() ? n : s.outer().k();
            for (int f = 0; f < k; f++) {
                int[] test = Folds.rows(fold, f, true);
                if (test.length == 0) continue;
                Tuned t = tune(x, y, Folds.rows(fold, f, false), Seeds.derive(s.seed(), Seeds.INNER, r, f), s);
                for (int i : test) pred[r][i] = predict(s.kind(), t, x[i]);
                folds.add(new OuterFold(r, f, test, t));
            }
            scores[r] = score(s.kind(), y, pred[r]);
        }
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < reps; r++) mean[i] += pred[r][i] / reps;
        }
        return new Result(pred, mean, folds, seeds, scores, score(s.kind(), y, mean));
    }

    /** The final model: the penalty chosen by inner CV on all rows, then refitted on all rows. */
    public static Tuned fitAll(double[][] x, double[] y, Settings s) {
        return tune(x, y, Folds.range(y.length), Seeds.derive(s.seed(), Seeds.FINAL), s);
    }

    /** AUC (classification) or R^2 (regression) of predictions p. */
    public static double score(Kind kind, double[] y, double[] p) {
        return kind == Kind.CLASSIFICATION ? Metrics.auc(y, p) : Metrics.r2(y, p);
    }

    /** The prediction of a tuned model for a raw row (standardised with the model's training scaler). */
    public static double predict(Kind kind, Tuned t, double[] row) {
        double[] z = t.scaler().apply(row);
        return kind == Kind.CLASSIFICATION ? Logistic.probability(t.coef(), z) : Ridge.predict(t.coef(), z);
    }

    /** Inner CV on the rows {@code train} (fold seed {@code seed}), then the refit on them with the chosen penalty. */
    public static Tuned tune(double[][] x, double[] y, int[] train, long seed, Settings s) {
        double[] yt = pick(y, train);
        int k = Math.min(s.innerK(), s.kind() == Kind.CLASSIFICATION ? minority(yt) : yt.length);
        if (k < 2) throw new IllegalArgumentException("a training set of " + train.length + " rows has too few of a class for inner CV");
        int[] inner = s.kind() == Kind.CLASSIFICATION ? Folds.stratified(yt, k, seed) : Folds.kfold(yt.length, k, seed);
        double[] pens = s.strongestFirst();
        double[] loss = new double[pens.length];
        for (int f = 0; f < k; f++) {
            int[] tr = map(train, Folds.rows(inner, f, false));
            int[] te = map(train, Folds.rows(inner, f, true));
            Scaler sc = Scaler.fit(x, tr);
            double[][] xtr = sc.apply(x, tr);
            double[][] xte = sc.apply(x, te);
            double[] ytr = pick(y, tr);
            double[] yte = pick(y, te);
            double[] warm = null;
            for (int g = 0; g < pens.length; g++) {
                double[] c = fit(s.kind(), xtr, ytr, pens[g], warm);
                warm = c;
                double[] p = new double[te.length];
                for (int i = 0; i < te.length; i++) {
                    p[i] = s.kind() == Kind.CLASSIFICATION ? Logistic.probability(c, xte[i]) : Ridge.predict(c, xte[i]);
                }
                loss[g] += (s.kind() == Kind.CLASSIFICATION ? Metrics.logLoss(yte, p) : Metrics.mse(yte, p)) / k;
            }
        }
        int best = 0;
        for (int g = 1; g < pens.length; g++) if (loss[g] < loss[best]) best = g;
        Scaler sc = Scaler.fit(x, train);
        double[] coef = fit(s.kind(), sc.apply(x, train), yt, pens[best], null);
        return new Tuned(train, inner, k, seed, pens, loss, pens[best], coef, sc);
    }

    static double[] fit(Kind kind, double[][] x, double[] y, double pen, double[] warm) {
        return kind == Kind.CLASSIFICATION ? Logistic.fit(x, y, pen, warm) : Ridge.fit(x, y, pen);
    }

    /**
     * The permutation test's scores: for each permutation i the labels shuffled with seed
     * {@code Seeds.derive(seed, PERMUTATION, i)} and the whole nested procedure run again (same fold seeds).
     * {@code threads} workers; {@code done} hears the count of finished permutations.
     */
    public static double[] permutationScores(double[][] x, double[] y, Settings s, int count, int threads, IntConsumer done) {
        double[] out = new double[count];
        AtomicInteger finished = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int at = i;
                jobs.add(ex.submit(() -> {
                    out[at] = run(x, Folds.permuted(y, permutationSeed(s.seed(), at)), s).score();
                    done.accept(finished.incrementAndGet());
                }));
            }
            for (Future<?> j : jobs) j.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            ex.shutdownNow();
        }
        return out;
    }

    public static long permutationSeed(long seed, int i) {
        return Seeds.derive(seed, Seeds.PERMUTATION, i);
    }

    /** (1 + #{permuted score >= observed}) / (1 + N); NaN without permutations. */
    public static double permutationP(double observed, double[] permuted) {
        if (permuted.length == 0) return Double.NaN;
        int ge = 0;
        for (double v : permuted) if (v >= observed) ge++;
        return (1.0 + ge) / (1.0 + permuted.length);
    }

    /** The smaller class's count among 0/1 labels. */
    public static int minority(double[] y) {
        int ones = 0;
        for (double v : y) if (v == 1) ones++;
        return Math.min(ones, y.length - ones);
    }

    static double[] pick(double[] y, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = y[rows[i]];
        return out;
    }

    private static int[] map(int[] base, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = base[idx[i]];
        return out;
    }
}
