package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;

/**
 * The group level's group/report.html from hand-written participant outputs (the demo's three subjects, no images
 * read): a row per feature, the outlier, the failures, the subject links; none with report: false or --no-report.
 */
class GroupReportTest {
    @TempDir
    Path tmp;
    Path bids;
    Path out;

    static final String PIPELINE = String.join("\n", "name: two-columns", "stages:", "  - type: structural", "    features:",
        "      - {column: hippo_l, measure: volume, label: Left-Hippocampus}", "      - {column: icv_mm3, measure: icv}", "");

    @BeforeEach
    void outputs() throws Exception {
        bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("pipeline.yaml"), PIPELINE);
        // hippo_l pre 10 11 30: median 11, MAD 1, z(30) = 0.6745 * 19 = 12.8155; post: one value (MAD 0); sub-03 ses-post: no outputs
        session("01", "pre", "10", "{\"stages\": []}", true);
        session("01", "post", "12", "{\"stages\": [{\"id\": \"structural\", \"status\": \"failed\", \"reason\": \"boom <b>\"}]}", true);
        session("02", "pre", "11", "{\"stages\": []}", true);
        session("02", "post", "n/a", "{\"stages\": []}", false);
        session("03", "pre", "30", "{\"stages\": []}", true);
    }

    void session(String sub, String ses, String hippo, String provenance, boolean page) throws Exception {
        Path d = Files.createDirectories(out.resolve("sub-" + sub).resolve("ses-" + ses));
        String p = "sub-" + sub + "_ses-" + ses;
        Files.writeString(d.resolve(p + "_features.tsv"),
            "participant_id\tsession_id\thippo_l\ticv_mm3\nsub-" + sub + "\tses-" + ses + "\t" + hippo + "\t1000\n");
        Files.writeString(d.resolve(p + "_provenance.json"), provenance);
        if (page) Files.writeString(d.resolve(p + "_report.html"), "<p>page</p>");
    }

    Path page() {
        return out.resolve("group/report.html");
    }

    @Test
    void groupPage() throws Exception {
        Cli g = Cli.run(bids.toString(), out.toString(), "group");
        assertEquals(1, g.code, g.err);   // a failed stage and a missing session
        String html = Files.readString(page());
        assertEquals(2, count(html, "<section class=\"feature\""));
        assertEquals(3, count(html, "<svg [^>]*data-feature=\"hippo_l\""));
        assertEquals(3, count(html, "<svg [^>]*data-feature=\"icv_mm3\""));
        assertTrue(html.contains("<td>sub-03</td><td>ses-pre</td><td>30</td><td>12.82</td>"), html);
        assertTrue(html.contains("data-z=\"" + 0.6745 * 19 + "\""));
        assertEquals(1, count(html, "<tr class=\"bad\" data-z="));
        assertTrue(html.contains("<p class=\"mad0\">MAD = 0, nothing flagged: hippo_l (ses-post), icv_mm3 (ses-pre), icv_mm3 (ses-post)</p>"));
        assertTrue(html.contains("<td>structural</td><td>failed</td><td>boom &lt;b&gt;</td>"));
        assertTrue(html.contains("<td>sub-03</td><td>ses-post</td><td>(all)</td><td>missing_outputs</td>"));
        for (String p : new String[] {"sub-01/ses-pre/sub-01_ses-pre", "sub-01/ses-post/sub-01_ses-post", "sub-02/ses-pre/sub-02_ses-pre",
            "sub-03/ses-pre/sub-03_ses-pre"}) {
            assertTrue(html.contains("<a href=\"../" + p + "_report.html\">"), p);
        }
        assertTrue(html.contains("<span class=\"missing\">missing: ../sub-02/ses-post/sub-02_ses-post_report.html</span>"));
        assertTrue(html.contains("<span class=\"missing\">missing: ../sub-03/ses-post/sub-03_ses-post_report.html</span>"));
        // the demo's MADRS: sub-01 and sub-02 respond (-50 %, -73 %), sub-03 does not (-11 %)
        assertEquals(2 * 2, count(html, "<circle class=\"responder\""));
        assertEquals(2, count(html, "<circle class=\"nonresponder\""));
    }

    @Test
    void reportFalseWritesNoGroupPage() throws Exception {
        Files.writeString(out.resolve("pipeline.yaml"), PIPELINE.replace("stages:", "report: false\nstages:"));
        assertEquals(1, Cli.run(bids.toString(), out.toString(), "group").code);
        assertTrue(Files.isRegularFile(out.resolve("group/features.tsv")));
        assertFalse(Files.exists(page()));
    }

    @Test
    void noReportOptionWritesNoGroupPage() throws Exception {
        Cli g = Cli.run(bids.toString(), out.toString(), "group", "--no-report");
        assertEquals(1, g.code, g.err);
        assertTrue(Files.isRegularFile(out.resolve("group/features.tsv")));
        assertFalse(Files.exists(page()));
        assertFalse(g.out.contains("Group report"));
    }

    static int count(String s, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
