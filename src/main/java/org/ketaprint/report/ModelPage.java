package org.ketaprint.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The page of one {@code ketaprint model} run ({@code group/model/NAME/report.html}), self-contained like
 * {@link SessionPage}: the metrics with their definitions, the ROC curve and the out-of-fold probabilities by class
 * (classification) or the predictions against the observed values (regression), the score of each repeat, the
 * penalty chosen in each outer fold, the final model's coefficients and every subject's prediction.
 */
public final class ModelPage {
    /**
     * summary: the result in one line; metrics: {name, value, definition}; coefficients: {term, value}, intercept first; roc: {fpr[], tpr[]} (null for
     * regression); predicted: the out-of-fold predictions averaged over repeats; penalties: the one chosen per outer fold.
     */
    public record Data(String title, String summary, Map<String, String> meta, boolean classification, String target, List<String[]> metrics,
                       List<String[]> coefficients, List<String> ids, double[] observed, double[] predicted, double[][] roc,
                       double[] repeatScores, String penaltyName, double[] penalties, double finalPenalty, List<String> limits) {
    }

    private static final String C0 = "#c51b7d";
    private static final String C1 = "#1b7837";
    private static final String LINE = "#4a6fa5";
    private static final String STYLE = ".limits{color:#8a5300}\n";

    private ModelPage() {
    }

    public static String html(Data d) {
        StringBuilder b = new StringBuilder(1 << 15);
        SessionPage.head(b, d.title(), STYLE);
        b.append("<h1>").append(Html.esc(d.title())).append("</h1>\n<p class=\"summary\"><b>").append(Html.esc(d.summary()))
            .append("</b></p>\n<p>");
        d.meta().forEach((k, v) -> b.append("<b>").append(Html.esc(k)).append(":</b> ").append(Html.esc(v)).append(" &nbsp; "));
        b.append("</p>\n");
        for (String l : d.limits()) b.append("<p class=\"limits\">Limits: ").append(Html.esc(l)).append("</p>\n");
        b.append("<h2 id=\"metrics\">Out-of-sample performance</h2>\n<table class=\"metrics\"><tr><th>metric</th><th>value</th>")
            .append("<th>definition</th></tr>\n");
        for (String[] m : d.metrics()) {
            b.append("<tr data-metric=\"").append(Html.esc(m[0])).append("\"><td>").append(Html.esc(m[0])).append("</td><td>")
                .append(Html.esc(m[1])).append("</td><td>").append(Html.esc(m[2])).append("</td></tr>\n");
        }
        b.append("</table>\n<div class=\"figs\">\n");
        if (d.classification()) {
            b.append(roc(d)).append('\n').append(byClass(d)).append('\n');
        } else {
            b.append(calibration(d)).append('\n');
        }
        if (d.repeatScores().length > 1) b.append(repeats(d)).append('\n');
        b.append(penalties(d)).append("\n</div>\n");
        coefficients(b, d);
        b.append("<details><summary>Out-of-fold predictions (").append(d.ids().size()).append(" subjects, averaged over repeats)</summary>")
            .append("<table class=\"predictions\"><tr><th>participant_id</th><th>").append(Html.esc(d.target()))
            .append("</th><th>").append(d.classification() ? "probability of 1" : "predicted").append("</th></tr>\n");
        for (int i = 0; i < d.ids().size(); i++) {
            b.append("<tr><td>").append(Html.esc(d.ids().get(i))).append("</td><td>").append(Html.full(d.observed()[i])).append("</td><td>")
                .append(Html.num(d.predicted()[i])).append("</td></tr>\n");
        }
        b.append("</table></details>\n</body>\n</html>\n");
        return b.toString();
    }

    private static String roc(Data d) {
        Plot p = new Plot("roc", 300, 280, 0, 1, 0, 1).labels("ROC", "false positive rate", "true positive rate");
        p.segment("chance", 0, 0, 1, 1, "#999999");
        p.line("roc", d.roc()[0], d.roc()[1], LINE);
        return p.svg();
    }

    private static String byClass(Data d) {
        Plot p = new Plot("probability", 260, 280, -0.5, 1.5, 0, 1).labels("Out-of-fold probability by class", d.target(), "")
            .categories("0", "1");
        p.hline("threshold", 0.5, "#999999", "0.5");
        for (int c = 0; c <= 1; c++) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < d.observed().length; i++) if (d.observed()[i] == c) at.add(i);
            double[] xs = new double[at.size()];
            double[] ys = new double[at.size()];
            String[] t = new String[at.size()];
            for (int k = 0; k < at.size(); k++) {
                xs[k] = c + (at.size() <= 1 ? 0 : -0.3 + 0.6 * k / (at.size() - 1));
                ys[k] = d.predicted()[at.get(k)];
                t[k] = d.ids().get(at.get(k)) + ": " + Html.num(ys[k]);
            }
            p.points("class " + c, "subject", xs, ys, c == 1 ? C1 : C0, t);
        }
        return p.svg();
    }

    private static String calibration(Data d) {
        double[] r = Plot.range(d.observed(), d.predicted());
        Plot p = new Plot("calibration", 320, 300, r[0], r[1], r[0], r[1]).labels("Predicted (out-of-fold) against observed",
            d.target() + " observed", "predicted");
        p.segment("identity", r[0], r[0], r[1], r[1], "#999999");
        String[] t = new String[d.ids().size()];
        for (int i = 0; i < t.length; i++) t[i] = d.ids().get(i) + ": observed " + Html.full(d.observed()[i]) + ", predicted " + Html.num(d.predicted()[i]);
        p.points("subjects", "subject", d.observed(), d.predicted(), LINE, t);
        return p.svg();
    }

    private static String repeats(Data d) {
        double[] v = d.repeatScores();
        double[] r = Plot.range(v);
        String what = d.classification() ? "AUC" : "R^2";
        Plot p = new Plot("repeats", 220, 280, -0.5, 0.5, r[0], r[1]).labels(what + " of each repeat", "repeats", "").categories("");
        double[] xs = new double[v.length];
        String[] t = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            xs[i] = v.length <= 1 ? 0 : -0.3 + 0.6 * i / (v.length - 1);
            t[i] = "repeat " + (i + 1) + ": " + Html.num(v[i]);
        }
        p.points("repeats", "repeat", xs, v, LINE, t);
        return p.svg();
    }

    private static String penalties(Data d) {
        double[] lg = java.util.Arrays.stream(d.penalties()).map(Math::log10).toArray();
        Plot p = new Plot("penalties", 260, 280, -0.5, 0.5, -4.2, 4.2).labels("Chosen " + d.penaltyName() + " per outer fold",
            "outer folds", "log10 " + d.penaltyName()).categories("");
        p.hline("final", Math.log10(d.finalPenalty()), "#999999", "final model");
        double[] xs = new double[lg.length];
        String[] t = new String[lg.length];
        for (int i = 0; i < lg.length; i++) {
            xs[i] = lg.length <= 1 ? 0 : -0.3 + 0.6 * i / (lg.length - 1);
            t[i] = "fold " + (i + 1) + ": " + d.penaltyName() + " = " + Html.num(d.penalties()[i]);
        }
        p.points("penalties", "penalty", xs, lg, LINE, t);
        return p.svg();
    }

    private static void coefficients(StringBuilder b, Data d) {
        b.append("<h2 id=\"coefficients\">Final model (all subjects, ").append(Html.esc(d.penaltyName())).append(" = ")
            .append(Html.num(d.finalPenalty())).append(")</h2>\n<p>Coefficients per standard deviation of each term (standardised units), ")
            .append(d.classification() ? "on the log-odds of " + Html.esc(d.target()) + " = 1" : "in units of " + Html.esc(d.target()))
            .append("; largest |coefficient| first.</p>\n<table class=\"coefficients\"><tr><th>term</th><th>coefficient</th></tr>\n");
        List<String[]> rows = new ArrayList<>(d.coefficients().subList(1, d.coefficients().size()));
        rows.sort(Comparator.comparingDouble((String[] r) -> -Math.abs(Double.parseDouble(r[1]))));
        rows.add(0, d.coefficients().get(0));
        for (String[] r : rows) {
            b.append("<tr data-term=\"").append(Html.esc(r[0])).append("\"><td>").append(Html.esc(r[0])).append("</td><td>")
                .append(Html.esc(r[1])).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }
}
