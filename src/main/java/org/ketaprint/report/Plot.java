package org.ketaprint.report;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A small chart written as inline SVG through the JDK's StAX writer (escaping and well-formedness by the library):
 * axes with ticks, lines, points, horizontal reference lines, categorical x labels. The root element carries the
 * data-to-pixel mapping ({@code data-x0 data-x1 data-y0 data-y1} for the data range, {@code data-left data-top
 * data-w data-h} for the plot area), so a test can read every point back as data.
 */
public final class Plot {
    private interface Item {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private final int width;
    private final int height;
    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;
    private final String kind;
    private static final int LEFT = 58;
    private static final int RIGHT = 12;
    private static final int TOP = 22;
    private static final int BOTTOM = 36;
    private String title = "";
    private String xLabel = "";
    private String yLabel = "";
    private String[] categories;
    private final List<Item> items = new ArrayList<>();
    private final java.util.Map<String, String> data = new java.util.LinkedHashMap<>();

    /** A plot of {@code kind} (the root's data-plot), width x height pixels, over x0..x1 and y0..y1. */
    public Plot(String kind, int width, int height, double x0, double x1, double y0, double y1) {
        this.kind = kind;
        this.width = width;
        this.height = height;
        this.x0 = x0;
        this.x1 = x1 > x0 ? x1 : x0 + 1;
        this.y0 = y0;
        this.y1 = y1 > y0 ? y1 : y0 + 1;
    }

    /** Data limits padded by 5 % of the range (NaN ignored; none: 0..1). */
    public static double[] range(double[]... values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] vs : values) {
            for (double v : vs) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) return new double[] {0, 1};
        double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(Math.abs(lo) * 0.05, 1e-6);
        return new double[] {lo - pad, hi + pad};
    }

    public Plot labels(String t, String x, String y) {
        title = t;
        xLabel = x;
        yLabel = y;
        return this;
    }

    /** An extra {@code data-KEY} attribute on the root (e.g. the feature a plot shows). */
    public Plot data(String key, String value) {
        data.put(key, value);
        return this;
    }

    /** Names for x = 0, 1, ... (strip plots). */
    public Plot categories(String... names) {
        categories = names.clone();
        return this;
    }

    public double px(double x) {
        return LEFT + (x - x0) / (x1 - x0) * (width - LEFT - RIGHT);
    }

    public double py(double y) {
        return TOP + (height - TOP - BOTTOM) * (1 - (y - y0) / (y1 - y0));
    }

    /** A polyline through the finite points (a break at NaN starts a new one), class "series". */
    public Plot line(String name, double[] xs, double[] ys, String colour) {
        items.add(w -> {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i <= xs.length; i++) {
                boolean ok = i < xs.length && Double.isFinite(xs[i]) && Double.isFinite(ys[i]);
                if (ok) {
                    if (pts.length() > 0) pts.append(' ');
                    pts.append(f(px(xs[i]))).append(',').append(f(py(ys[i])));
                } else if (pts.length() > 0) {
                    w.writeEmptyElement("polyline");
                    w.writeAttribute("class", "series");
                    w.writeAttribute("data-series", name);
                    w.writeAttribute("fill", "none");
                    w.writeAttribute("stroke", colour);
                    w.writeAttribute("stroke-width", "1.2");
                    w.writeAttribute("points", pts.toString());
                    pts.setLength(0);
                }
            }
        });
        return this;
    }

    /** Circles at the finite points, class {@code cls}, each with a tooltip (titles may be null). */
    public Plot points(String name, String cls, double[] xs, double[] ys, String colour, String[] titles) {
        items.add(w -> {
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) continue;
                w.writeStartElement("circle");
                w.writeAttribute("class", cls);
                w.writeAttribute("data-series", name);
                w.writeAttribute("cx", f(px(xs[i])));
                w.writeAttribute("cy", f(py(ys[i])));
                w.writeAttribute("r", "3");
                w.writeAttribute("fill", colour);
                w.writeAttribute("fill-opacity", "0.8");
                if (titles != null && titles[i] != null) {
                    w.writeStartElement("title");
                    w.writeCharacters(titles[i]);
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
        });
        return this;
    }

    /** A segment between two data points (class {@code cls}). */
    public Plot segment(String cls, double xa, double ya, double xb, double yb, String colour) {
        items.add(w -> {
            if (!(Double.isFinite(ya) && Double.isFinite(yb))) return;
            w.writeEmptyElement("line");
            w.writeAttribute("class", cls);
            w.writeAttribute("x1", f(px(xa)));
            w.writeAttribute("y1", f(py(ya)));
            w.writeAttribute("x2", f(px(xb)));
            w.writeAttribute("y2", f(py(yb)));
            w.writeAttribute("stroke", colour);
            w.writeAttribute("stroke-width", "0.8");
        });
        return this;
    }

    /** A dashed horizontal line at y with a label (class {@code cls}, data-value y). */
    public Plot hline(String cls, double y, String colour, String label) {
        items.add(w -> {
            w.writeEmptyElement("line");
            w.writeAttribute("class", cls);
            w.writeAttribute("data-value", Double.toString(y));
            w.writeAttribute("x1", f(px(x0)));
            w.writeAttribute("x2", f(px(x1)));
            w.writeAttribute("y1", f(py(y)));
            w.writeAttribute("y2", f(py(y)));
            w.writeAttribute("stroke", colour);
            w.writeAttribute("stroke-dasharray", "4 3");
            text(w, px(x1) - 4, py(y) - 3, "end", label);
        });
        return this;
    }

    public String svg() {
        try {
            StringWriter sw = new StringWriter();
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(sw);
            w.writeStartElement("svg");
            w.writeDefaultNamespace("http://www.w3.org/2000/svg");
            w.writeAttribute("class", "plot");
            w.writeAttribute("data-plot", kind);
            w.writeAttribute("width", Integer.toString(width));
            w.writeAttribute("height", Integer.toString(height));
            w.writeAttribute("viewBox", "0 0 " + width + " " + height);
            w.writeAttribute("data-x0", Double.toString(x0));
            w.writeAttribute("data-x1", Double.toString(x1));
            w.writeAttribute("data-y0", Double.toString(y0));
            w.writeAttribute("data-y1", Double.toString(y1));
            w.writeAttribute("data-left", Integer.toString(LEFT));
            w.writeAttribute("data-top", Integer.toString(TOP));
            w.writeAttribute("data-w", Integer.toString(width - LEFT - RIGHT));
            w.writeAttribute("data-h", Integer.toString(height - TOP - BOTTOM));
            for (java.util.Map.Entry<String, String> e : data.entrySet()) w.writeAttribute("data-" + e.getKey(), e.getValue());
            w.writeAttribute("font-family", "sans-serif");
            w.writeAttribute("font-size", "10");
            axes(w);
            for (Item it : items) it.write(w);
            w.writeEndElement();
            w.close();
            return sw.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private void axes(XMLStreamWriter w) throws XMLStreamException {
        double left = px(x0);
        double right = px(x1);
        double top = py(y1);
        double bottom = py(y0);
        w.writeEmptyElement("rect");
        w.writeAttribute("x", f(left));
        w.writeAttribute("y", f(top));
        w.writeAttribute("width", f(right - left));
        w.writeAttribute("height", f(bottom - top));
        w.writeAttribute("fill", "#fafafa");
        w.writeAttribute("stroke", "#888");
        for (double t : ticks(y0, y1)) {
            tick(w, left - 4, py(t), left, py(t));
            text(w, left - 6, py(t) + 3, "end", num(t));
        }
        if (categories != null) {
            for (int i = 0; i < categories.length; i++) {
                if (i < x0 || i > x1) continue;
                tick(w, px(i), bottom, px(i), bottom + 4);
                text(w, px(i), bottom + 14, "middle", categories[i]);
            }
        } else {
            for (double t : ticks(x0, x1)) {
                tick(w, px(t), bottom, px(t), bottom + 4);
                text(w, px(t), bottom + 14, "middle", num(t));
            }
        }
        text(w, (left + right) / 2, height - 4, "middle", xLabel);
        text(w, left, 14, "start", title + (yLabel.isEmpty() ? "" : "  (" + yLabel + ")"));
    }

    private static void tick(XMLStreamWriter w, double xa, double ya, double xb, double yb) throws XMLStreamException {
        w.writeEmptyElement("line");
        w.writeAttribute("x1", f(xa));
        w.writeAttribute("y1", f(ya));
        w.writeAttribute("x2", f(xb));
        w.writeAttribute("y2", f(yb));
        w.writeAttribute("stroke", "#888");
    }

    private static void text(XMLStreamWriter w, double x, double y, String anchor, String s) throws XMLStreamException {
        if (s == null || s.isEmpty()) return;
        w.writeStartElement("text");
        w.writeAttribute("x", f(x));
        w.writeAttribute("y", f(y));
        w.writeAttribute("text-anchor", anchor);
        w.writeCharacters(s);
        w.writeEndElement();
    }

    /** Round tick values inside [lo, hi], at most about five: steps of 1, 2 or 5 times a power of ten. */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double step = mag * (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10);
        List<Double> out = new ArrayList<>();
        long first = (long) Math.ceil(lo / step - 1e-9);
        for (long i = first; i * step <= hi + step * 1e-9; i++) {
            double t = Double.parseDouble(String.format(Locale.ROOT, "%.12g", i * step));
            out.add(t == 0 ? 0.0 : t);
        }
        return out;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) return String.format(Locale.ROOT, "%.2e", v);
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
