package org.ketaprint.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The group page's outliers (modified z-score, values worked out by hand) and its contents. */
class GroupPageTest {
    static final double NA = Double.NaN;

    @Test
    void modifiedZByHand() {
        // median 3, |x - 3| = 2 1 0 1 97, MAD 1: z = 0.6745 (x - 3)
        double[] z = GroupPage.modifiedZ(new double[] {1, 2, 3, 4, 100});
        double[] want = {-1.349, -0.6745, 0, 0.6745, 65.4265};
        for (int i = 0; i < 5; i++) assertEquals(want[i], z[i], 1e-12, "z[" + i + "]");
        // an even count: median 2.5, |x - 2.5| = 1.5 .5 .5 1.5, MAD 1
        assertEquals(0.6745 * 1.5, GroupPage.modifiedZ(new double[] {4, 1, 3, 2})[0], 1e-12);
        assertEquals(1.01175, GroupPage.modifiedZ(new double[] {4, 1, 3, 2})[0], 1e-12);
    }

    @Test
    void naLeftOut() {
        double[] z = GroupPage.modifiedZ(new double[] {1, NA, 2, 3, 4, 100});
        assertTrue(Double.isNaN(z[1]));
        assertEquals(65.4265, z[5], 1e-12);   // not the median of six values
        assertTrue(java.util.Arrays.stream(GroupPage.modifiedZ(new double[] {NA, NA})).allMatch(Double::isNaN));
    }

    @Test
    void madZeroFlagsNothing() {
        double[] z = GroupPage.modifiedZ(new double[] {5, 5, 5, 5, 9});
        assertTrue(java.util.Arrays.stream(z).allMatch(Double::isNaN));
        assertTrue(GroupPage.outliers(List.of("f"), rows("ses-pre", 5, 5, 5, 5, 9), "ses-pre", "ses-post").isEmpty());
        String html = page(List.of("f"), rows("ses-pre", 5, 5, 5, 5, 9));
        assertTrue(html.contains("<p class=\"mad0\">MAD = 0, nothing flagged: f (ses-pre)</p>"), html);
        assertFalse(html.contains("class=\"outlier\""));
    }

    @Test
    void strictlyAboveThreeAndAHalf() {
        // median 0, |x| = .6745 .6745 0 0 .6745 .6745 3.5, MAD .6745: the last z is exactly 3.5 (not flagged)
        double[] at = {-0.6745, -0.6745, 0, 0, 0.6745, 0.6745, 3.5};
        assertEquals(3.5, GroupPage.modifiedZ(at)[6], 0);
        assertTrue(GroupPage.outliers(List.of("f"), rows("ses-pre", at), "ses-pre", "ses-post").isEmpty());
        double[] above = at.clone();
        above[6] = 3.5000001;
        assertEquals(1, GroupPage.outliers(List.of("f"), rows("ses-pre", above), "ses-pre", "ses-post").size());
        double[] below = at.clone();
        below[6] = -3.5000001;   // |z|: low values too
        assertEquals(1, GroupPage.outliers(List.of("f"), rows("ses-pre", below), "ses-pre", "ses-post").size());
        assertFalse(GroupPage.flagged(3.5));
        assertFalse(GroupPage.flagged(-3.5));
        assertTrue(GroupPage.flagged(-3.51));
        assertFalse(GroupPage.flagged(NA));
    }

    @Test
    void eachSessionOnItsOwnAndStableOrder() {
        double[] preA = {1, 2, 3, 4, 100};
        double[] postA = {100, 101, 102, 103, 104};   // pooled with pre, 1..4 would be flagged and not 100
        double[] preB = {-50, 8, 9, 10, 11};          // median 9, MAD 1
        double[] postB = {-40, 8, 9, 10, 60};         // median 9, |x - 9| = 49 1 0 1 51, MAD 1
        List<GroupPage.Row> rows = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {   // rows neither in participant nor in session order
            rows.add(new GroupPage.Row("sub-0" + (i + 1), "ses-post", new double[] {postA[i], postB[i]}));
            rows.add(new GroupPage.Row("sub-0" + (i + 1), "ses-pre", new double[] {preA[i], preB[i]}));
        }
        List<GroupPage.Outlier> o = GroupPage.outliers(List.of("a", "b"), rows, "ses-pre", "ses-post");
        assertEquals(List.of(new GroupPage.Outlier("a", "sub-05", "ses-pre", 100, 65.4265),
            new GroupPage.Outlier("b", "sub-01", "ses-pre", -50, -39.7955),
            new GroupPage.Outlier("b", "sub-01", "ses-post", -40, -33.0505),
            new GroupPage.Outlier("b", "sub-05", "ses-post", 60, 34.3995)), o.stream().map(GroupPageTest::round).toList());
    }

    static GroupPage.Outlier round(GroupPage.Outlier o) {
        return new GroupPage.Outlier(o.feature(), o.participant(), o.session(), o.value(), Math.round(o.z() * 1e9) / 1e9);
    }

    @Test
    void pageRowsLinksFailuresAndNoExternalFetch() {
        List<GroupPage.Row> rows = new ArrayList<>(rows("ses-pre", 1, 2, 3, 4, 100));
        rows.addAll(rows("ses-post", 2, 3, NA, 5, 6));
        Map<String, GroupPage.Outcome> out = Map.of("sub-01", new GroupPage.Outcome(-60, "1"), "sub-02", new GroupPage.Outcome(-10, "0"),
            "sub-03", new GroupPage.Outcome(-20, "n/a"), "sub-04", new GroupPage.Outcome(NA, "n/a"));
        List<GroupPage.Page> pages = List.of(new GroupPage.Page("sub-01", "ses-pre", "../sub-01/ses-pre/sub-01_ses-pre_report.html", true),
            new GroupPage.Page("sub-06", "ses-pre", "../sub-06/ses-pre/sub-06_ses-pre_report.html", false));
        List<String[]> fails = List.<String[]>of(new String[] {"sub-06", "ses-pre", "(all)", "missing_outputs", "no <outputs>"});
        String html = GroupPage.html(new GroupPage.Data("Group", Map.of("pipeline", "p"), List.of("vol", "fa"), "ses-pre", "ses-post",
            twoFeatures(rows), out, fails, pages));
        assertEquals(2, count(html, "<section class=\"feature\""));
        for (String f : List.of("vol", "fa")) {
            for (String kind : List.of("strip", "prepost", "madrs")) {
                assertEquals(1, count(html, "data-plot=\"" + kind + "\" [^>]*data-feature=\"" + f + "\""), kind + " " + f);
            }
        }
        // the strip plots: 9 finite values per feature, one of them (100 in vol) an outlier with its tooltip
        assertEquals(1, count(html, "<circle class=\"outlier\""));
        assertEquals(17, count(html, "<circle class=\"point\""));
        assertTrue(html.contains("<title>sub-05 ses-pre: 100 (z = 65.43, outlier)</title>"), html);
        assertTrue(html.contains("<td>sub-05</td><td>ses-pre</td><td>100</td><td>65.43</td>"));
        // pre/post: a line per subject with both values (sub-03's post is n/a); MADRS: coloured by responder
        assertEquals(2 * 4, count(html, "<line class=\"prepost\""));
        assertEquals(2, count(html, "<circle class=\"responder\""));
        assertEquals(2, count(html, "<circle class=\"nonresponder\""));   // sub-04 (% change n/a), sub-05 (none): not drawn
        assertEquals(2, count(html, "<circle class=\"responder-na\""));
        assertTrue(html.contains("<a href=\"../sub-01/ses-pre/sub-01_ses-pre_report.html\">"));
        assertTrue(html.contains("<span class=\"missing\">missing: ../sub-06/ses-pre/sub-06_ses-pre_report.html</span>"));
        assertTrue(html.contains("<td>missing_outputs</td><td>no &lt;outputs&gt;</td>"));
        assertTrue(html.contains("Content-Security-Policy"));
        assertFalse(html.contains("<script") || html.contains("url(") || html.contains("<link") || html.contains("@import"));
        Matcher m = Pattern.compile("(href|src)=\"([^\"]*)\"").matcher(html);
        while (m.find()) assertTrue(m.group(2).startsWith("#") || m.group(2).startsWith("../sub-"), m.group());
    }

    @Test
    void withoutSessions() {
        Map<String, GroupPage.Outcome> out = Map.of("sub-01", new GroupPage.Outcome(-60, "1"), "sub-05", new GroupPage.Outcome(-10, "0"));
        String html = GroupPage.html(new GroupPage.Data("Group", Map.of(), List.of("vol"), "ses-pre", "ses-post",
            rows("n/a", 1, 2, 3, 4, 100), out, List.of(), List.of()));
        assertTrue(html.contains("<td>sub-05</td><td>n/a</td><td>100</td><td>65.43</td>"));
        assertTrue(html.contains(">(none)</text>"));
        assertTrue(html.contains("no pre and post sessions"));
        assertEquals(0, count(html, "data-plot=\"prepost\""));
        assertEquals(1, count(html, "<circle class=\"responder\""));
        assertEquals(1, count(html, "<circle class=\"nonresponder\""));
    }

    /** Five participants sub-01.. in one session, one feature. */
    static List<GroupPage.Row> rows(String ses, double... v) {
        List<GroupPage.Row> r = new ArrayList<>();
        for (int i = 0; i < v.length; i++) r.add(new GroupPage.Row("sub-0" + (i + 1), ses, new double[] {v[i]}));
        return r;
    }

    /** The rows with a second feature: the first with 5 for 100 (no outlier). */
    static List<GroupPage.Row> twoFeatures(List<GroupPage.Row> rows) {
        return rows.stream().map(r -> new GroupPage.Row(r.participant(), r.session(),
            new double[] {r.values()[0], r.values()[0] == 100 ? 5 : r.values()[0]})).toList();
    }

    static String page(List<String> features, List<GroupPage.Row> rows) {
        return GroupPage.html(new GroupPage.Data("Group", Map.of(), features, "ses-pre", "ses-post", rows, Map.of(), List.of(), List.of()));
    }

    static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
