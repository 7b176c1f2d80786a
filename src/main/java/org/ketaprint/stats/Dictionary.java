package org.ketaprint.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The associations table's data dictionary (BIDS style: per column a Description, and Units where it has some). */
public final class Dictionary {
    private static final String Q = "Benjamini-Hochberg q of %s across the features of this family (statsmodels'"
        + " multipletests fdr_bh; n/a p-values left out).";
    /** Column -> {description, units or null}; the order of the table. */
    static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();
    static final Set<String> ADJUSTED = Set.of("n_adjusted", "partial_r", "partial_p", "partial_q", "ols_t", "ols_p", "ols_q");

    static {
        put("feature", "The feature (a column of group/features.tsv).", null);
        put("family", "baseline: the feature at the pipeline's clinical pre_session; change: post - pre"
            + " (group/features_change.tsv's <feature>_change). q-values are computed within a family.", null);
        put("n", "Subjects with the feature and madrs_pct_change (missing values dropped pairwise): the n of the Pearson"
            + " and Spearman correlations.", "subjects");
        put("pearson_r", "Pearson correlation of the feature with madrs_pct_change (100 (follow-up - baseline) / baseline:"
            + " negative is improvement, so r < 0 means higher values go with more improvement).", "1");
        put("pearson_ci_low", "Lower bound of the 95 % CI of pearson_r by Fisher's z: tanh(atanh(r) - z / sqrt(n - 3)),"
            + " z = 1.959963984540054 (the normal 0.975 quantile); n/a for n < 4.", "1");
        put("pearson_ci_high", "Upper bound of the same CI: tanh(atanh(r) + z / sqrt(n - 3)).", "1");
        put("pearson_p", "Two-sided p of pearson_r: t = r sqrt((n - 2) / (1 - r^2)) on n - 2 df (scipy.stats.pearsonr's"
            + " beta distribution, the same test).", "1");
        put("pearson_q", String.format(Q, "pearson_p"), "1");
        put("spearman_rho", "Spearman correlation (Pearson r of average ranks) of the feature with madrs_pct_change.", "1");
        put("spearman_p", "Two-sided p of spearman_rho: t = rho sqrt((n - 2) / (1 - rho^2)) on n - 2 df, as"
            + " scipy.stats.spearmanr (approximate for small n).", "1");
        put("spearman_q", String.format(Q, "spearman_p"), "1");
        put("n_responders", "Responders with the feature (responder = 1).", "subjects");
        put("n_nonresponders", "Non-responders with the feature (responder = 0).", "subjects");
        put("mean_responders", "Mean of the feature over responders.", "the feature's (its Units in the sessions' _features.json)");
        put("mean_nonresponders", "Mean of the feature over non-responders.", "the feature's (its Units in the sessions' _features.json)");
        put("hedges_g", "Hedges' g of responders minus non-responders: (mean_responders - mean_nonresponders) / pooled SD"
            + " (df = n1 + n2 - 2) times the exact correction J = Gamma(df / 2) / (sqrt(df / 2) Gamma((df - 1) / 2)).", "1");
        put("hedges_g_ci_low", "Lower bound of the 95 % CI of hedges_g: g - z SE, SE = sqrt((n1 + n2) / (n1 n2)"
            + " + g^2 / (2 (n1 + n2))) (the large-sample SE, Hedges and Olkin 1985), z = 1.959963984540054.", "1");
        put("hedges_g_ci_high", "Upper bound of the same CI: g + z SE.", "1");
        put("welch_p", "Two-sided p of Welch's t-test of responders vs non-responders (unequal variances,"
            + " Welch-Satterthwaite df), as scipy.stats.ttest_ind(equal_var=False).", "1");
        put("welch_q", String.format(Q, "welch_p"), "1");
        put("mannwhitney_p", "Two-sided p of the Mann-Whitney U test of responders vs non-responders: normal approximation"
            + " with continuity correction and tie-corrected variance, as scipy.stats.mannwhitneyu(alternative='two-sided',"
            + " use_continuity=True, method='asymptotic') (not the exact test, approximate for small groups).", "1");
        put("mannwhitney_q", String.format(Q, "mannwhitney_p"), "1");
        put("n_adjusted", "Subjects with the feature, madrs_pct_change and every covariate (%s).", "subjects");
        put("partial_r", "Partial correlation of the feature and madrs_pct_change given the covariates (%s): Pearson r"
            + " of the residuals of each regressed (OLS) on 1 + covariates. Categorical covariates are dummy-coded over the"
            + " subjects used: one 0/1 column per level except the reference, the first level in sorted order.", "1");
        put("partial_p", "Two-sided p of partial_r: t = r sqrt(df / (1 - r^2)), df = n_adjusted - 2 - k, k the covariate"
            + " columns after dummy coding.", "1");
        put("partial_q", String.format(Q, "partial_p"), "1");
        put("ols_t", "t of the feature in the OLS fit madrs_pct_change ~ 1 + feature + covariates (%s), on"
            + " n_adjusted - 2 - k df; the same t as partial_r's test.", "1");
        put("ols_p", "Two-sided p of ols_t (equal to partial_p).", "1");
        put("ols_q", String.format(Q, "ols_p"), "1");
        put("note", "Why cells are n/a, per test (too few values, no spread, collinear covariates); n/a when none.", null);
    }

    private Dictionary() {
    }

    private static void put(String c, String d, String u) {
        COLUMNS.put(c, new String[] {d, u});
    }

    /** Column -> {Description, Units, Levels}, for the given covariates (none: no adjusted columns). */
    public static Map<String, Map<String, Object>> of(List<String> covariates) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String c : Associations.columns(!covariates.isEmpty())) {
            Map<String, Object> e = new LinkedHashMap<>();
            String[] du = COLUMNS.get(c);
            e.put("Description", du[0].contains("%s") ? String.format(du[0], String.join(", ", covariates)) : du[0]);
            if (du[1] != null) e.put("Units", du[1]);
            if (c.equals("family")) {
                Map<String, String> levels = new LinkedHashMap<>();
                levels.put(Associations.BASELINE, "the feature at the pre-treatment session");
                levels.put(Associations.CHANGE, "post - pre");
                e.put("Levels", levels);
            }
            out.put(c, e);
        }
        return out;
    }
}
