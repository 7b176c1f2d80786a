package org.ketaprint.report;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** HTML pieces: escaping, embedded PNG slices with their orientation labels and data attributes. */
public final class Html {
    private Html() {
    }

    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /**
     * A slice panel: the PNG with side labels (L/R, or P/A for sagittal) and what a test needs to map pixels back to
     * voxels: {@code data-plane}, {@code data-index} (the canonical slice index), {@code data-sx}/{@code data-sy} (pixels
     * per voxel) and {@code data-rois}, the outlines in drawing order as {@code name=#rrggbb;...}; plus {@code extra}.
     */
    public static String slice(SliceImage img, View.Plane plane, int index, double pxPerMm, String alt, Map<String, String> extra) {
        SliceImage.Rendered r = img.render(pxPerMm);
        StringBuilder rois = new StringBuilder();
        for (SliceImage.Outline o : img.outlines()) {
            if (rois.length() > 0) rois.append(';');
            rois.append(o.name()).append('=').append(colour(o.rgb()));
        }
        String[] side = View.sideLabels(plane);
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"slice\" data-plane=\"").append(plane.label()).append("\" data-index=\"").append(index)
            .append("\" data-sx=\"").append(r.sx()).append("\" data-sy=\"").append(r.sy())
            .append("\" data-rois=\"").append(esc(rois.toString())).append('"');
        if (extra != null) extra.forEach((k, v) -> b.append(" data-").append(k).append("=\"").append(esc(v)).append('"'));
        b.append("><img alt=\"").append(esc(alt)).append("\" width=\"").append(r.width()).append("\" height=\"").append(r.height())
            .append("\" src=\"").append(dataUri(r.png())).append("\">")
            .append("<span class=\"sl\">").append(side[0]).append("</span><span class=\"sr\">").append(side[1]).append("</span>")
            .append("<span class=\"sk\">").append(plane.label(), 0, 3).append(' ').append(index).append("</span></div>");
        return b.toString();
    }

    /** "#rrggbb". */
    public static String colour(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xffffff);
    }

    /** What the feature tables print for a missing value. */
    public static final String NA = "n/a";

    /** A number in full, as the TSV tables print it (shortest exact decimal; n/a for NaN). */
    public static String full(double v) {
        if (Double.isNaN(v)) return NA;
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String p = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return p.length() <= 24 ? p : Double.toString(v);
    }

    /** A number for a table: 6 significant digits (n/a for NaN). */
    public static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (v != 0 && (a >= 1e7 || a < 1e-4)) return String.format(Locale.ROOT, "%.5e", v);
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
