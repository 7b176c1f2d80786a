package org.ketaprint.taskfmri;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ketaprint.KetaprintException;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.Plot;
import org.ketaprint.report.SliceImage;
import org.ketaprint.report.View;
import org.ketaprint.report.View.Plane;
import org.ketaprint.restingstate.BoldRun;

/**
 * The task stage's report figures, from what the features computed: the condition regressors of the design (first
 * run), framewise displacement with the spike threshold, and each contrast's z map over the mean BOLD with the
 * stage's ROIs outlined.
 */
final class TaskFigures {
    static final double PANEL_PX = 220;
    /** z shown from here (p &lt; 0.001 one-sided). */
    static final double Z = 3.09;
    static final int[] PALETTE = {0xff0000, 0x00d000, 0x0080ff, 0xff00ff, 0xffd000, 0x00e0e0};
    static final String[] LINES = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"};

    private final StageContext ctx;
    private final TaskData d;
    private final BoldRun run;
    private final View view;
    private final double pxPerMm;
    private double[] mean;
    private double[] window;

    private TaskFigures(StageContext ctx, TaskData d) {
        this.ctx = ctx;
        this.d = d;
        this.run = d.runs().get(0).bold();
        this.view = new View(run.grid());
        int[] n = view.dims();
        this.pxPerMm = PANEL_PX / Math.max(n[0] * view.mm(0), Math.max(n[1] * view.mm(1), n[2] * view.mm(2)));
    }

    static void add(StageContext ctx, TaskData d, StageResult r) {
        TaskFigures f = new TaskFigures(ctx, d);
        r.figure("Task design (condition regressors)", () -> f.design("Task design (condition regressors)"));
        r.figure("Task run: framewise displacement", () -> f.fd("Task run: framewise displacement"));
        Set<String> contrasts = new LinkedHashSet<>();
        for (Feature feat : ctx.spec.features) {
            if (feat.measure().name().equals(TaskContrast.NAME)) contrasts.add(feat.params(TaskContrast.Params.class).contrast());
        }
        for (String c : contrasts) r.figure("z map: " + c, () -> f.zMap("z map: " + c, c));
    }

    private Figure design(String title) {
        TaskRun t = d.runs().get(0);
        Design ds = t.design();
        double[] ft = ds.frameTimes();
        List<String> cols = new ArrayList<>();
        for (String c : ds.conditions()) cols.addAll(List.of(c));
        double lo = 0, hi = 0;
        for (String c : cols) {
            int j = ds.names().indexOf(c);
            for (double[] row : ds.x()) {
                lo = Math.min(lo, row[j]);
                hi = Math.max(hi, row[j]);
            }
        }
        Plot p = new Plot("design", 760, 210, ft[0], ft[ft.length - 1], lo, hi > lo ? hi * 1.05 : 1)
            .labels("Condition regressors", "time (s)", "regressor");
        for (int i = 0; i < cols.size(); i++) {
            int j = ds.names().indexOf(cols.get(i));
            double[] y = new double[ft.length];
            for (int k = 0; k < y.length; k++) y[k] = ds.x()[k][j];
            p.line(cols.get(i), ft, y, LINES[i % LINES.length]);
        }
        StringBuilder legend = new StringBuilder("<p class=\"legend\">");
        for (int i = 0; i < cols.size(); i++) {
            legend.append("<span style=\"color:").append(LINES[i % LINES.length]).append("\">&#9632; ").append(Html.esc(cols.get(i)))
                .append("</span>");
        }
        legend.append("</p>");
        String cap = String.format(Locale.ROOT, "Each condition's regressor in the design of %s: events convolved with the %s "
            + "HRF, sampled at the frame times (slice-timing reference %s of the TR). The design has %d columns (conditions, "
            + "%d confounds and spikes, cosine drift, constant); the full matrix is in the design.tsv beside the maps.",
            run.path().getFileName(), ctx.spec.params(TaskStage.Params.class).hrf(), Html.num(t.sliceTimeRef()),
            ds.columns(), ds.columns() - ds.conditions().size() - driftColumns(ds));
        return new Figure(title, p.svg() + legend, cap);
    }

    private static int driftColumns(Design ds) {
        int n = 0;
        for (String s : ds.names()) if (s.startsWith("drift_") || s.equals("constant")) n++;
        return n;
    }

    private Figure fd(String title) {
        TaskRun t = d.runs().get(0);
        double thr = ctx.spec.params(TaskStage.Params.class).fdThreshold();
        int n = t.design().volumes();
        if (Double.isNaN(t.fdMean())) throw new KetaprintException("no framewise_displacement in the task run's confounds");
        boolean[] spike = new boolean[n];   // volumes with a spike regressor
        for (int j = 0; j < t.design().columns(); j++) {
            if (!t.design().names().get(j).startsWith("motion_outlier_")) continue;
            for (int v = 0; v < n; v++) if (t.design().x()[v][j] == 1) spike[v] = true;
        }
        double[] x = new double[n];
        for (int v = 0; v < n; v++) x[v] = v;
        double[] values = t.fd();
        double hi = Math.max(thr, java.util.Arrays.stream(values).max().orElse(0));
        Plot p = new Plot("fd", 760, 190, 0, n - 1, 0, hi > 0 ? hi * 1.08 : 1).labels("Framewise displacement", "volume", "mm")
            .line("fd", x, values, "#1f5fbf");
        if (thr > 0) p.hline("threshold", thr, "#d62728", "fd_threshold " + Html.num(thr) + " mm");
        double[] sx = java.util.stream.IntStream.range(0, n).filter(v -> spike[v]).asDoubleStream().toArray();
        double[] sy = java.util.Arrays.stream(sx).map(v -> values[(int) v]).toArray();
        int k = sx.length;
        if (k > 0) p.points("spikes", "censored", sx, sy, "#d62728", null);
        String cap = String.format(Locale.ROOT, "framewise_displacement of the task run (the first volume's n/a drawn as 0); "
            + "%d volume(s) above %s mm get a spike regressor (red circles); mean %s mm.", k, Html.num(thr), Html.num(t.fdMean()));
        return new Figure(title, p.svg(), cap);
    }

    private double[] mean() {
        if (mean == null) {
            int n = run.volumes();
            float[] data = run.data();
            mean = new double[run.grid().size()];
            for (int v = 0; v < run.size(); v++) {
                double s = 0;
                for (int t = 0, o = v * n; t < n; t++) s += data[o + t];
                mean[run.voxels()[v]] = s / n;
            }
        }
        return mean;
    }

    private Figure zMap(String title, String contrast) {
        TaskData.ContrastMaps m = d.contrast(contrast);
        int[] vox = d.voxels();
        double[] vol = new double[run.grid().size()];
        java.util.Arrays.fill(vol, Double.NaN);
        double maxAbs = 0;
        for (int i = 0; i < vox.length; i++) {
            vol[vox[i]] = m.z()[i];
            maxAbs = Math.max(maxAbs, Math.abs(m.z()[i]));
        }
        double max = Math.max(Z + 0.5, maxAbs);
        Map<String, boolean[]> rois = new LinkedHashMap<>();
        List<String> unplaced = new ArrayList<>();
        for (String name : ctx.spec.rois.keySet()) {
            try {
                int[] rows = d.rows(name);
                boolean[] b = new boolean[run.grid().size()];
                for (int r : rows) b[vox[r]] = true;
                rois.put(name, b);
            } catch (RuntimeException e) {
                unplaced.add(name + " (" + e.getMessage() + ")");
            }
        }
        TreeSet<Integer> axial = new TreeSet<>();
        for (boolean[] b : rois.values()) for (int k : view.slicesThrough(b, Plane.AXIAL, 1)) axial.add(k);
        boolean[] brain = new boolean[run.grid().size()];
        for (int v : run.voxels()) brain[v] = true;
        for (int k : view.slicesThrough(brain, Plane.AXIAL, 3)) axial.add(k);
        if (window == null) window = SliceImage.window(mean());
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("volume", "z");
        extra.put("threshold", Double.toString(Z));
        List<String> names = new ArrayList<>(rois.keySet());
        List<int[]> slices = new ArrayList<>();
        for (int k : axial) slices.add(new int[] {Plane.AXIAL.ordinal(), k});
        if (!rois.isEmpty()) {
            int[] s = view.slicesThrough(rois.values().iterator().next(), Plane.SAGITTAL, 1);
            if (s.length > 0) slices.add(new int[] {Plane.SAGITTAL.ordinal(), s[0]});
        }
        for (int[] s : slices) {
            Plane p = Plane.values()[s[0]];
            SliceImage img = SliceImage.grey(view.slice(mean(), p, s[1]), window).overlay(view.slice(vol, p, s[1]), Z, max);
            for (int i = 0; i < names.size(); i++) img.outline(names.get(i), PALETTE[i % PALETTE.length], view.slice(rois.get(names.get(i)), p, s[1]));
            b.append(Html.slice(img, p, s[1], pxPerMm, "z", extra));
        }
        b.append("</div><p class=\"legend\">");
        for (int i = 0; i < names.size(); i++) {
            b.append("<span style=\"color:").append(Html.colour(PALETTE[i % PALETTE.length])).append("\">&#9632; ")
                .append(Html.esc(names.get(i))).append("</span>");
        }
        b.append("</p>");
        String cap = String.format(Locale.ROOT, "z of the contrast %s (%s, %d degrees of freedom%s) where |z| >= %s (p < 0.001 "
            + "one-sided; ImageJ's fire LUT positive, ice negative, full colour at the largest |z|, %.3g) over the mean BOLD; "
            + "the stage's ROIs outlined as placed on the BOLD grid.%s", contrast,
            ctx.spec.params(TaskStage.Params.class).noise(), m.dof(), d.runs().size() > 1 ? ", runs combined by fixed effects" : "",
            Html.num(Z), max, unplaced.isEmpty() ? "" : " Not placed: " + String.join("; ", unplaced) + ".");
        return new Figure(title, b.toString(), cap);
    }
}
