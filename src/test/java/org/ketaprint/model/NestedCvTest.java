package org.ketaprint.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The nested procedure: no test row in any scaling or fit, the planted feature found, null near chance, seeds. */
class NestedCvTest {
    private static NestedCv.Settings settings(NestedCv.Kind kind, String cv, double[] grid, long seed) {
        return new NestedCv.Settings(kind, NestedCv.Scheme.parse(cv), 5, grid, seed);
    }

    /** Planted data with one subject's noise feature far out, so that scaling with it shifts every prediction. */
    private static Planted.Data withOutlier() {
        Planted.Data d = Planted.data(40, 0.79, 5);
        d.x()[7][1] = 5000;
        return d;
    }

    @Test
    void outerTestRowsNeverScaleOrFit() {
        Planted.Data d = withOutlier();
        NestedCv.Settings s = settings(NestedCv.Kind.CLASSIFICATION, "kfold:5:2", new double[] {1.0}, 11);
        NestedCv.Result res = NestedCv.run(d.x(), d.y(), s);
        double leak = 0;
        for (NestedCv.OuterFold f : res.folds()) {
            int[] train = f.tuned().train();
            Scaler sc = Scaler.fit(d.x(), train);
            double[] coef = Logistic.fit(sc.apply(d.x(), train), NestedCv.pick(d.y(), train), 1.0, null);
            int[] all = java.util.stream.IntStream.range(0, 40).toArray();
            Scaler leaky = Scaler.fit(d.x(), all);
            double[] leakyCoef = Logistic.fit(leaky.apply(d.x(), train), NestedCv.pick(d.y(), train), 1.0, null);
            for (int i : f.test()) {
                assertTrue(Arrays.stream(train).noneMatch(t -> t == i), "test row " + i + " in its training set");
                assertEquals(Logistic.probability(coef, sc.apply(d.x()[i])), res.predictions()[f.repeat()][i], 1e-12);
                leak = Math.max(leak, Math.abs(Logistic.probability(leakyCoef, leaky.apply(d.x()[i])) - res.predictions()[f.repeat()][i]));
            }
        }
        assertTrue(leak > 1e-3, "the check would not see scaling with all rows (max difference " + leak + ")");
    }

    @Test
    void innerLossesUseInnerTrainingRowsOnly() {
        Planted.Data d = withOutlier();
        NestedCv.Settings s = settings(NestedCv.Kind.CLASSIFICATION, "kfold:5", new double[] {0.01, 1.0}, 2);
        int[] train = java.util.stream.IntStream.range(0, 40).filter(i -> i % 5 != 0).toArray();
        NestedCv.Tuned t = NestedCv.tune(d.x(), d.y(), train, 99, s);
        assertArrayEquals(new double[] {0.01, 1.0}, t.penalties(), 0);
        for (int g = 0; g < 2; g++) {
            double loss = 0;
            for (int f = 0; f < t.innerK(); f++) {
                int ff = f;
                int[] tr = java.util.stream.IntStream.range(0, train.length).filter(k -> t.inner()[k] != ff).map(k -> train[k]).toArray();
                int[] te = java.util.stream.IntStream.range(0, train.length).filter(k -> t.inner()[k] == ff).map(k -> train[k]).toArray();
                Scaler sc = Scaler.fit(d.x(), tr);
                double[] c = Logistic.fit(sc.apply(d.x(), tr), NestedCv.pick(d.y(), tr), t.penalties()[g], null);
                double[] p = Arrays.stream(te).mapToDouble(i -> Logistic.probability(c, sc.apply(d.x()[i]))).toArray();
                loss += Metrics.logLoss(NestedCv.pick(d.y(), te), p) / t.innerK();
            }
            assertEquals(loss, t.innerLoss()[g], 1e-9, "inner loss at C = " + t.penalties()[g]);
        }
        int best = t.innerLoss()[0] <= t.innerLoss()[1] ? 0 : 1;
        assertEquals(t.penalties()[best], t.penalty(), 0);
    }

    @Test
    void thePlantedFeatureGivesAHighAucWithKfoldAndLeaveOneOut() {
        Planted.Data d = Planted.data(40, 0.79, 1);
        for (String cv : new String[] {"kfold:5:10", "loo"}) {
            NestedCv.Result r = NestedCv.run(d.x(), d.y(), settings(NestedCv.Kind.CLASSIFICATION, cv, NestedCv.GRID, 0));
            assertTrue(r.score() > 0.8, cv + ": AUC " + r.score());
        }
        NestedCv.Tuned fin = NestedCv.fitAll(d.x(), d.y(), settings(NestedCv.Kind.CLASSIFICATION, "kfold:5", NestedCv.GRID, 0));
        for (int j = 2; j <= Planted.FEATURES.length; j++) {
            assertTrue(Math.abs(fin.coef()[1]) > Math.abs(fin.coef()[j]), "coefficient " + j + " " + Arrays.toString(fin.coef()));
        }
        assertTrue(fin.coef()[1] > 0, "the planted feature's sign");
    }

    @Test
    void nullTablesScoreNearChance() {
        double sum = 0;
        for (long seed = 100; seed < 106; seed++) {
            Planted.Data d = Planted.data(40, 0, seed);
            sum += NestedCv.run(d.x(), d.y(), settings(NestedCv.Kind.CLASSIFICATION, "kfold:5:2", NestedCv.GRID, seed)).score();
        }
        assertEquals(0.5, sum / 6, 0.12, "mean AUC over 6 null tables");
    }

    @Test
    void ridgeFindsAContinuousSignal() {
        Planted.Data d = Planted.data(40, 0.79, 4);
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) y[i] = -50 + (d.x()[i][0] - 4000) / 20;
        NestedCv.Result r = NestedCv.run(d.x(), y, settings(NestedCv.Kind.REGRESSION, "kfold:5:3", NestedCv.GRID, 0));
        assertTrue(r.score() > 0.9, "R^2 " + r.score());
        assertEquals(3, r.repeatScores().length);
    }

    @Test
    void sameSeedSameResultAndPermutationsAreThreadIndependent() {
        Planted.Data d = Planted.data(30, 0.6, 8);
        NestedCv.Settings s = settings(NestedCv.Kind.CLASSIFICATION, "kfold:3:2", NestedCv.GRID, 42);
        assertArrayEquals(NestedCv.run(d.x(), d.y(), s).mean(), NestedCv.run(d.x(), d.y(), s).mean(), 0);
        assertTrue(!Arrays.equals(NestedCv.run(d.x(), d.y(), s).outerSeeds(),
            NestedCv.run(d.x(), d.y(), settings(NestedCv.Kind.CLASSIFICATION, "kfold:3:2", NestedCv.GRID, 43)).outerSeeds()));
        double[] one = NestedCv.permutationScores(d.x(), d.y(), s, 4, 1, k -> { });
        double[] two = NestedCv.permutationScores(d.x(), d.y(), s, 4, 2, k -> { });
        assertArrayEquals(one, two, 0);
    }
}
