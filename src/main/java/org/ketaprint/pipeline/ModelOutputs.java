package org.ketaprint.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ketaprint.model.Metrics;
import org.ketaprint.model.NestedCv;
import org.ketaprint.model.NestedCv.Kind;
import org.ketaprint.report.Html;
import org.ketaprint.report.ModelPage;
import org.ketaprint.table.AtomicFile;
import org.ketaprint.table.Json;
import org.ketaprint.table.Table;

/** The files of {@code ketaprint model}: the tables, model.json and report.html ({@link ModelRunner}). */
final class ModelOutputs {
    private ModelOutputs() {
    }

    static ObjectNode write(Path dir, String name, ModelData d, NestedCv.Settings s, NestedCv.Result res, NestedCv.Tuned fin,
                            double[] perm, ModelRunner.Options o) {
        boolean cls = d.classification;
        String pen = cls ? "C" : "alpha";
        int reps = res.predictions().length;
        Table pred = new Table(new ArrayList<>(List.of("participant_id", "observed", "predicted")));
        for (int r = 0; r < reps; r++) pred.addColumn("repeat_" + (r + 1));
        for (int i = 0; i < d.y.length; i++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("participant_id", d.ids.get(i));
            row.put("observed", Table.format(d.y[i]));
            row.put("predicted", Table.format(res.mean()[i]));
            for (int r = 0; r < reps; r++) row.put("repeat_" + (r + 1), Table.format(res.predictions()[r][i]));
            pred.add(row);
        }
        pred.write(dir.resolve("predictions.tsv"));

        Table folds = new Table(List.of("repeat", "outer_fold", "participant_id", "role", "inner_fold"));
        Table pens = new Table(List.of("repeat", "outer_fold", "n_train", "n_test", "inner_folds", pen, "inner_loss"));
        for (NestedCv.OuterFold f : res.folds()) foldRows(folds, pens, d, f.repeat() + 1, f.fold() + 1, f.test(), f.tuned());
        foldRows(folds, pens, d, 0, 0, new int[0], fin);
        folds.write(dir.resolve("folds.tsv"));
        pens.write(dir.resolve("penalties.tsv"));

        Table coef = new Table(List.of("term", "coefficient", "mean", "sd"));
        coef.add(Map.of("term", "(intercept)", "coefficient", Table.format(fin.coef()[0]), "mean", Table.NA, "sd", Table.NA));
        for (int j = 0; j < d.terms.size(); j++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("term", d.terms.get(j));
            row.put("coefficient", Table.format(fin.coef()[j + 1]));
            row.put("mean", Table.format(fin.scaler().mean[j]));
            row.put("sd", Table.format(fin.scaler().sd[j]));
            coef.add(row);
        }
        coef.write(dir.resolve("coefficients.tsv"));

        Map<String, double[]> metrics = new LinkedHashMap<>();   // name -> {value}
        Map<String, String> notes = new LinkedHashMap<>();
        double[] rep = res.repeatScores();
        String sc = cls ? "auc" : "r2";
        if (cls) {
            Metrics.Auc a = Metrics.delong(d.y, res.mean());
            put(metrics, notes, "auc", a.auc(), "AUC of the out-of-fold probabilities averaged over repeats, all subjects pooled");
            put(metrics, notes, "auc_se", a.se(), "DeLong's standard error of that AUC");
            put(metrics, notes, "auc_ci_low", a.lo(), "95 % CI, DeLong: AUC -/+ 1.96 se, clipped to [0, 1]");
            put(metrics, notes, "auc_ci_high", a.hi(), "upper end of that CI");
        } else {
            put(metrics, notes, "r2", res.score(), "out-of-sample R^2 = 1 - SSE/SST of the predictions averaged over repeats; "
                + "SST about the mean of the whole target");
            put(metrics, notes, "mae", Metrics.mae(d.y, res.mean()), "mean absolute error of those predictions");
        }
        put(metrics, notes, sc + "_repeat_mean", mean(rep), "the " + sc + " of each repeat (its out-of-fold predictions pooled): mean");
        put(metrics, notes, sc + "_repeat_sd", reps > 1 ? Math.sqrt(Metrics.variance(rep)) : Double.NaN, "sd over repeats (ddof 1)");
        put(metrics, notes, sc + "_repeat_min", java.util.Arrays.stream(rep).min().orElse(Double.NaN), "lowest over repeats");
        put(metrics, notes, sc + "_repeat_max", java.util.Arrays.stream(rep).max().orElse(Double.NaN), "highest over repeats");
        if (cls) {
            put(metrics, notes, "balanced_accuracy", Metrics.balancedAccuracy(d.y, res.mean()),
                "(sensitivity + specificity) / 2, class 1 where the averaged probability > 0.5");
            put(metrics, notes, "brier", Metrics.brier(d.y, res.mean()), "mean (probability - class)^2, averaged probabilities");
            put(metrics, notes, "log_loss", Metrics.logLoss(d.y, res.mean()), "mean log-loss of the averaged probabilities");
        }
        double p = NestedCv.permutationP(res.score(), perm);
        put(metrics, notes, "permutation_p", p, perm.length == 0 ? "not run (--permutations N)"
            : "(1 + #{permuted " + sc + " >= observed}) / (1 + " + perm.length + "), labels shuffled and the whole nested CV repeated");
        put(metrics, notes, "n", d.y.length, "subjects used");
        if (cls) put(metrics, notes, "n_class_1", java.util.Arrays.stream(d.y).sum(), "subjects with " + d.target + " = 1");
        Table mt = new Table(List.of("metric", "value", "definition"));
        metrics.forEach((k, v) -> mt.add(Map.of("metric", k, "value", Table.format(v[0]), "definition", notes.get(k))));
        mt.write(dir.resolve("metrics.tsv"));

        Table pt = new Table(List.of("permutation", "seed", sc));
        for (int i = 0; i < perm.length; i++) {
            pt.add(Map.of("permutation", Integer.toString(i + 1), "seed", Long.toString(NestedCv.permutationSeed(s.seed(), i)),
                sc, Table.format(perm[i])));
        }
        pt.write(dir.resolve("permutations.tsv"));

        ObjectNode m = json(name, d, s, res, fin, metrics, notes, perm);
        AtomicFile.write(dir.resolve("model.json"), Json.pretty(m) + "\n");
        AtomicFile.write(dir.resolve("report.html"), page(name, d, s, res, fin, metrics, notes, m));
        return m;
    }

    private static void foldRows(Table folds, Table pens, ModelData d, int r, int f, int[] test, NestedCv.Tuned t) {
        for (int i : test) folds.add(row("repeat", r, "outer_fold", f, "participant_id", d.ids.get(i), "role", "test", "inner_fold", Table.NA));
        for (int k = 0; k < t.train().length; k++) {
            folds.add(row("repeat", r, "outer_fold", f, "participant_id", d.ids.get(t.train()[k]), "role", "train", "inner_fold",
                t.inner()[k] + 1));
        }
        int best = 0;
        while (t.penalties()[best] != t.penalty()) best++;
        pens.add(row("repeat", r, "outer_fold", f, "n_train", t.train().length, "n_test", test.length, "inner_folds", t.innerK(),
            pens.columns().get(5), Table.format(t.penalty()), "inner_loss", Table.format(t.innerLoss()[best])));
    }

    private static Map<String, String> row(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], String.valueOf(kv[i + 1]));
        return m;
    }

    private static void put(Map<String, double[]> m, Map<String, String> notes, String k, double v, String note) {
        m.put(k, new double[] {v});
        notes.put(k, note);
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static ObjectNode json(String name, ModelData d, NestedCv.Settings s, NestedCv.Result res, NestedCv.Tuned fin,
                                   Map<String, double[]> metrics, Map<String, String> notes, double[] perm) {
        boolean cls = d.classification;
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("name", name);
        m.put("target", d.target);
        m.put("kind", cls ? "classification" : "regression");
        m.put("model", cls ? "L2-penalised logistic regression: minimise 0.5 |w|^2 + C sum log-loss, intercept unpenalised "
            + "(scikit-learn LogisticRegression(C, penalty='l2')); Newton's method"
            : "ridge regression: minimise |y - b - Xw|^2 + alpha |w|^2, intercept unpenalised (scikit-learn Ridge(alpha)); closed form");
        m.put("session", d.session);
        m.put("n", d.y.length);
        ArrayNode t = m.putArray("features");
        d.terms.stream().filter(x -> !d.covariateTerms.contains(x)).forEach(t::add);
        ArrayNode c = m.putArray("covariates");
        d.covariateTerms.forEach(c::add);
        ObjectNode cv = m.putObject("cv");
        cv.put("outer", s.outer().describe(s.kind()));
        cv.put("inner", (cls ? "stratified " : "shuffled ") + s.innerK() + "-fold within each outer training set"
            + (cls ? " (fewer folds when its smaller class has fewer subjects)" : ""));
        cv.put("penalty", cls ? "C" : "alpha");
        ArrayNode grid = cv.putArray("grid");
        for (double g : s.grid()) grid.add(g);
        cv.put("tuned_on", (cls ? "mean inner log-loss" : "mean inner squared error") + ", lowest wins, ties to the stronger penalty");
        cv.put("standardised", "within each training set (its mean and population sd), applied to its test rows");
        ObjectNode mj = m.putObject("metrics");
        metrics.forEach((k, v) -> {
            if (k.equals("n") || k.equals("n_class_1")) mj.put(k, (long) v[0]);
            else Json.putNumber(mj, k, v[0]);
        });
        ObjectNode defs = m.putObject("definitions");
        notes.forEach(defs::put);
        ObjectNode f = m.putObject("final_model");
        f.put("fitted_on", "all " + d.y.length + " subjects, penalty chosen by inner CV on all of them; coefficients per sd of each term");
        Json.putNumber(f, cls ? "C" : "alpha", fin.penalty());
        Json.putNumber(f, "intercept", fin.coef()[0]);
        ObjectNode co = f.putObject("coefficients");
        for (int j = 0; j < d.terms.size(); j++) Json.putNumber(co, d.terms.get(j), fin.coef()[j + 1]);
        ArrayNode chosen = m.putArray("chosen_penalties");
        for (NestedCv.OuterFold of : res.folds()) {
            chosen.addObject().put("repeat", of.repeat() + 1).put("outer_fold", of.fold() + 1).put(cls ? "C" : "alpha", of.tuned().penalty());
        }
        m.put("permutations", perm.length);
        m.put("summary", summary(d, metrics));
        ArrayNode lim = m.putArray("limits");
        lim.add("cross-validated within this sample only: no external validation; with tens of subjects the estimate is wide "
            + (cls ? "(see the AUC's CI and its spread over repeats)" : "(see the spread over repeats)"));
        return m;
    }

    static String summary(ModelData d, Map<String, double[]> m) {
        String p = Double.isNaN(m.get("permutation_p")[0]) ? "" : String.format(Locale.ROOT, ", permutation p = %.3g", m.get("permutation_p")[0]);
        if (d.classification) {
            return String.format(Locale.ROOT, "%s: AUC %.3f [%.3f, %.3f] (DeLong), balanced accuracy %.3f, Brier %.3f, n = %d (%d with 1)%s",
                d.target, m.get("auc")[0], m.get("auc_ci_low")[0], m.get("auc_ci_high")[0], m.get("balanced_accuracy")[0],
                m.get("brier")[0], d.y.length, (int) m.get("n_class_1")[0], p);
        }
        return String.format(Locale.ROOT, "%s: R^2 %.3f, MAE %.4g, n = %d%s", d.target, m.get("r2")[0], m.get("mae")[0], d.y.length, p);
    }

    private static String page(String name, ModelData d, NestedCv.Settings s, NestedCv.Result res, NestedCv.Tuned fin,
                               Map<String, double[]> metrics, Map<String, String> notes, ObjectNode m) {
        List<String[]> mt = new ArrayList<>();
        metrics.forEach((k, v) -> mt.add(new String[] {k, Html.num(v[0]), notes.get(k)}));
        List<String[]> coef = new ArrayList<>();
        coef.add(new String[] {"(intercept)", Html.num(fin.coef()[0])});
        for (int j = 0; j < d.terms.size(); j++) coef.add(new String[] {d.terms.get(j), Html.num(fin.coef()[j + 1])});
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("software", "ketaprint " + org.ketaprint.Version.get());
        meta.put("model", m.path("model").asText());
        meta.put("outer CV", m.path("cv").path("outer").asText());
        meta.put("inner CV", m.path("cv").path("inner").asText() + "; " + m.path("cv").path("tuned_on").asText());
        meta.put("session", d.session);
        meta.put("written", java.time.Instant.now().toString());
        double[] pens = res.folds().stream().mapToDouble(f -> f.tuned().penalty()).toArray();
        double[][] roc = d.classification ? Metrics.roc(d.y, res.mean()) : null;
        return ModelPage.html(new ModelPage.Data("Model " + name + " (ketaprint model)", m.path("summary").asText(), meta, d.classification, d.target,
            mt, coef, d.ids, d.y, res.mean(), roc, res.repeatScores(), s.kind() == Kind.CLASSIFICATION ? "C" : "alpha", pens,
            fin.penalty(), List.of(m.path("limits").get(0).asText())));
    }
}
