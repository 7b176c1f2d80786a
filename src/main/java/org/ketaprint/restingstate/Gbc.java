package org.ketaprint.restingstate;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ketaprint.KetaprintException;

/**
 * Global brain connectivity: for every gray-matter voxel, the mean Fisher z (atanh, |r| clipped to
 * 1 - 1e-7) of its correlation with every other gray-matter voxel, on the clean series; GBCr when the
 * strategy regresses the global signal. Zero-variance voxels are NaN and left out of the set. The ROI value
 * is the mean of the map over the ROI's gray-matter voxels.
 */
public final class Gbc extends BaseMeasure<Gbc.Params, RestingData> {
    public static final String NAME = "gbc";

    /** The parameters of {@code gbc}. */
    public record Params(
        @Param(help = "ROI: a name from the stage's rois, or sphere:X,Y,Z,R / atlas:FILE:LABEL[+LABEL]", required = true)
        String roi,
        @Param(help = "Add the global signal to the confound strategy (GBCr)", dflt = "false") boolean gsr) {
    }

    /** The measure (ServiceLoader needs an instance); the computation is {@link #compute(BoldRun, Confounds, Settings, boolean[], Roi)}. */
    public Gbc() {
        super(NAME, RestingStateStage.TYPE, Params.class, RestingData.class);
    }

    @Override
    public String units(Params p) {
        return "z";
    }

    @Override
    public String roi(Params p) {
        return p.roi();
    }

    @Override
    public String describe(Params p) {
        return "Global brain connectivity: per gray-matter voxel the mean Fisher z (|r| clipped to 1-1e-7) of its "
            + "correlation with every other gray-matter voxel, averaged over the ROI, "
            + (p.gsr() ? "with" : "without") + " global signal regression";
    }

    @Override
    public Value compute(RestingData d, Params p) {
        Result res;
        if (d.multiRun()) {
            Concatenation c = d.concatenation(p.gsr());
            boolean[] gm = d.grayMatter();
            Roi roi = d.roi(p.roi());
            int[] rows = roiRows(d.run, gm, roi);
            res = forRoi(d.cached("gbc:" + p.gsr(), () -> whole(c, gm)), roi, rows, d.run.path().toString(), " in every run");
        } else {
            boolean[] gm = d.grayMatter();
            Roi roi = d.roi(p.roi());
            Cleaning c = d.cleaning(p.gsr(), true);
            int[] rows = roiRows(d.run, gm, roi);
            res = forRoi(d.cached("gbc:" + p.gsr(), () -> whole(d.run, c, gm)), roi, rows, d.run.path().toString(), "");
        }
        d.map("stat-gbc" + (p.gsr() ? "_desc-gsr" : ""), res.gbc);
        return Value.of(res.roiMean, res.naReason);
    }

    /** What {@link #compute} returns. */
    public static final class Result {
        /** Per mask voxel (row order of the run); NaN outside gray matter. */
        public double[] gbc;
        public double roiMean = Double.NaN;
        public int roiVoxels;
        public int grayVoxels;
        public int used;
        public int censored;
        public double fdMean;
        public String naReason;
        public Cleaning cleaning;
    }

    /** Gray matter per mask voxel from a mask image (&gt; 0; resampled by nearest neighbour if on another grid). */
    public static boolean[] grayMatter(BoldRun run, Path gmMask) {
        return grayMatter(run, gmMask, 0);
    }

    /** The same with a threshold: voxels &gt; threshold (e.g. 0.5 for an fMRIPrep GM probseg). */
    public static boolean[] grayMatter(BoldRun run, Path gmMask, double threshold) {
        boolean[] vol = BoldRun.maskOn(gmMask, run.grid(), new ArrayList<>(), threshold);
        boolean[] gm = new boolean[run.size()];
        int n = 0;
        for (int v = 0; v < gm.length; v++) {
            gm[v] = vol[run.voxels()[v]];
            if (gm[v]) n++;
        }
        if (n < 2) throw new KetaprintException(gmMask + ": fewer than 2 gray-matter voxels inside the brain mask");
        return gm;
    }

    public static Result compute(BoldRun run, Confounds confounds, Settings s, boolean[] gm, Roi roi) {
        Cleaning c = Cleaning.of(run, confounds, s);
        int[] roiRows = roi == null ? null : roiRows(run, gm, roi);
        return forRoi(whole(run, c, gm), roi, roiRows, run.path().toString(), "");
    }

    /** The ROI's gray-matter rows of {@code run} (the first run's, for several); none is an error. */
    static int[] roiRows(BoldRun run, boolean[] gm, Roi roi) {
        int[] rows = java.util.Arrays.stream(run.rows(roi)).filter(v -> gm[v]).toArray();
        if (rows.length == 0) {
            throw new KetaprintException("ROI " + roi.spec() + " has no gray-matter voxel inside the brain mask of " + run.path());
        }
        return rows;
    }

    /** The GBC map of one run (no ROI), or why it is n/a: what every ROI of the same design shares. */
    static Result whole(BoldRun run, Cleaning c, boolean[] gm) {
        Result res = new Result();
        res.cleaning = c;
        res.used = c.censoring().used();
        res.censored = c.censoring().censored();
        res.fdMean = c.censoring().fdMean();
        if (c.naReason() != null) {
            res.naReason = c.naReason();
            return res;
        }
        Denoiser d = c.denoiser();
        boolean[] ok = run.varying(d.keptVolumes());
        int[] rows = java.util.stream.IntStream.range(0, run.size()).filter(v -> gm[v] && ok[v]).toArray();
        res.grayVoxels = rows.length;
        if (rows.length < 2) throw new KetaprintException(run.path() + ": fewer than 2 gray-matter voxels with variance");
        int nt = d.dof();
        int np = FisherZSums.paddedRows(rows.length);
        float[] zt = standardizedTimeMajor(run, d, rows, np);
        double[] sums = FisherZSums.sums(zt, np, nt);
        res.gbc = new double[run.size()];
        java.util.Arrays.fill(res.gbc, Double.NaN);
        for (int i = 0; i < rows.length; i++) res.gbc[rows[i]] = sums[i] / (rows.length - 1);
        return res;
    }

    /** {@code whole} with the ROI's mean over {@code roiRows} (null: no ROI); {@code where} ends the n/a reason. */
    static Result forRoi(Result whole, Roi roi, int[] roiRows, String bold, String where) {
        Result res = new Result();
        res.cleaning = whole.cleaning;
        res.used = whole.used;
        res.censored = whole.censored;
        res.fdMean = whole.fdMean;
        res.naReason = whole.naReason;
        res.gbc = whole.gbc;
        res.grayVoxels = whole.grayVoxels;
        res.roiVoxels = roiRows == null ? 0 : roiRows.length;
        if (res.naReason == null && roiRows != null) {
            res.roiMean = Stats.meanOver(res.gbc, roiRows);
            if (Double.isNaN(res.roiMean)) res.naReason = noneVarying(roi, roiRows.length, bold, where);
        }
        return res;
    }

    /**
     * Several runs ({@link Concatenation}), which must share one grid: GBC of the concatenated, per-run z-scored
     * clean series, over the first run's gray-matter mask voxels that lie in every run's mask and vary in every run.
     * The concatenation's correlations are sum(n_r r_r) / sum(n_r): each run's unit-norm residual-space coordinates,
     * scaled by sqrt(n_r / sum(n_r)) and stacked, have them as dot products.
     */
    public static Result compute(Concatenation c, boolean[] gm, String roiName) {
        BoldRun first = c.runs().get(0).bold();
        Roi roi = c.runs().get(0).roi(roiName);
        int[] roiRows = roiRows(first, gm, roi);
        return forRoi(whole(c, gm), roi, roiRows, first.path().toString(), " in every run");
    }

    /** The GBC map of several runs (no ROI), or why it is n/a. */
    static Result whole(Concatenation c, boolean[] gm) {
        List<RestingData.Run> runs = c.runs();
        BoldRun first = runs.get(0).bold();
        Result res = new Result();
        res.cleaning = c.cleaning(0);
        res.used = c.used();
        res.censored = c.censored();
        res.fdMean = c.fdMean();
        if (c.naReason() != null) {
            res.naReason = c.naReason();
            return res;
        }
        int[][] at = Concatenation.rowsOfFirst(runs);
        if (at == null) {
            res.naReason = "the runs are on different grids; GBC concatenates voxel series and needs one grid";
            return res;
        }
        boolean[] ok = gm.clone();
        for (int i = 0; i < runs.size(); i++) {
            boolean[] varying = runs.get(i).bold().varying(c.cleaning(i).denoiser().keptVolumes());
            for (int v = 0; v < ok.length; v++) ok[v] &= at[i][v] >= 0 && varying[at[i][v]];
        }
        int[] rows = java.util.stream.IntStream.range(0, first.size()).filter(v -> ok[v]).toArray();
        res.grayVoxels = rows.length;
        if (rows.length < 2) throw new KetaprintException(first.path() + ": fewer than 2 gray-matter voxels with variance in every run");
        double total = c.used();
        int dims = 0;
        for (int i = 0; i < runs.size(); i++) dims += c.cleaning(i).denoiser().dof();
        int np = FisherZSums.paddedRows(rows.length);
        float[] zt = new float[dims * np];
        int offset = 0;
        for (int i = 0; i < runs.size(); i++) {
            Denoiser d = c.cleaning(i).denoiser();
            int m = d.dof();
            int[] own = new int[rows.length];
            for (int k = 0; k < rows.length; k++) own[k] = at[i][rows[k]];
            double[] co = d.coordinates(runs.get(i).bold().data(), own);
            double scale = Math.sqrt(d.used() / total);
            int o0 = offset;
            java.util.stream.IntStream.range(0, rows.length).parallel().forEach(k -> {
                int o = k * m;
                double ss = 0;
                for (int t = 0; t < m; t++) ss += co[o + t] * co[o + t];
                double inv = ss > 0 ? scale / Math.sqrt(ss) : 0;
                for (int t = 0; t < m; t++) zt[(o0 + t) * np + k] = (float) (co[o + t] * inv);
            });
            offset += m;
        }
        double[] sums = FisherZSums.sums(zt, np, dims);
        res.gbc = new double[first.size()];
        java.util.Arrays.fill(res.gbc, Double.NaN);
        for (int k = 0; k < rows.length; k++) res.gbc[rows[k]] = sums[k] / (rows.length - 1);
        return res;
    }

    /** Why the ROI's GBC is n/a when every one of its gray-matter voxels is constant or non-finite over the used volumes. */
    static String noneVarying(Roi roi, int voxels, String bold, String where) {
        return "ROI " + roi.spec() + ": none of its " + voxels + " gray-matter voxel(s) in the brain mask of " + bold
            + " varies" + where + " over the used volumes (each is constant or non-finite), so it has no GBC";
    }

    /**
     * Unit-norm residual-space coordinates of the given rows (dot products of these are the correlations of
     * the clean series), time-major with {@code np} columns (zero padding).
     */
    static float[] standardizedTimeMajor(BoldRun run, Denoiser d, int[] rows, int np) {
        int m = d.dof();
        double[] c = d.coordinates(run.data(), rows);
        float[] zt = new float[m * np];
        java.util.stream.IntStream.range(0, rows.length).parallel().forEach(i -> {
            int o = i * m;
            double ss = 0;
            for (int t = 0; t < m; t++) ss += c[o + t] * c[o + t];
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            for (int t = 0; t < m; t++) zt[t * np + i] = (float) (c[o + t] * inv);
        });
        return zt;
    }
}
