package org.ketaprint.mrs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ketaprint.nifti.Grid;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.SliceImage;
import org.ketaprint.report.View;
import org.ketaprint.report.View.Plane;

/** The MRS stage's report figure: the voxel's coverage outlined on the GM map, three planes through its centre. */
final class MrsFigures {
    static final double PANEL_PX = 220;

    private MrsFigures() {
    }

    static void add(StageResult r, MrsJob.Result res, double[] gm) {
        r.figure("MRS voxel on the T1 grid", () -> voxel("MRS voxel on the T1 grid", res, gm));
    }

    private static Figure voxel(String title, MrsJob.Result res, double[] gm) {
        Grid g = res.mask().grid();
        View view = new View(g);
        int[] n = view.dims();
        double px = PANEL_PX / Math.max(n[0] * view.mm(0), Math.max(n[1] * view.mm(1), n[2] * view.mm(2)));
        boolean[] half = new boolean[g.size()];
        double[] cov = res.mask().coverage();
        for (int i = 0; i < half.length; i++) half[i] = cov[i] >= 0.5;
        double[] window = SliceImage.window(gm);
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("volume", "gm_probseg");
        for (Plane p : Plane.values()) {
            int[] k = view.slicesThrough(half, p, 1);
            if (k.length == 0) continue;
            SliceImage img = SliceImage.grey(view.slice(gm, p, k[0]), window).outline("voxel", 0xffd000, view.slice(half, p, k[0]));
            b.append(Html.slice(img, p, k[0], px, "GM probability", extra));
        }
        b.append("</div>");
        double[] c = res.voxel().centre();
        String cap = String.format(Locale.ROOT, "The MRS voxel of %s (%.0f x %.0f x %.0f mm, centre %.1f, %.1f, %.1f mm) outlined where it covers "
            + "at least half a T1 voxel, on the GM probability map; tissue fractions GM %.3f, WM %.3f, CSF %.3f; coverage volume "
            + "%.0f mm^3.", res.voxel().file().getFileName(), res.voxel().sizeMm()[0], res.voxel().sizeMm()[1], res.voxel().sizeMm()[2],
            c[0], c[1], c[2], res.fractions()[0], res.fractions()[1], res.fractions()[2], res.mask().volumeMm3());
        return new Figure(title, b.toString(), cap);
    }
}
