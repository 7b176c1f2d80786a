package org.ketaprint.structural;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.SliceImage;
import org.ketaprint.report.View;

/**
 * The structural section's figures: per measured region, 3 slices in each plane through it, on the T1w (resampled
 * to the segmentation's grid by nearest neighbour when its grid differs) or, without a T1w, on the segmentation
 * itself (labels &gt; 0); every measured region outlined on every slice.
 */
final class StructuralFigures {
    /** Outline colours in the order regions appear in the pipeline (saturated, never grey). */
    static final int[] COLOURS = {0xff2d2d, 0x2d9bff, 0xffd21f, 0x2dff6e, 0xff3dff, 0x1ff4ff, 0xff8c1a, 0x9a5cff};
    private static final double PANEL_PX = 200;

    private StructuralFigures() {
    }

    static void add(StageContext ctx, StageResult r, Segmentation s) {
        Map<String, Integer> regions = new LinkedHashMap<>();
        for (Feature f : ctx.spec.features) {
            if (f.params() instanceof Volume.Params v && !regions.containsKey(v.label().trim())) {
                try {
                    regions.put(v.label().trim(), s.label(v.label()));
                } catch (RuntimeException e) {
                    // an unknown label is the feature's own n/a; nothing to draw
                }
            }
        }
        if (regions.isEmpty()) return;
        Path t1 = ctx.optionalInput("t1w");
        double[] labels = s.seg.readVolumeDouble(0);
        Grid g = s.seg.grid();
        double[][] bg = {null};
        String[] bgName = {"seg"};
        r.figure("Background", () -> {
            String text;
            if (t1 != null) {
                Image t = Images.open(t1);
                double[] v = t.readVolumeDouble(0);
                boolean same = t.grid().sameAs(g);
                bg[0] = same ? v : g.resampleNearest(t.grid(), v, 0);
                bgName[0] = "t1w";
                text = "Background: " + t1.getFileName() + (same ? "" : " (resampled to the segmentation's grid, nearest neighbour)") + ".";
            } else {
                text = "No T1w found (input t1w): regions are drawn on the segmentation " + s.path().getFileName()
                    + " (labels > 0 in grey).";
            }
            return new Figure("Background", "<p>" + Html.esc(text) + "</p>", "");
        });
        if (bg[0] == null) {   // no T1w, or it could not be read (the figure above says why)
            bg[0] = new double[labels.length];
            for (int i = 0; i < labels.length; i++) bg[0][i] = labels[i] > 0 ? 1 : 0;
        }
        View view = new View(g);
        List<boolean[]> masks = new ArrayList<>();
        for (int l : regions.values()) {
            boolean[] m = new boolean[labels.length];
            for (int i = 0; i < m.length; i++) m[i] = labels[i] == l;
            masks.add(m);
        }
        int[] d = view.dims();
        double fov = Math.max(d[0] * view.mm(0), Math.max(d[1] * view.mm(1), d[2] * view.mm(2)));
        double pxPerMm = PANEL_PX / fov;
        List<String> names = new ArrayList<>(regions.keySet());
        double[][] win = {null};
        for (int ri = 0; ri < names.size(); ri++) {
            int which = ri;
            String name = names.get(ri);
            r.figure(name, () -> {
                double[] window = windowOnce(bg[0], win);
                StringBuilder html = new StringBuilder("<div class=\"figs\">");
                int n = 0;
                for (View.Plane p : new View.Plane[] {View.Plane.AXIAL, View.Plane.CORONAL, View.Plane.SAGITTAL}) {
                    for (int k : view.slicesThrough(masks.get(which), p, 3)) {
                        SliceImage img = SliceImage.grey(view.slice(bg[0], p, k), window);
                        View.Slice ls = view.slice(labels, p, k);
                        for (int j = 0; j < names.size(); j++) {
                            img.outline(names.get(j), COLOURS[j % COLOURS.length], View.equalTo(ls, regions.get(names.get(j))));
                        }
                        html.append(Html.slice(img, p, k, pxPerMm, name + " " + p.label() + " " + k,
                            Map.of("volume", bgName[0], "region", name)));
                        n++;
                    }
                }
                if (n == 0) throw new IllegalStateException("label " + regions.get(name) + " has no voxel in " + s.path().getFileName());
                return new Figure(name + " (label " + regions.get(name) + ")", html.append("</div>").toString(),
                    "Outlines: " + legend(names) + ". Background: " + (bgName[0].equals("t1w") ? "T1w" : "the segmentation (no T1w)") + ".");
            });
        }
    }

    private static String legend(List<String> names) {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) out.add(names.get(j) + " " + Html.colour(COLOURS[j % COLOURS.length]));
        return String.join(", ", out);
    }

    private static double[] windowOnce(double[] bg, double[][] cache) {
        if (cache[0] == null) cache[0] = SliceImage.window(bg);
        return cache[0];
    }
}
