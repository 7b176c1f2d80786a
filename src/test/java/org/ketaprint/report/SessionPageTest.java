package org.ketaprint.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page: CSP, no URL outside, failures and n/a first, every text escaped. */
class SessionPageTest {
    @Test
    void failuresFirstAndEscaped() {
        Section s = new Section("rest", "restingstate", "failed", "bad <b>file</b> & more");
        s.features.add(new Section.Row("fd_mean_mm", "n/a", "mm", "stage failed"));
        s.inputs.put("/data/a<b>.nii.gz", "abc");
        s.figures.add(Figure.failed("Carpet", "only 3 volumes <3"));
        String html = SessionPage.html("sub-01 <x>", Map.of("pipeline", "p"), List.<String[]>of(new String[] {"rest", "failed", "bad <b>file</b>"}),
            List.<String[]>of(new String[] {"fd_mean_mm", "stage failed"}), List.of(s), "neurological");
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"));
        assertFalse(html.contains("<b>file</b>"), "reason escaped");
        assertTrue(html.contains("bad &lt;b&gt;file&lt;/b&gt; &amp; more"));
        assertTrue(html.contains("not drawn: only 3 volumes &lt;3"));
        assertTrue(html.indexOf("class=\"failures\"") < html.indexOf("<section"), "failures before the sections");
        assertTrue(html.indexOf("class=\"na-columns\"") < html.indexOf("<section"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"), "nothing fetched");
        assertTrue(html.contains("<title>sub-01 &lt;x&gt;</title>"));
    }

    @Test
    void allGood() {
        String html = SessionPage.html("t", Map.of(), List.of(), List.of(), List.of(), "c");
        assertTrue(html.contains("Every stage ran and every feature has a value."));
        assertFalse(html.contains("class=\"failures\""));
    }

    @Test
    void numbersInTables() {
        org.junit.jupiter.api.Assertions.assertEquals("47651.4", Html.num(47651.402325630086));
        org.junit.jupiter.api.Assertions.assertEquals("0.0217619", Html.num(0.021761869));
        org.junit.jupiter.api.Assertions.assertEquals("n/a", Html.num(Double.NaN));
        org.junit.jupiter.api.Assertions.assertEquals("1036.8", Html.num(1036.8000001));
        org.junit.jupiter.api.Assertions.assertEquals("-3.00000e-05", Html.num(-0.00003));
        org.junit.jupiter.api.Assertions.assertEquals("0", Html.num(0));
        org.junit.jupiter.api.Assertions.assertEquals("a&amp;b &lt;&gt;&quot;&#39;", Html.esc("a&b <>\"'"));
    }
}
