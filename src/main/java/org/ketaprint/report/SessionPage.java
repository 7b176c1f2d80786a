package org.ketaprint.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML of one subject-session's report: one self-contained page (images as data URIs, SVG inline, styles inline,
 * no script; a Content-Security-Policy forbids any request). Failures and n/a columns with their reasons come first,
 * then a section per stage with its inputs, parameters, features (value and units) and figures.
 */
public final class SessionPage {
    private SessionPage() {
    }

    public static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    static final String STYLE = """
        body{font-family:sans-serif;margin:1.5em;max-width:1300px;color:#222}
        h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1em}
        table{border-collapse:collapse;margin:.4em 0;font-size:.85em}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
        th{background:#f2f2f2}.bad{background:#fde2e2}.na{background:#fff4d6}.ok{color:#0a6b0a}.st-failed,.st-missing_input{color:#b00020;font-weight:bold}
        .figs{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-start}.slice{position:relative;display:inline-block;background:#000}
        .slice img{display:block;image-rendering:pixelated}.slice span{position:absolute;color:#ff0;font:bold 12px sans-serif}
        .sl{left:3px;top:3px}.sr{right:3px;top:3px}.sk{left:3px;bottom:2px;color:#ccc!important;font-weight:normal!important}
        figure{margin:.5em 0}figcaption{font-size:.8em;color:#555;max-width:1100px}.figfail{color:#b00020}
        details{margin:.3em 0}code{font-size:.85em;word-break:break-all}.legend span{display:inline-block;margin-right:1em}
        """;

    /** The whole page. {@code meta}: key facts shown under the title (software, pipeline, when). */
    public static String html(String title, Map<String, String> meta, List<String[]> problems, List<String[]> naColumns,
                              List<Section> sections, String convention) {
        StringBuilder b = new StringBuilder(1 << 16);
        head(b, title);
        b.append("<h1>").append(Html.esc(title)).append("</h1>\n<p>");
        meta.forEach((k, v) -> b.append("<b>").append(Html.esc(k)).append(":</b> ").append(Html.esc(v)).append(" &nbsp; "));
        b.append("</p>\n<p>").append(Html.esc(convention)).append("</p>\n");
        b.append("<h2 id=\"problems\">Failures and n/a</h2>\n");
        if (problems.isEmpty() && naColumns.isEmpty()) {
            b.append("<p class=\"ok\">Every stage ran and every feature has a value.</p>\n");
        }
        if (!problems.isEmpty()) {
            b.append("<table class=\"failures\"><tr><th>stage</th><th>status</th><th>reason</th></tr>\n");
            for (String[] p : problems) {
                b.append("<tr class=\"bad\"><td>").append(Html.esc(p[0])).append("</td><td>").append(Html.esc(p[1]))
                    .append("</td><td>").append(Html.esc(p[2])).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        if (!naColumns.isEmpty()) {
            b.append("<table class=\"na-columns\"><tr><th>column</th><th>why n/a</th></tr>\n");
            for (String[] n : naColumns) {
                b.append("<tr class=\"na\"><td>").append(Html.esc(n[0])).append("</td><td>").append(Html.esc(n[1])).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        for (Section s : sections) section(b, s);
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    static void head(StringBuilder b, String title) {
        head(b, title, "");
    }

    /** The head with the CSP and the shared style plus {@code moreStyle}; opens the body. */
    static void head(StringBuilder b, String title, String moreStyle) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
            .append("<title>").append(Html.esc(title)).append("</title>\n<style>").append(STYLE).append(moreStyle).append("</style>\n</head>\n<body>\n");
    }

    private static void section(StringBuilder b, Section s) {
        b.append("<section class=\"stage\" id=\"stage-").append(Html.esc(s.id)).append("\" data-status=\"").append(Html.esc(s.status))
            .append("\">\n<h2>").append(Html.esc(s.id)).append(" <small>(").append(Html.esc(s.type)).append(")</small> <span class=\"st-")
            .append(Html.esc(s.status)).append("\">").append(Html.esc(s.status)).append("</span></h2>\n");
        if (s.reason != null) b.append("<p class=\"st-failed\">").append(Html.esc(s.reason)).append("</p>\n");
        if (!Double.isNaN(s.seconds)) {
            b.append(String.format(Locale.ROOT, "<p>%.2f s, of which figures %.2f s</p>\n", s.seconds, s.figureSeconds));
        }
        if (!s.features.isEmpty()) {
            b.append("<h3>Features</h3>\n<table class=\"features\"><tr><th>column</th><th>value</th><th>units</th><th>note</th></tr>\n");
            for (Section.Row r : s.features) {
                b.append("<tr").append(r.value().equals("n/a") ? " class=\"na\"" : "").append("><td>").append(Html.esc(r.column()))
                    .append("</td><td>").append(Html.esc(r.value())).append("</td><td>").append(Html.esc(r.units()))
                    .append("</td><td>").append(Html.esc(r.note())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        for (Figure f : s.figures) {
            b.append("<figure><h3>").append(Html.esc(f.title())).append("</h3>\n").append(f.html())
                .append("\n<figcaption>").append(Html.esc(f.caption())).append("</figcaption></figure>\n");
        }
        keyValues(b, "Inputs (SHA-256)", s.inputs, true);
        keyValues(b, "Parameters", s.parameters, false);
        keyValues(b, "Details", s.details, false);
        b.append("</section>\n");
    }

    private static void keyValues(StringBuilder b, String title, Map<String, String> kv, boolean code) {
        if (kv.isEmpty()) return;
        b.append("<details open><summary>").append(Html.esc(title)).append("</summary><table>\n");
        kv.forEach((k, v) -> b.append("<tr><td>").append(code ? "<code>" : "").append(Html.esc(k)).append(code ? "</code>" : "")
            .append("</td><td>").append(code ? "<code>" : "").append(Html.esc(v)).append(code ? "</code>" : "").append("</td></tr>\n"));
        b.append("</table></details>\n");
    }
}
