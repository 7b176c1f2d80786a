package org.ketaprint.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The SVG is well-formed, escapes text, and its points map back to the data through the root's attributes. */
class PlotTest {
    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    static double attr(Element e, String a) {
        return Double.parseDouble(e.getAttribute(a));
    }

    @Test
    void pointsMapBack() throws Exception {
        double[] xs = {0, 1, 2, 3, 4};
        double[] ys = {0.1, 0.7, Double.NaN, 0.2, 1.4};
        Plot p = new Plot("fd", 400, 150, 0, 4, 0, 1.5).labels("FD <mm> & \"co\"", "volume", "mm")
            .line("fd", xs, ys, "#333").points("fd", "censored", new double[] {4}, new double[] {1.4}, "red", new String[] {"vol 4"})
            .hline("threshold", 0.5, "red", "0.5 mm");
        Document d = parse(p.svg());
        Element root = d.getDocumentElement();
        assertEquals("fd", root.getAttribute("data-plot"));
        NodeList lines = d.getElementsByTagName("polyline");
        assertEquals(2, lines.getLength(), "the NaN breaks the line in two");
        double x0 = attr(root, "data-x0");
        double x1 = attr(root, "data-x1");
        double y0 = attr(root, "data-y0");
        double y1 = attr(root, "data-y1");
        double left = attr(root, "data-left");
        double top = attr(root, "data-top");
        double w = attr(root, "data-w");
        double h = attr(root, "data-h");
        int[] which = {0, 1, 3, 4};
        int k = 0;
        for (int l = 0; l < lines.getLength(); l++) {
            for (String pt : ((Element) lines.item(l)).getAttribute("points").split(" ")) {
                String[] c = pt.split(",");
                double x = x0 + (Double.parseDouble(c[0]) - left) / w * (x1 - x0);
                double y = y0 + (1 - (Double.parseDouble(c[1]) - top) / h) * (y1 - y0);
                assertEquals(xs[which[k]], x, 1e-4);
                assertEquals(ys[which[k]], y, 1e-4);
                k++;
            }
        }
        assertEquals(4, k);
        Element circle = (Element) d.getElementsByTagName("circle").item(0);
        assertEquals("censored", circle.getAttribute("class"));
        assertEquals("vol 4", circle.getTextContent());
        assertTrue(p.svg().contains("FD &lt;mm&gt; &amp;"), "text escaped by the writer");
        Element thr = null;
        NodeList ls = d.getElementsByTagName("line");
        for (int i = 0; i < ls.getLength(); i++) if ("threshold".equals(((Element) ls.item(i)).getAttribute("class"))) thr = (Element) ls.item(i);
        assertEquals(0.5, attr(thr, "data-value"));
        assertEquals(top + h * (1 - 0.5 / 1.5), attr(thr, "y1"), 1e-3);
    }

    @Test
    void rangesAndTicks() {
        double[] r = Plot.range(new double[] {1, Double.NaN, 3});
        assertEquals(0.9, r[0], 1e-12);
        assertEquals(3.1, r[1], 1e-12);
        assertEquals(java.util.List.of(0.0, 0.5, 1.0, 1.5), Plot.ticks(0, 1.6));
        assertEquals(java.util.List.of(0.0, 50.0, 100.0, 150.0, 200.0), Plot.ticks(-3, 201));
        assertEquals("0.5", Plot.num(0.5));
        assertEquals("1.20e+04", Plot.num(12000.5));
        assertEquals("200", Plot.num(200));
    }
}
