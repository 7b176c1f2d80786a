package org.ketaprint.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The associations table: per feature and family (baseline, change), the correlations with the outcome
 * (madrs_pct_change), the responder / non-responder comparison, optionally the covariate-adjusted tests, and the
 * Benjamini-Hochberg q of every p within each family. Each test drops missing values pairwise on its own.
 */
public final class Associations {
    public static final String BASELINE = "baseline";
    public static final String CHANGE = "change";
    /** The p columns; each has a q column ({@code _p} -> {@code _q}) computed within a family. */
    static final List<String> P_COLUMNS = List.of("pearson_p", "spearman_p", "welch_p", "mannwhitney_p", "partial_p", "ols_p");

    private Associations() {
    }

    /** One feature of one family; {@code adjusted} null without covariates. */
    public record Row(String feature, String family, Correlation.Pearson pearson, Correlation.Spearman spearman,
                      GroupComparison.Result groups, Adjusted adjusted) {
    }

    /** The covariate-adjusted tests on the n subjects with the feature, the outcome and every covariate. */
    public record Adjusted(int n, List<String> columns, PartialCorrelation.Result partial, Ols.Term ols) {
    }

    /**
     * Tests one feature: per subject its value {@code x}, the outcome {@code y}, {@code responder} (1, 0) and the
     * covariates (none: no adjusted tests); NaN (null for categories) is missing.
     */
    public static Row test(String feature, String family, double[] x, double[] y, double[] responder, List<Covariate> covariates) {
        int n = x.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = responder[i] == 1 ? x[i] : Double.NaN;
            b[i] = responder[i] == 0 ? x[i] : Double.NaN;
        }
        Adjusted adj = covariates.isEmpty() ? null : adjusted(x, y, covariates);
        return new Row(feature, family, Correlation.pearson(x, y), Correlation.spearman(x, y), GroupComparison.compare(a, b), adj);
    }

    private static Adjusted adjusted(double[] x, double[] y, List<Covariate> covariates) {
        int[] rows = java.util.stream.IntStream.range(0, x.length)
            .filter(i -> Double.isFinite(x[i]) && Double.isFinite(y[i]) && covariates.stream().allMatch(c -> c.present(i))).toArray();
        Covariate.Design d = Covariate.design(covariates, rows);
        double[] xs = new double[rows.length];
        double[] ys = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            xs[k] = x[rows[k]];
            ys[k] = y[rows[k]];
        }
        double[][] cols = new double[d.columns().length + 1][];
        cols[0] = xs;
        System.arraycopy(d.columns(), 0, cols, 1, d.columns().length);
        return new Adjusted(rows.length, d.names(), PartialCorrelation.of(xs, ys, d.columns()), Ols.term(ys, cols, 0));
    }

    /** The table's columns; the adjusted ones only with covariates. */
    public static List<String> columns(boolean covariates) {
        return Dictionary.COLUMNS.keySet().stream().filter(c -> covariates || !Dictionary.ADJUSTED.contains(c)).toList();
    }

    /** The cells of each row (Integer, Double with NaN for n/a, String or null), q-values per family added. */
    public static List<Map<String, Object>> cells(List<Row> rows, boolean covariates) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) out.add(cells(r, covariates));
        for (String family : List.of(BASELINE, CHANGE)) {
            List<Map<String, Object>> f = out.stream().filter(m -> family.equals(m.get("family"))).toList();
            for (String pc : P_COLUMNS) {
                if (!covariates && Dictionary.ADJUSTED.contains(pc)) continue;
                double[] q = MultipleTesting.benjaminiHochberg(f.stream().mapToDouble(m -> (Double) m.get(pc)).toArray());
                for (int i = 0; i < q.length; i++) f.get(i).put(pc.replace("_p", "_q"), q[i]);
            }
        }
        List<Map<String, Object>> ordered = new ArrayList<>();
        for (Map<String, Object> m : out) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (String c : columns(covariates)) o.put(c, m.get(c));
            ordered.add(o);
        }
        return ordered;
    }

    private static Map<String, Object> cells(Row r, boolean covariates) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        m.put("feature", r.feature());
        m.put("family", r.family());
        Correlation.Pearson p = r.pearson();
        Correlation.Spearman s = r.spearman();
        m.put("n", p.n());
        m.put("pearson_r", p.r());
        m.put("pearson_ci_low", p.ciLow());
        m.put("pearson_ci_high", p.ciHigh());
        m.put("pearson_p", p.p());
        m.put("spearman_rho", s.rho());
        m.put("spearman_p", s.p());
        if (s.note() != null && s.note().equals(p.note())) {
            notes.add("correlations: " + p.note());
        } else {
            if (p.note() != null) notes.add("pearson: " + p.note());
            if (s.note() != null) notes.add("spearman: " + s.note());
        }
        GroupComparison.Result g = r.groups();
        m.put("n_responders", g.nA());
        m.put("n_nonresponders", g.nB());
        m.put("mean_responders", g.meanA());
        m.put("mean_nonresponders", g.meanB());
        m.put("hedges_g", g.g());
        m.put("hedges_g_ci_low", g.gLow());
        m.put("hedges_g_ci_high", g.gHigh());
        m.put("welch_p", g.welchP());
        m.put("mannwhitney_p", g.mannWhitneyP());
        if (g.note() != null) notes.add("groups: " + g.note());
        Adjusted a = r.adjusted();
        if (covariates && a != null) {
            m.put("n_adjusted", a.n());
            m.put("partial_r", a.partial().r());
            m.put("partial_p", a.partial().p());
            m.put("ols_t", a.ols().t());
            m.put("ols_p", a.ols().p());
            if (a.partial().note() != null) notes.add("partial: " + a.partial().note());
            if (a.ols().note() != null) notes.add("ols: " + a.ols().note());
        }
        m.put("note", notes.isEmpty() ? null : String.join("; ", notes));
        return m;
    }
}
