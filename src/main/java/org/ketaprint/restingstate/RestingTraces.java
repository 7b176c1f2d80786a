package org.ketaprint.restingstate;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.Plot;

/**
 * The resting-state figures over time ({@link RestingFigures} adds them): FD and DVARS per run with the censored
 * volumes, and carpet plots of the first run before and after the features' shared cleaning.
 */
final class RestingTraces {
    static final int CARPET_ROWS = 400;
    static final int CENSORED = 0xd00000;

    private final RestingData d;
    private final BoldRun run;
    /** The first seedcorr feature (its design is the carpet's), or null. */
    private final Feature seedcorr;

    RestingTraces(RestingData d, Feature seedcorr) {
        this.d = d;
        this.run = d.run;
        this.seedcorr = seedcorr;
    }

    private static double[] index(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    /** Circles of class "censored" at the censored volumes of {@code ys}. */
    private static void markCensored(Plot p, boolean[] keep, double[] ys) {
        int n = 0;
        for (int t = 0; t < keep.length; t++) if (!keep[t] && Double.isFinite(ys[t])) n++;
        double[] cx = new double[n];
        double[] cy = new double[n];
        String[] titles = new String[n];
        for (int t = 0, i = 0; t < keep.length; t++) {
            if (keep[t] || !Double.isFinite(ys[t])) continue;
            cx[i] = t;
            cy[i] = ys[t];
            titles[i++] = String.format(Locale.ROOT, "volume %d censored (%.4g)", t, ys[t]);
        }
        p.points("censored", "censored", cx, cy, Html.colour(CENSORED), titles);
    }

    Figure fd(String title, RestingData.Run r) {
        if (r.confounds() == null) throw new KetaprintException("no confounds file, so no framewise displacement");
        double[] fd = r.confounds().framewiseDisplacement();
        Censoring c = Cleaning.censoring(r.bold(), r.confounds(), d.settings);
        double thr = d.settings.fdThreshold();
        double hi = Math.max(thr, Arrays.stream(fd).max().orElse(0));
        Plot p = new Plot("fd", 760, 190, 0, fd.length - 1, 0, hi > 0 ? hi * 1.08 : 1)
            .labels("Framewise displacement", "volume", "mm").line("fd", index(fd.length), fd, "#1f5fbf");
        if (thr > 0) p.hline("threshold", thr, Html.colour(CENSORED), "fd_threshold " + plain(thr) + " mm");
        markCensored(p, c.keep(), fd);
        String cap = String.format(Locale.ROOT, "framewise_displacement of %s per volume, as the stage used it: the first "
            + "volume's n/a (fMRIPrep) drawn as 0, the value fd_mean counts. %s; %d of %d volumes censored (red circles).",
            fileName(r.confounds().source()), thr > 0 ? "Dashed line: fd_threshold " + plain(thr) + " mm" : "Censoring off (fd_threshold 0)",
            c.censored(), c.volumes());
        return new Figure(title, p.svg(), cap);
    }

    /** 0.5 as "0.5". */
    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String fileName(String path) {
        return java.nio.file.Path.of(path).getFileName().toString();
    }

    Figure dvars(String title, RestingData.Run r) {
        Confounds conf = r.confounds();
        String col = conf == null ? null : conf.has("std_dvars") ? "std_dvars" : conf.has("dvars") ? "dvars" : null;
        double[] v = col != null ? conf.column(col) : dvars(r.bold());
        double[] range = Plot.range(v);
        Plot p = new Plot("dvars", 760, 190, 0, v.length - 1, Math.min(0, range[0]), range[1])
            .labels("DVARS", "volume", col != null ? col : "signal units").line("dvars", index(v.length), v, "#2e8b57");
        boolean[] keep = null;
        if (conf != null && conf.has("framewise_displacement")) {
            keep = Cleaning.censoring(r.bold(), conf, d.settings).keep();
            markCensored(p, keep, v);
        }
        String how = col != null ? "the confounds file's " + col + " column (n/a values left out)"
            : "computed from the masked BOLD (no dvars column in the confounds): the RMS over the brain-mask voxels of the "
                + "difference from the previous volume (none for the first)";
        return new Figure(title, p.svg(), "DVARS per volume: " + how + (keep != null ? "; censored volumes circled in red." : "."));
    }

    /** RMS over the mask voxels of x[t] - x[t-1]; NaN at t = 0. */
    static double[] dvars(BoldRun b) {
        int n = b.volumes();
        double[] s = new double[n];
        float[] data = b.data();
        for (int v = 0; v < b.size(); v++) {
            int o = v * n;
            for (int t = 1; t < n; t++) {
                double x = data[o + t] - data[o + t - 1];
                s[t] += x * x;
            }
        }
        s[0] = Double.NaN;
        for (int t = 1; t < n; t++) s[t] = Math.sqrt(s[t] / b.size());
        return s;
    }

    /** The cleaning the features share: the first seedcorr feature's design (else no GSR), banded, of the first run. */
    private Cleaning sharedCleaning() {
        Feature f = seedcorr;
        boolean gsr = f != null && f.params(SeedCorrelation.Params.class).gsr();
        if (!d.multiRun()) return d.cleaning(gsr, true);
        Cleaning c = d.concatenation(gsr).cleaning(0);
        if (c == null) throw new KetaprintException("no volume of the first run is left after censoring");
        return c;
    }

    Figure carpet(String title, boolean after) {
        boolean[] gm;
        String rowsFrom;
        try {
            gm = d.grayMatter();
            rowsFrom = "gray-matter voxels (GM probability > gm_threshold)";
        } catch (RuntimeException e) {
            gm = new boolean[run.size()];
            Arrays.fill(gm, true);
            rowsFrom = "all brain-mask voxels (no gray matter: " + e.getMessage() + ")";
        }
        boolean[] g = gm;
        int[] rows = java.util.stream.IntStream.range(0, g.length).filter(v -> g[v]).toArray();
        int m = Math.min(rows.length, CARPET_ROWS);
        int[] shown = new int[m];
        for (int i = 0; i < m; i++) shown[i] = rows[(int) ((long) i * rows.length / m)];
        int n = run.volumes();
        float[] z = new float[n * m];
        boolean[] keep;
        String how;
        if (after) {
            Cleaning c = sharedCleaning();
            Denoiser dn = c.denoiser();
            if (dn.dof() < 2) throw new KetaprintException("the design leaves " + dn.dof() + " degrees of freedom");
            keep = c.censoring().keep();
            int[] kept = dn.keptVolumes();
            Arrays.fill(z, Float.NaN);
            for (int i = 0; i < m; i++) {
                double[] clean = dn.clean(series(shown[i]));
                zscore(clean);
                for (int j = 0; j < kept.length; j++) z[i * n + kept[j]] = (float) clean[j];
            }
            how = "the residuals of the features' shared cleaning (" + dn.regressors().size() + " regressors, "
                + dn.used() + " volumes used; censored volumes are the dark red gaps)"
                + (c.naReason() == null ? "" : "; the features are n/a: " + c.naReason());
        } else {
            keep = rawCensoring();
            for (int i = 0; i < m; i++) {
                double[] x = series(shown[i]);
                zscore(x);
                for (int t = 0; t < n; t++) z[i * n + t] = (float) x[t];
            }
            how = "the preprocessed BOLD as read";
        }
        int sx = Math.max(1, (int) Math.round(600.0 / n));   // shown blown up by the browser, drawn at 1 pixel per value
        int sy = Math.max(1, 200 / Math.max(m, 1));
        ColorProcessor img = carpetImage(z, n, m, keep);
        int censored = n - RestingFigures.count(keep);
        String html = "<div class=\"carpet\" data-volumes=\"" + n + "\" data-rows=\"" + m + "\" data-censored=\"" + censored
            + "\"><img alt=\"carpet plot\" style=\"image-rendering:pixelated\" width=\"" + img.getWidth() * sx + "\" height=\""
            + img.getHeight() * sy + "\" src=\"" + Html.dataUri(png(img)) + "\"></div>";
        String cap = String.format(Locale.ROOT, "%d of %d %s%s (rows, in mask order) x %d volumes (columns): %s; each row z-scored"
            + " (grey from -2 black to +2 white). Red ticks above: the %d volumes censored (FD > fd_threshold).", m, rows.length,
            rowsFrom, d.multiRun() ? " of the first run" : "", n, how, censored);
        return new Figure(title, html, cap);
    }

    /** The first run's censoring, or none when it cannot be made (no confounds or FD). */
    private boolean[] rawCensoring() {
        try {
            return Cleaning.censoring(run, d.confounds, d.settings).keep();
        } catch (RuntimeException e) {
            return Censoring.none(run.volumes()).keep();
        }
    }

    private double[] series(int row) {
        int n = run.volumes();
        double[] x = new double[n];
        for (int t = 0; t < n; t++) x[t] = run.data()[row * n + t];
        return x;
    }

    /** In place: mean 0, SD 1 (a constant row: 0). */
    static void zscore(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        double mu = s / x.length;
        double ss = 0;
        for (double v : x) ss += (v - mu) * (v - mu);
        double sd = Math.sqrt(ss / x.length);
        for (int i = 0; i < x.length; i++) x[i] = sd > 0 ? (x[i] - mu) / sd : 0;
    }

    /** Rows x volumes in ImageJ's grey LUT over [-2, 2] (NaN: dark red gaps) under a strip with the censored volumes in red. */
    static ColorProcessor carpetImage(float[] z, int n, int m, boolean[] keep) {
        FloatProcessor fp = new FloatProcessor(n, m, z);
        fp.setMinAndMax(-2, 2);
        byte[] grey = (byte[]) ((ByteProcessor) fp.convertToByteProcessor(true)).getPixels();
        int strip = 6;
        int[] px = new int[n * (strip + 1 + m)];
        Arrays.fill(px, 0xffffff);
        for (int t = 0; t < n; t++) if (!keep[t]) for (int y = 0; y < strip; y++) px[y * n + t] = CENSORED;
        for (int i = 0; i < n * m; i++) {
            int g = grey[i] & 0xff;
            px[(strip + 1) * n + i] = Float.isNaN(z[i]) ? 0x550000 : (g << 16) | (g << 8) | g;
        }
        return new ColorProcessor(n, strip + 1 + m, px);
    }

    static byte[] png(ColorProcessor cp) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(cp.getBufferedImage(), "png", bo);
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
