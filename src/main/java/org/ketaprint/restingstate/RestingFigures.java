package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.ketaprint.KetaprintException;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.SliceImage;
import org.ketaprint.report.View;
import org.ketaprint.report.View.Plane;

/**
 * The resting-state stage's report figures (issue 17), drawn from what the features computed (the shared cleaning and
 * maps in {@link RestingData}'s cache): mean BOLD with the ROIs, FD and DVARS per run, carpet plots before and after
 * denoising, the seed correlation and ALFF maps. Several runs: slices and maps on the first run's grid.
 */
final class RestingFigures {
    /** A slice panel's largest side, about (pixels). */
    static final double PANEL_PX = 220;
    /** Distinct saturated ROI colours, by the ROI's place in the stage's rois. */
    static final int[] PALETTE = {0xff0000, 0x00d000, 0x0080ff, 0xff00ff, 0xffd000, 0x00e0e0, 0xff8000, 0x9040ff};
    /** The seed map shows |z| at or above this. */
    static final double SEED_Z = 0.3;

    private final StageContext ctx;
    private final RestingData d;
    private final BoldRun run;
    private final View view;
    private final double pxPerMm;
    private double[] mean;
    private double[] window;
    private boolean[] brain;
    /** Centre slices by ROI mask and plane (each found once). */
    private final Map<boolean[], int[]> centres = new java.util.IdentityHashMap<>();
    private Map<String, boolean[]> rois;
    private final List<String> unplaced = new ArrayList<>();

    private RestingFigures(StageContext ctx, RestingData d) {
        this.ctx = ctx;
        this.d = d;
        this.run = d.run;
        this.view = new View(run.grid());
        int[] n = view.dims();
        this.pxPerMm = PANEL_PX / Math.max(n[0] * view.mm(0), Math.max(n[1] * view.mm(1), n[2] * view.mm(2)));
    }

    /** Adds every figure to {@code r}; one that cannot be drawn shows why. */
    static void add(StageContext ctx, RestingData d, StageResult r) {
        RestingFigures f = new RestingFigures(ctx, d);
        RestingTraces t = new RestingTraces(d, f.first(SeedCorrelation.NAME));
        figure(r, "Mean BOLD and ROIs", f::meanBold);
        for (RestingData.Run run : d.runs()) {
            String of = d.multiRun() ? " (" + run.label() + ")" : "";
            figure(r, "Framewise displacement" + of, title -> t.fd(title, run));
            figure(r, "DVARS" + of, title -> t.dvars(title, run));
        }
        figure(r, "Carpet plot before denoising", title -> t.carpet(title, false));
        figure(r, "Carpet plot after denoising", title -> t.carpet(title, true));
        figure(r, "Seed correlation map", f::seedMap);
        figure(r, "ALFF map", f::alffMap);
    }

    private static void figure(StageResult r, String title, java.util.function.Function<String, Figure> make) {
        r.figure(title, () -> make.apply(title));
    }

    /** The first run's mean over time per voxel (0 outside the brain mask). */
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

    /** The stage's ROIs on the first run's grid, by pipeline name (an ROI that cannot be placed is noted). */
    private Map<String, boolean[]> rois() {
        if (rois == null) {
            rois = new LinkedHashMap<>();
            for (String name : ctx.spec.rois.keySet()) {
                try {
                    rois.put(name, d.roi(name).voxels(run.grid()));
                } catch (RuntimeException e) {
                    unplaced.add(name + " (" + e.getMessage() + ")");
                }
            }
        }
        return rois;
    }

    private int colour(String roi) {
        int i = new ArrayList<>(ctx.spec.rois.keySet()).indexOf(roi);
        return i < 0 ? 0xffffff : PALETTE[i % PALETTE.length];
    }

    static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }

    /** A slice with {@code names}' outlines, the largest ROI drawn first so smaller ones stay whole on top. */
    private SliceImage slice(Plane p, int k, List<String> names) {
        if (window == null) window = SliceImage.window(mean());
        SliceImage img = SliceImage.grey(view.slice(mean(), p, k), window);
        List<String> order = new ArrayList<>(names);
        order.sort((a, b) -> Integer.compare(count(rois().get(b)), count(rois().get(a))));
        for (String n : order) img.outline(n, colour(n), view.slice(rois().get(n), p, k));
        return img;
    }

    private String legend(List<String> names) {
        StringBuilder b = new StringBuilder("<p class=\"legend\">");
        for (String n : names) {
            b.append("<span style=\"color:").append(Html.colour(colour(n))).append("\">&#9632; ").append(Html.esc(n)).append("</span>");
        }
        return b.append("</p>").toString();
    }

    /** The canonical slice through the centre of the mask along p; -1 when it is empty. */
    private int centre(boolean[] mask, Plane p) {
        int[] c = centres.computeIfAbsent(mask, m -> new int[] {-2, -2, -2});
        if (c[p.ordinal()] == -2) {
            int[] k = view.slicesThrough(mask, p, 1);
            c[p.ordinal()] = k.length == 0 ? -1 : k[0];
        }
        return c[p.ordinal()];
    }

    private Figure meanBold(String title) {
        List<String> names = new ArrayList<>(rois().keySet());
        TreeSet<Integer> axial = new TreeSet<>();
        for (String n : names) if (centre(rois().get(n), Plane.AXIAL) >= 0) axial.add(centre(rois().get(n), Plane.AXIAL));
        if (axial.isEmpty()) for (int k : view.slicesThrough(brain(), Plane.AXIAL, 4)) axial.add(k);
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        Map<String, String> extra = Map.of("volume", "mean_bold");
        for (int k : axial) b.append(Html.slice(slice(Plane.AXIAL, k, names), Plane.AXIAL, k, pxPerMm, "mean BOLD", extra));
        String seed = seedName();
        boolean[] s = seed == null ? null : rois().get(seed);
        if (s != null && centre(s, Plane.CORONAL) >= 0) {
            for (Plane p : new Plane[] {Plane.CORONAL, Plane.SAGITTAL}) {
                int k = centre(s, p);
                b.append(Html.slice(slice(p, k, names), p, k, pxPerMm, "mean BOLD", extra));
            }
        }
        b.append("</div>").append(legend(names));
        String cap = "Mean of the " + (d.multiRun() ? "first run's " : "") + "BOLD over time inside the brain mask (0 outside), "
            + "axial slices through each ROI's centre" + (s != null ? ", coronal and sagittal through the seed '" + seed + "'" : "")
            + "; each ROI of the stage outlined (its inner boundary) as placed on the BOLD grid."
            + (unplaced.isEmpty() ? "" : " Not placed: " + String.join("; ", unplaced) + ".");
        return new Figure(title, b.toString(), cap);
    }

    private boolean[] brain() {
        if (brain == null) {
            brain = new boolean[run.grid().size()];
            for (int v : run.voxels()) brain[v] = true;
        }
        return brain;
    }

    Feature first(String measure) {
        for (Feature f : ctx.spec.features) if (f.measure().name().equals(measure)) return f;
        return null;
    }

    /** The seed of the first seedcorr feature, else null. */
    private String seedName() {
        Feature f = first(SeedCorrelation.NAME);
        return f == null ? null : f.params(SeedCorrelation.Params.class).seed();
    }

    /** The first run's volume of a per-mask-voxel map (NaN outside the mask). */
    private double[] volume(double[] perVoxel) {
        double[] vol = new double[run.grid().size()];
        Arrays.fill(vol, Double.NaN);
        for (int v = 0; v < run.size(); v++) vol[run.voxels()[v]] = perVoxel[v];
        return vol;
    }

    /** The q-quantile (0..1) of the finite |values|, NaN when there are none. */
    static double quantileAbs(double[] values, double q) {
        double[] a = Arrays.stream(values).filter(Double::isFinite).map(Math::abs).sorted().toArray();
        return a.length == 0 ? Double.NaN : a[(int) Math.round(q * (a.length - 1))];
    }

    /** Map panels over the mean BOLD: {@code slices} as {plane ordinal, index}, outlines of {@code names}. */
    private String mapPanels(double[] vol, double thr, double max, List<int[]> slices, List<String> names, String kind) {
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("volume", kind);
        extra.put("threshold", Double.toString(thr));
        for (int[] s : slices) {
            Plane p = Plane.values()[s[0]];
            SliceImage img = slice(p, s[1], names).overlay(view.slice(vol, p, s[1]), thr, max);
            b.append(Html.slice(img, p, s[1], pxPerMm, kind, extra));
        }
        return b.append("</div>").append(legend(names)).toString();
    }

    private List<int[]> through(List<String> names) {
        List<int[]> out = new ArrayList<>();
        TreeSet<Integer> axial = new TreeSet<>();
        for (String n : names) if (centre(rois().get(n), Plane.AXIAL) >= 0) axial.add(centre(rois().get(n), Plane.AXIAL));
        if (axial.isEmpty()) for (int k : view.slicesThrough(brain(), Plane.AXIAL, 4)) axial.add(k);
        for (int k : axial) out.add(new int[] {Plane.AXIAL.ordinal(), k});
        if (!names.isEmpty() && centre(rois().get(names.get(0)), Plane.SAGITTAL) >= 0) {
            out.add(new int[] {Plane.SAGITTAL.ordinal(), centre(rois().get(names.get(0)), Plane.SAGITTAL)});
        }
        return out;
    }

    private List<String> placed(String... names) {
        List<String> out = new ArrayList<>();
        for (String n : names) if (n != null && rois().containsKey(n) && !out.contains(n)) out.add(n);
        return out;
    }

    private Figure seedMap(String title) {
        Feature f = first(SeedCorrelation.NAME);
        if (f == null) throw new KetaprintException("the stage has no seedcorr feature");
        SeedCorrelation.Params p = f.params(SeedCorrelation.Params.class);
        f.compute(d);   // the feature's cached result (its error, if it failed)
        SeedCorrelation.Result res = d.cached(SeedCorrelation.cacheKey(p), () -> null);
        double[] r = res.rMap;
        if (r == null) {   // write_maps: false, or n/a
            SeedCorrelation.Result m = d.multiRun() ? SeedCorrelation.compute(d.concatenation(p.gsr()), p.seed(), null, true)
                : SeedCorrelation.compute(run, d.cleaning(p.gsr(), true), d.roi(p.seed()), null, true);
            r = m.rMap;
            if (r == null) throw new KetaprintException(m.naReason != null ? m.naReason : "no voxel map: the runs are on different grids");
        }
        double[] z = new double[r.length];
        for (int i = 0; i < z.length; i++) z[i] = Stats.fisherZ(r[i]);
        double max = Math.max(SEED_Z + 0.1, quantileAbs(z, 0.99));
        List<String> names = placed(p.seed(), p.target());
        String html = mapPanels(volume(z), SEED_Z, max, through(names), names, "seed_z");
        String cap = String.format(Locale.ROOT, "Fisher z of each voxel's clean series with the mean clean series of '%s' "
            + "(the first seedcorr feature, %s GSR%s), shown where |z| >= %s (a fixed threshold; ImageJ's fire LUT positive, "
            + "ice negative, full colour at |z| = %.3g, the 99th percentile) over the mean BOLD; seed and target outlined.",
            p.seed(), p.gsr() ? "with" : "without", d.multiRun() ? "; runs concatenated, first run's grid" : "", RestingTraces.plain(SEED_Z), max);
        return new Figure(title, html, cap);
    }

    private Figure alffMap(String title) {
        Feature f = first(Alff.NAME);
        if (f == null) throw new KetaprintException("the stage has no alff feature");
        Alff.Params p = f.params(Alff.Params.class);
        f.compute(d);
        Alff.Result res = d.cached(Alff.cacheKey(p), () -> null);
        if (res.alff == null) {
            throw new KetaprintException(res.naReason != null ? res.naReason : "no voxel map: the runs are on different grids");
        }
        double thr = quantileAbs(res.alff, 0.5);
        double max = Math.max(thr * 1.01, quantileAbs(res.alff, 0.99));
        List<String> names = placed(p.roi());
        List<int[]> slices = through(names);
        for (int k : view.slicesThrough(brain(), Plane.AXIAL, 3)) {
            if (slices.stream().noneMatch(s -> s[0] == Plane.AXIAL.ordinal() && s[1] == k)) slices.add(new int[] {Plane.AXIAL.ordinal(), k});
        }
        String html = mapPanels(volume(res.alff), thr, max, slices, names, "alff");
        String cap = String.format(Locale.ROOT, "ALFF per voxel (the first alff feature's design, %s GSR%s) in ImageJ's fire LUT "
            + "where at or above its median over the brain mask (%.4g), full colour at its 99th percentile (%.4g), over the mean "
            + "BOLD; the feature's ROI '%s' outlined.", p.gsr() ? "with" : "without",
            d.multiRun() ? "; runs weighted by volumes used, first run's grid" : "", thr, max, p.roi());
        return new Figure(title, html, cap);
    }
}
