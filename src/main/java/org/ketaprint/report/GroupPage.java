package org.ketaprint.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The group level's QC page ({@code OUTPUT_DIR/group/report.html}), self-contained like {@link SessionPage}: the
 * outliers, the failures, a link to every subject-session page, then one row per feature: a strip plot of every
 * subject-session by session with the outliers flagged, each subject's pre-to-post line, and the baseline value
 * against the MADRS percent change by responder.
 *
 * <p>Outliers: the modified z-score of Iglewicz and Hoaglin (1993), z = 0.6745 (x - median) / MAD with MAD = median
 * |x - median|, over one feature's values within one session (pre among pre, post among post; n/a left out). A value
 * is flagged when |z| > 3.5. Where MAD = 0, z is undefined and nothing is flagged.
 */
public final class GroupPage {
    /** The modified z-score's constant: the 0.75 quantile of the standard normal (MAD/0.6745 estimates sigma). */
    public static final double K = 0.6745;
    /** Flagged when |z| > LIMIT. */
    public static final double LIMIT = 3.5;

    /** One subject-session's values, in the features' order (NaN: n/a); session "n/a" without sessions. */
    public record Row(String participant, String session, double[] values) {
    }

    /** A participant's MADRS percent change (NaN: n/a) and responder ("1", "0", else n/a). */
    public record Outcome(double pctChange, String responder) {
    }

    /** A subject-session's page: its link from the group folder and whether the file exists. */
    public record Page(String participant, String session, String href, boolean exists) {
    }

    public record Outlier(String feature, String participant, String session, double value, double z) {
    }

    /**
     * What the page shows. {@code pre}/{@code post}: the session ids (ses-...) of the pre/post lines; failures:
     * {participant_id, session_id, stage, status, reason}; outcomes by participant_id.
     */
    public record Data(String title, Map<String, String> meta, List<String> features, String pre, String post, List<Row> rows,
                       Map<String, Outcome> outcomes, List<String[]> failures, List<Page> pages) {
    }

    static final String DEFINITION = "Outliers: the modified z-score of Iglewicz and Hoaglin, z = 0.6745 (x \u2212 median) / MAD, "
        + "MAD = median |x \u2212 median|, computed per feature over the values of each session separately (n/a left out); "
        + "flagged when |z| > 3.5. Where MAD = 0 z is undefined and nothing is flagged.";
    private static final String POINT = "#4a6fa5";
    private static final String OUTLIER = "#d62728";
    private static final String RESPONDER = "#1b7837";
    private static final String NONRESPONDER = "#c51b7d";
    private static final String NA = "#999999";
    private static final String STYLE = ".feature{border-top:1px solid #ccc;margin-top:1em}.missing{color:#b00020}"
        + ".cap{font-size:.8em;color:#555;margin:.2em 0}\n";

    private GroupPage() {
    }

    /** The median of finite values, sorted ascending (NaN if none). */
    static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The modified z-score of each value (NaN for n/a; NaN for all when MAD = 0 or nothing is finite). */
    public static double[] modifiedZ(double[] x) {
        double[] v = Arrays.stream(x).filter(Double::isFinite).sorted().toArray();
        double med = median(v);
        double mad = median(Arrays.stream(v).map(a -> Math.abs(a - med)).sorted().toArray());
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) z[i] = Double.isFinite(x[i]) && mad > 0 ? K * (x[i] - med) / mad : Double.NaN;
        return z;
    }

    /** Whether a modified z-score flags its value. */
    public static boolean flagged(double z) {
        return Math.abs(z) > LIMIT;
    }

    /** Feature {@code f}'s z of every row among its session's rows; the sessions with MAD = 0 are added to {@code mad0}. */
    static double[] zByRow(List<Row> rows, int f, List<String> sessions, List<String> mad0) {
        double[] z = new double[rows.size()];
        Arrays.fill(z, Double.NaN);
        for (String s : sessions) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) if (rows.get(i).session().equals(s)) at.add(i);
            double[] x = at.stream().mapToDouble(i -> rows.get(i).values()[f]).toArray();
            double[] zs = modifiedZ(x);
            if (Arrays.stream(x).filter(Double::isFinite).count() > 0 && Arrays.stream(zs).allMatch(Double::isNaN)) mad0.add(s);
            for (int k = 0; k < at.size(); k++) z[at.get(k)] = zs[k];
        }
        return z;
    }

    /** The sessions in plotting order: pre, post, then the others as the rows first name them. */
    public static List<String> sessions(List<Row> rows, String pre, String post) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (Row r : rows) all.add(r.session());
        List<String> out = new ArrayList<>();
        for (String s : new String[] {pre, post}) if (all.remove(s)) out.add(s);
        out.addAll(all);
        return out;
    }

    /** The flagged values in feature order, then participant, then session (in {@link #sessions} order). */
    public static List<Outlier> outliers(List<String> features, List<Row> rows, String pre, String post) {
        List<String> sessions = sessions(rows, pre, post);
        List<Outlier> out = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            double[] z = zByRow(rows, f, sessions, new ArrayList<>());
            List<Outlier> these = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (flagged(z[i])) these.add(new Outlier(features.get(f), r.participant(), r.session(), r.values()[f], z[i]));
            }
            these.sort(Comparator.comparing(Outlier::participant).thenComparing(o -> sessions.indexOf(o.session())));
            out.addAll(these);
        }
        return out;
    }

    public static String html(Data d) {
        List<String> sessions = sessions(d.rows(), d.pre(), d.post());
        List<Outlier> outliers = outliers(d.features(), d.rows(), d.pre(), d.post());
        StringBuilder b = new StringBuilder(1 << 16);
        SessionPage.head(b, d.title(), STYLE);
        b.append("<h1>").append(Html.esc(d.title())).append("</h1>\n<p>");
        d.meta().forEach((k, v) -> b.append("<b>").append(Html.esc(k)).append(":</b> ").append(Html.esc(v)).append(" &nbsp; "));
        long subjects = d.rows().stream().map(Row::participant).distinct().count();
        b.append("</p>\n<p>").append(d.rows().size()).append(" subject-sessions of ").append(subjects).append(" participants, ")
            .append(d.features().size()).append(" features, ").append(outliers.size()).append(" outliers, ")
            .append(d.failures().size()).append(" rows in failures.tsv.</p>\n");
        outlierSection(b, d, sessions, outliers);
        failures(b, d.failures());
        pages(b, d.pages());
        b.append(MODELS_START).append(MODELS_END);
        b.append("<h2 id=\"features\">Features</h2>\n<p class=\"legend\">").append(dot(POINT, "value"))
            .append(dot(OUTLIER, "outlier (|z| > 3.5)")).append(dot(RESPONDER, "responder")).append(dot(NONRESPONDER, "non-responder"))
            .append(dot(NA, "responder n/a")).append("</p>\n");
        Map<List<String>, Row> at = new java.util.HashMap<>();   // (participant, session) -> its first row
        for (Row r : d.rows()) at.putIfAbsent(List.of(r.participant(), r.session()), r);
        for (int f = 0; f < d.features().size(); f++) feature(b, d, at, sessions, f);
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    static final String MODELS_START = "<!-- models -->\n";
    static final String MODELS_END = "<!-- /models -->\n";

    /**
     * The page with its Models section (between the markers html() writes; before the Features heading in a page
     * without them) listing {@code models}: {name, href, summary}; none: no section.
     */
    public static String withModels(String page, List<String[]> models) {
        StringBuilder s = new StringBuilder(MODELS_START);
        if (!models.isEmpty()) {
            s.append("<h2 id=\"models\">Models (ketaprint model)</h2>\n<table class=\"models\"><tr><th>model</th><th>summary</th></tr>\n");
            for (String[] m : models) {
                s.append("<tr><td><a href=\"").append(Html.esc(m[1])).append("\">").append(Html.esc(m[0])).append("</a></td><td>")
                    .append(Html.esc(m[2])).append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        s.append(MODELS_END);
        int a = page.indexOf(MODELS_START);
        int e = page.indexOf(MODELS_END);
        if (a >= 0 && e > a) return page.substring(0, a) + s + page.substring(e + MODELS_END.length());
        int f = page.indexOf("<h2 id=\"features\">");
        if (f < 0) f = page.lastIndexOf("</body>");
        return f < 0 ? page + s : page.substring(0, f) + s + page.substring(f);
    }

    private static String dot(String colour, String what) {
        return "<span><span style=\"color:" + colour + "\">\u25cf</span> " + Html.esc(what) + "</span>";
    }

    private static void outlierSection(StringBuilder b, Data d, List<String> sessions, List<Outlier> outliers) {
        b.append("<h2 id=\"outliers\">Outliers</h2>\n<p class=\"definition\">").append(Html.esc(DEFINITION)).append("</p>\n");
        List<String> mad0 = new ArrayList<>();
        for (int f = 0; f < d.features().size(); f++) {
            List<String> s = new ArrayList<>();
            zByRow(d.rows(), f, sessions, s);
            for (String x : s) mad0.add(d.features().get(f) + " (" + x + ")");
        }
        if (!mad0.isEmpty()) {
            b.append("<p class=\"mad0\">MAD = 0, nothing flagged: ").append(Html.esc(String.join(", ", mad0))).append("</p>\n");
        }
        if (outliers.isEmpty()) {
            b.append("<p class=\"ok\">No outliers.</p>\n");
            return;
        }
        b.append("<table class=\"outliers\"><tr><th>feature</th><th>participant_id</th><th>session_id</th><th>value</th><th>z</th></tr>\n");
        for (Outlier o : outliers) {
            b.append("<tr class=\"bad\" data-z=\"").append(o.z()).append("\"><td><a href=\"#f-").append(Html.esc(o.feature())).append("\">")
                .append(Html.esc(o.feature())).append("</a></td><td>").append(Html.esc(o.participant())).append("</td><td>")
                .append(Html.esc(o.session())).append("</td><td>").append(Html.full(o.value())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.2f", o.z())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void failures(StringBuilder b, List<String[]> failures) {
        b.append("<h2 id=\"failures\">Failures (failures.tsv)</h2>\n");
        if (failures.isEmpty()) {
            b.append("<p class=\"ok\">None: every subject-session has outputs and every stage ran.</p>\n");
            return;
        }
        b.append("<table class=\"failures\"><tr><th>participant_id</th><th>session_id</th><th>stage</th><th>status</th>")
            .append("<th>reason</th></tr>\n");
        for (String[] r : failures) {
            b.append("<tr class=\"bad\">");
            for (String c : r) b.append("<td>").append(Html.esc(c)).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void pages(StringBuilder b, List<Page> pages) {
        b.append("<h2 id=\"pages\">Subject pages</h2>\n<table class=\"pages\">")
            .append("<tr><th>participant_id</th><th>session_id</th><th>report</th></tr>\n");
        for (Page p : pages) {
            b.append("<tr><td>").append(Html.esc(p.participant())).append("</td><td>").append(Html.esc(p.session())).append("</td><td>");
            if (p.exists()) {
                b.append("<a href=\"").append(Html.esc(p.href())).append("\">").append(Html.esc(p.href())).append("</a>");
            } else {
                b.append("<span class=\"missing\">missing: ").append(Html.esc(p.href())).append("</span>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void feature(StringBuilder b, Data d, Map<List<String>, Row> at, List<String> sessions, int f) {
        String name = d.features().get(f);
        List<Row> rows = d.rows();
        double[] z = zByRow(rows, f, sessions, new ArrayList<>());
        double[] all = rows.stream().mapToDouble(r -> r.values()[f]).toArray();
        long na = Arrays.stream(all).filter(v -> !Double.isFinite(v)).count();
        long flagged = Arrays.stream(z).filter(GroupPage::flagged).count();
        b.append("<section class=\"feature\" id=\"f-").append(Html.esc(name)).append("\" data-feature=\"").append(Html.esc(name))
            .append("\">\n<h3>").append(Html.esc(name)).append("</h3>\n<div class=\"figs\">\n");
        b.append(strip(name, rows, sessions, f, z, all)).append('\n');
        b.append(prePost(d, at, name, f, all)).append('\n');
        b.append(madrs(d, at, name, sessions, f)).append("\n</div>\n<p class=\"cap\">").append(rows.size() - na).append(" values drawn, ")
            .append(na).append(" n/a, ").append(flagged).append(" outliers.</p>\n</section>\n");
    }

    /** Participants in order, for a stable horizontal spread within a session's column. */
    private static double jitter(List<String> participants, String p) {
        int n = participants.size();
        return n <= 1 ? 0 : -0.3 + 0.6 * participants.indexOf(p) / (n - 1);
    }

    private static String strip(String name, List<Row> rows, List<String> sessions, int f, double[] z, double[] all) {
        double[] yr = Plot.range(all);
        Plot p = new Plot("strip", 340, 230, -0.5, sessions.size() - 0.5, yr[0], yr[1]).data("feature", name)
            .labels(name + " by session", "session", "").categories(sessions.stream().map(s -> s.equals(Html.NA) ? "(none)" : s)
                .toArray(String[]::new));
        List<String> subs = new ArrayList<>(new TreeSet<>(rows.stream().map(Row::participant).toList()));
        for (boolean out : new boolean[] {false, true}) {
            for (int s = 0; s < sessions.size(); s++) {
                List<Integer> at = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) if (rows.get(i).session().equals(sessions.get(s)) && flagged(z[i]) == out) at.add(i);
                double[] xs = new double[at.size()];
                double[] ys = new double[at.size()];
                String[] titles = new String[at.size()];
                for (int k = 0; k < at.size(); k++) {
                    Row r = rows.get(at.get(k));
                    xs[k] = s + jitter(subs, r.participant());
                    ys[k] = all[at.get(k)];
                    double zi = z[at.get(k)];
                    titles[k] = r.participant() + " " + r.session() + ": " + Html.full(ys[k])
                        + (Double.isNaN(zi) ? "" : String.format(Locale.ROOT, " (z = %.2f%s)", zi, out ? ", outlier" : ""));
                }
                p.points(sessions.get(s), out ? "outlier" : "point", xs, ys, out ? OUTLIER : POINT, titles);
            }
        }
        return p.svg();
    }

    private static String colour(Outcome o) {
        String r = o == null ? null : o.responder();
        return "1".equals(r) ? RESPONDER : "0".equals(r) ? NONRESPONDER : NA;
    }

    private static String prePost(Data d, Map<List<String>, Row> at, String name, int f, double[] all) {
        List<Row> rows = d.rows();
        boolean any = rows.stream().anyMatch(r -> r.session().equals(d.pre())) && rows.stream().anyMatch(r -> r.session().equals(d.post()));
        if (!any) return "<p class=\"figfail\">no pre and post sessions: no pre/post lines</p>";
        double[] yr = Plot.range(all);
        Plot p = new Plot("prepost", 260, 230, -0.3, 1.3, yr[0], yr[1]).data("feature", name)
            .labels(name + " pre to post", "session", "").categories(d.pre(), d.post());
        for (String sub : new TreeSet<>(rows.stream().map(Row::participant).toList())) {
            double a = value(at, sub, d.pre(), f);
            double c = value(at, sub, d.post(), f);
            String col = colour(d.outcomes().get(sub));
            p.segment("prepost", 0, a, 1, c, col);
            p.points(sub, "end", new double[] {0, 1}, new double[] {a, c}, col,
                new String[] {sub + " " + d.pre() + ": " + Html.full(a), sub + " " + d.post() + ": " + Html.full(c)});
        }
        return p.svg();
    }

    private static double value(Map<List<String>, Row> at, String sub, String ses, int f) {
        Row r = at.get(List.of(sub, ses));
        return r == null ? Double.NaN : r.values()[f];
    }

    /** The baseline (pre session, else the first one) value against the MADRS percent change, by responder. */
    private static String madrs(Data d, Map<List<String>, Row> at, String name, List<String> sessions, int f) {
        if (sessions.isEmpty()) return "";
        String base = sessions.get(0);
        List<String> subs = new ArrayList<>(new TreeSet<>(d.rows().stream().map(Row::participant).toList()));
        String[] cls = {"responder", "nonresponder", "responder-na"};
        String[] col = {RESPONDER, NONRESPONDER, NA};
        List<List<double[]>> pts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<String>> titles = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String sub : subs) {
            Outcome o = d.outcomes().get(sub);
            double x = o == null ? Double.NaN : o.pctChange();
            double y = value(at, sub, base, f);
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            int k = "1".equals(o.responder()) ? 0 : "0".equals(o.responder()) ? 1 : 2;
            pts.get(k).add(new double[] {x, y});
            titles.get(k).add(sub + ": " + Html.full(y) + " at " + base + String.format(Locale.ROOT, ", MADRS %+.1f %%", x));
        }
        double[] xs = pts.stream().flatMap(List::stream).mapToDouble(a -> a[0]).toArray();
        double[] ys = pts.stream().flatMap(List::stream).mapToDouble(a -> a[1]).toArray();
        double[] xr = Plot.range(xs);
        double[] yr = Plot.range(ys);
        Plot p = new Plot("madrs", 300, 230, xr[0], xr[1], yr[0], yr[1]).data("feature", name)
            .labels(name + " (" + base + ")", "MADRS change (%)", "");
        for (int k = 0; k < 3; k++) {
            List<double[]> q = pts.get(k);
            p.points(cls[k], cls[k], q.stream().mapToDouble(a -> a[0]).toArray(), q.stream().mapToDouble(a -> a[1]).toArray(), col[k],
                titles.get(k).toArray(String[]::new));
        }
        return p.svg();
    }
}
