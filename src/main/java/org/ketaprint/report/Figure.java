package org.ketaprint.report;

/** One figure of a report: a title, its HTML (an embedded image or inline SVG) and a caption. */
public record Figure(String title, String html, String caption) {
    /** A figure that could not be drawn: the page shows why instead. */
    public static Figure failed(String title, String why) {
        return new Figure(title, "<p class=\"figfail\">not drawn: " + Html.esc(why) + "</p>", "");
    }
}
