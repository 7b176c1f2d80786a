package org.ketaprint.pet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.ketaprint.nifti.Grid;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.SliceImage;
import org.ketaprint.report.View;
import org.ketaprint.report.View.Plane;

/** The PET stage's report figure: the SUVR image (static / reference mean) with the feature ROIs outlined. */
final class PetFigures {
    static final double PANEL_PX = 220;
    static final int[] PALETTE = {0xff0000, 0x00d000, 0x0080ff, 0xff00ff, 0xffd000, 0x00e0e0};

    private PetFigures() {
    }

    static void add(StageResult r, PetData d) {
        r.figure("PET SUVR and ROIs", () -> suvr("PET SUVR and ROIs", d));
    }

    private static Figure suvr(String title, PetData d) {
        PetAnalysis.Result res = d.result();
        Grid g = d.image().grid();
        double[] v = d.image().values().clone();
        for (int i = 0; i < v.length; i++) v[i] /= res.referenceMean();
        View view = new View(g);
        int[] n = view.dims();
        double px = PANEL_PX / Math.max(n[0] * view.mm(0), Math.max(n[1] * view.mm(1), n[2] * view.mm(2)));
        List<String> names = d.featureRois();
        Map<String, boolean[]> masks = new LinkedHashMap<>();
        for (String name : names) masks.put(name, d.mask(name));
        TreeSet<Integer> axial = new TreeSet<>();
        for (boolean[] m : masks.values()) for (int k : view.slicesThrough(m, Plane.AXIAL, 1)) axial.add(k);
        double[] window = {0, Math.max(1e-9, quantile(v, 0.99))};
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("volume", "suvr");
        for (int k : axial) {
            SliceImage img = SliceImage.grey(view.slice(v, Plane.AXIAL, k), window);
            int i = 0;
            for (Map.Entry<String, boolean[]> e : masks.entrySet()) img.outline(e.getKey(), PALETTE[i++ % PALETTE.length], view.slice(e.getValue(), Plane.AXIAL, k));
            b.append(Html.slice(img, Plane.AXIAL, k, px, "SUVR", extra));
        }
        b.append("</div><p class=\"legend\">");
        int i = 0;
        for (String name : names) {
            b.append("<span style=\"color:").append(Html.colour(PALETTE[i++ % PALETTE.length])).append("\">&#9632; ")
                .append(Html.esc(name)).append("</span>");
        }
        b.append("</p>");
        String cap = String.format(Locale.ROOT, "The static image (%.0f-%.0f s) divided by the reference mean (%s, %d voxels), grey "
            + "from 0 to its 99th percentile (%.3g), axial slices through each ROI, the ROIs outlined as placed on the PET grid.",
            d.image().lo(), d.image().hi(), res.referenceSpec(), res.referenceVoxels(), window[1]);
        return new Figure(title, b.toString(), cap);
    }

    static double quantile(double[] v, double q) {
        double[] a = java.util.Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        return a.length == 0 ? 1 : a[(int) Math.round(q * (a.length - 1))];
    }
}
