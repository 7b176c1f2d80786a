package org.ketaprint.pipeline;

import java.nio.file.Files;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.Table;

/**
 * What {@code ketaprint model} fits, read from the group tables: one row per participant (the --session rows of
 * group/features.tsv, plus group/features_change.tsv for {@code _change} columns), the chosen features and the
 * covariates (categorical ones dummy-coded), and the target. The misuse guards are here: post-treatment features
 * without --allow-post, a missing, all-n/a, one-class or text target, text in a feature, too few subjects.
 */
final class ModelData {
    /** Fewest subjects, and fewest of the smaller class, a model is fitted on. */
    static final int MIN_SUBJECTS = 10;
    static final int MIN_CLASS = 3;

    final String target;
    final boolean classification;
    /** participant_id of each row. */
    final List<String> ids = new ArrayList<>();
    /** The model's terms: the features, then the covariate columns (dummies named {@code column[level]}). */
    final List<String> terms = new ArrayList<>();
    final List<String> covariateTerms = new ArrayList<>();
    final double[][] x;
    final double[] y;
    final List<Path> inputs = new ArrayList<>();
    /** The session read (ses-...), or n/a for a table without sessions. */
    final String session;

    private ModelData(String target, boolean classification, String session, double[][] x, double[] y) {
        this.target = target;
        this.classification = classification;
        this.session = session;
        this.x = x;
        this.y = y;
    }

    static ModelData read(Path outRoot, PipelineSpec spec, ModelRunner.Options o, Consumer<String> warn) {
        Path g = outRoot.resolve("group");
        Path wideFile = g.resolve("features.tsv");
        if (!Files.isRegularFile(wideFile)) {
            throw new KetaprintException(wideFile + ": no group table: run the group level first (ketaprint BIDS_DIR OUTPUT_DIR group)");
        }
        Table wide = Table.read(wideFile);
        List<String> featureCols = spec.columns().stream().map(ColumnInfo::column).filter(wide.columns()::contains).toList();
        List<String> participantCols = wide.columns().stream()
            .filter(c -> !c.equals("participant_id") && !c.equals("session_id") && !featureCols.contains(c)).toList();
        String target = o.target;
        if (featureCols.contains(target)) {
            throw new KetaprintException("--target " + target + ": a feature column, not an outcome (targets: responder, remitter, "
                + "madrs_pct_change or a participants.tsv column)");
        }
        if (!participantCols.contains(target)) {
            throw new KetaprintException("--target " + target + ": no such column in " + wideFile + " (outcome columns: "
                + String.join(", ", participantCols) + ")");
        }
        String pre = spec.clinical.get("pre_session");
        String ses = o.session == null ? pre : o.session.startsWith("ses-") ? o.session.substring(4) : o.session;
        boolean sessionless = wide.rows().stream().allMatch(r -> Table.isNa(r.get("session_id")));
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Map<String, String> r : wide.rows()) {
            if (!sessionless && !("ses-" + ses).equals(r.get("session_id"))) continue;
            if (rows.put(r.get("participant_id"), r) != null) {
                throw new KetaprintException(wideFile + ": " + r.get("participant_id") + " has two rows for session " + r.get("session_id"));
            }
        }
        if (rows.isEmpty()) throw new KetaprintException(wideFile + ": no rows with session_id ses-" + ses + " (--session)");
        Path changeFile = g.resolve("features_change.tsv");
        Table change = Files.isRegularFile(changeFile) ? Table.read(changeFile) : null;
        List<String> changeCols = change == null ? List.of() : change.columns().stream().filter(c -> !c.equals("participant_id")).toList();
        List<String> features = select(o.features, featureCols, changeCols);
        checkPost(features, changeCols, sessionless || ses.equals(pre) ? null : "ses-" + ses, o, warn);
        Map<String, Map<String, String>> changeRows = new LinkedHashMap<>();
        if (change != null) for (Map<String, String> r : change.rows()) changeRows.put(r.get("participant_id"), r);

        List<String> covs = o.covariates == null ? List.of() : o.covariates;
        for (String c : covs) {
            if (!participantCols.contains(c) || c.equals(target) || Participants.DERIVED.contains(c)) {
                throw new KetaprintException("--covariates " + c + ": " + (c.equals(target) ? "the target itself"
                    : Participants.DERIVED.contains(c) ? "an outcome, not a covariate" : "no such participants.tsv column in " + wideFile));
            }
        }
        List<String> pids = new ArrayList<>(rows.keySet());
        double[] yAll = target(target, pids, rows, wideFile);
        boolean cls = classes(yAll, target);
        List<String> terms = new ArrayList<>(features);
        List<double[]> cols = new ArrayList<>();
        for (String f : features) {
            double[] v = new double[pids.size()];
            for (int i = 0; i < pids.size(); i++) {
                Map<String, String> src = changeCols.contains(f) ? changeRows.get(pids.get(i)) : rows.get(pids.get(i));
                v[i] = number(src == null ? null : src.get(f), f, pids.get(i), changeCols.contains(f) ? changeFile : wideFile);
            }
            cols.add(v);
        }
        List<String> covTerms = new ArrayList<>();
        for (String c : covs) covariate(c, pids, rows, covTerms, cols);
        terms.addAll(covTerms);

        List<Integer> keep = new ArrayList<>();
        Map<String, Integer> why = new LinkedHashMap<>();
        for (int i = 0; i < pids.size(); i++) {
            String miss = Double.isNaN(yAll[i]) ? target : null;
            for (int j = 0; j < terms.size() && miss == null; j++) if (Double.isNaN(cols.get(j)[i])) miss = terms.get(j);
            if (miss == null) keep.add(i);
            else why.merge(miss, 1, Integer::sum);
        }
        if (!why.isEmpty()) {
            warn.accept((pids.size() - keep.size()) + " of " + pids.size() + " subjects dropped for an n/a value (first n/a column: "
                + why.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("") + ")");
        }
        checkCounts(target, cls, keep.stream().mapToDouble(i -> yAll[i]).toArray());
        List<Integer> used = new ArrayList<>();
        for (int j = 0; j < terms.size(); j++) {
            double[] v = cols.get(j);
            double first = keep.isEmpty() ? 0 : v[keep.get(0)];
            if (keep.stream().allMatch(i -> v[i] == first)) {
                warn.accept("column " + terms.get(j) + " is constant over the " + keep.size() + " subjects used: left out");
            } else {
                used.add(j);
            }
        }
        if (used.isEmpty()) throw new KetaprintException("no feature varies over the " + keep.size() + " subjects with every value");
        double[][] x = new double[keep.size()][used.size()];
        double[] y = new double[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            y[k] = yAll[keep.get(k)];
            for (int j = 0; j < used.size(); j++) x[k][j] = cols.get(used.get(j))[keep.get(k)];
        }
        ModelData d = new ModelData(target, cls, sessionless ? Table.NA : "ses-" + ses, x, y);
        for (int k : keep) d.ids.add(pids.get(k));
        for (int j : used) {
            d.terms.add(terms.get(j));
            if (covTerms.contains(terms.get(j))) d.covariateTerms.add(terms.get(j));
        }
        d.inputs.add(wideFile);
        if (features.stream().anyMatch(changeCols::contains)) d.inputs.add(changeFile);
        return d;
    }

    /** Fewer than 10 subjects, or fewer than 3 in the smaller class: an error. */
    private static void checkCounts(String target, boolean cls, double[] y) {
        if (y.length < MIN_SUBJECTS) {
            throw new KetaprintException(target + ": " + y.length + " subjects with the target and every feature: fewer than "
                + MIN_SUBJECTS + " subjects, too few to cross-validate a model");
        }
        if (cls) {
            int ones = (int) java.util.Arrays.stream(y).filter(v -> v == 1).count();
            if (Math.min(ones, y.length - ones) < MIN_CLASS) {
                throw new KetaprintException(target + ": " + ones + " of " + y.length + " subjects are 1 and " + (y.length - ones)
                    + " are 0: fewer than " + MIN_CLASS + " in the smaller class, too few to cross-validate a classifier");
            }
        }
    }

    /**
     * The features named by --features (names or globs; default: the pipeline's columns), in the order given. A glob
     * matches change columns only when it ends in "change" ({@code *_change}, {@code hippocampus_*_pct_change}).
     */
    private static List<String> select(List<String> given, List<String> featureCols, List<String> changeCols) {
        if (given == null || given.isEmpty()) return featureCols;
        List<String> all = new ArrayList<>(featureCols);
        all.addAll(changeCols);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String p : given) {
            List<String> hit;
            if (p.contains("*") || p.contains("?") || p.contains("[")) {
                java.nio.file.PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p);
                hit = (p.endsWith("change") ? all : featureCols).stream().filter(c -> m.matches(Path.of(c))).toList();
            } else {
                hit = all.contains(p) ? List.of(p) : List.of();
            }
            if (hit.isEmpty()) {
                throw new KetaprintException("--features " + p + ": matches no feature column (the pipeline's columns, and their _change "
                    + "and _pct_change in group/features_change.tsv)");
            }
            out.addAll(hit);
        }
        return new ArrayList<>(out);
    }

    /** A post-treatment feature (a change column, or any column of a session other than the baseline) needs --allow-post. */
    private static void checkPost(List<String> features, List<String> changeCols, String postSession, ModelRunner.Options o,
                                  Consumer<String> warn) {
        String post = features.stream().filter(changeCols::contains).findFirst().orElse(null);
        String what = post == null ? null : "a pre-to-post change (group/features_change.tsv)";
        if (post == null && postSession != null) {
            post = features.get(0);
            what = "measured at " + postSession + ", after treatment (--session)";
        }
        if (post == null) return;
        if (!o.allowPost) {
            throw new KetaprintException("feature " + post + " is " + what + ": a post-treatment value cannot predict " + o.target
                + " at baseline; add --allow-post to use it anyway");
        }
        warn.accept("--allow-post: feature " + post + " is " + what + ": the model does not predict from baseline");
    }

    /** The target of each participant; text is an error naming the column, all n/a too. */
    private static double[] target(String col, List<String> pids, Map<String, Map<String, String>> rows, Path file) {
        double[] y = new double[pids.size()];
        for (int i = 0; i < pids.size(); i++) y[i] = number(rows.get(pids.get(i)).get(col), col, pids.get(i), file);
        if (java.util.Arrays.stream(y).allMatch(Double::isNaN)) {
            throw new KetaprintException("--target " + col + ": every value is n/a in " + file);
        }
        return y;
    }

    /** Whether the target is 0/1 (classification) or continuous; one value, or two other than 0/1, is an error. */
    private static boolean classes(double[] y, String col) {
        TreeSet<Double> v = new TreeSet<>();
        for (double d : y) if (!Double.isNaN(d)) v.add(d);
        if (v.size() == 1) {
            throw new KetaprintException("--target " + col + ": every subject has " + Table.format(v.first())
                + (v.first() == 0 || v.first() == 1 ? ": one class only, nothing to predict" : ": constant, nothing to predict"));
        }
        if (v.size() == 2 && !(v.first() == 0 && v.last() == 1)) {
            throw new KetaprintException("--target " + col + ": two values " + Table.format(v.first()) + " and " + Table.format(v.last())
                + ": code classes as 0 and 1");
        }
        return v.size() == 2;
    }

    /** A cell as a number: n/a is NaN, text an error naming the column. */
    private static double number(String s, String col, String pid, Path file) {
        if (Table.isNa(s)) return Double.NaN;
        double v = Table.decimal(s);
        if (Double.isNaN(v)) {
            throw new KetaprintException(file + ": column " + col + ": '" + s + "' (" + pid + ") is not a number");
        }
        return v;
    }

    /** A covariate: numeric as it is; with text, one 0/1 column per level but the first (sorted), named column[level]. */
    private static void covariate(String c, List<String> pids, Map<String, Map<String, String>> rows, List<String> terms,
                                  List<double[]> cols) {
        List<String> raw = pids.stream().map(p -> rows.get(p).get(c)).toList();
        boolean numeric = raw.stream().allMatch(s -> Table.isNa(s) || !Double.isNaN(Table.decimal(s)));
        if (numeric) {
            terms.add(c);
            cols.add(raw.stream().mapToDouble(s -> Table.isNa(s) ? Double.NaN : Table.decimal(s)).toArray());
            return;
        }
        List<String> levels = new ArrayList<>(new TreeSet<>(raw.stream().filter(s -> !Table.isNa(s)).toList()));
        for (String lv : levels.subList(Math.min(1, levels.size() - 1), levels.size())) {
            terms.add(c + "[" + lv + "]");
            cols.add(raw.stream().mapToDouble(s -> Table.isNa(s) ? Double.NaN : s.equals(lv) ? 1 : 0).toArray());
        }
    }
}
