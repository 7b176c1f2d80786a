package org.ketaprint.restingstate;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ketaprint.KetaprintException;

/**
 * ALFF and fALFF as C-PAC defines them, per voxel over the brain mask: ALFF = sample SD (n - 1, as
 * 3dTstat -stdev) of the band-passed clean series (the projection with the band's regressors); fALFF =
 * ALFF / the same SD of the series cleaned without the band-pass regressors. Both use only the kept
 * volumes. ROI values are the mean of the voxel values (zero-variance voxels, NaN, left out).
 */
public final class Alff extends BaseMeasure<Alff.Params, RestingData> {
    public static final String NAME = "alff";

    /** The parameters of {@code alff}. */
    public record Params(
        @Param(help = "ROI: a name from the stage's rois, or sphere:X,Y,Z,R / atlas:FILE:LABEL[+LABEL]", required = true)
        String roi,
        @Param(help = "Add the global signal to the confound strategy", dflt = "false") boolean gsr,
        @Param(help = "alff: amplitude of low-frequency fluctuations; falff: its fraction of the whole band",
            dflt = "alff", choices = {"alff", "falff"}) String value) {
    }

    /** The measure (ServiceLoader needs an instance); the computation is {@link #compute(BoldRun, Confounds, Settings, Roi)}. */
    public Alff() {
        super(NAME, RestingStateStage.TYPE, Params.class, RestingData.class);
    }

    @Override
    public String units(Params p) {
        return p.value().equals("alff") ? "signal units" : "ratio";
    }

    @Override
    public String roi(Params p) {
        return p.roi();
    }

    @Override
    public String describe(Params p) {
        return p.value().equals("alff")
            ? "ALFF: sample SD (N-1) of the band-passed clean series, mean over the ROI's voxels (C-PAC)"
            : "fALFF: ALFF / SD of the series denoised without the band-pass regressors, mean over the ROI's voxels";
    }

    @Override
    public Value compute(RestingData d, Params p) {
        Result res = d.cached(cacheKey(p), () -> {
            String maps = "alff-maps:" + p.gsr();   // the voxel maps, shared by every ROI of the same design
            Result a;
            if (d.multiRun()) {
                Concatenation c = d.concatenation(p.gsr());
                a = compute(c, p.roi(), () -> d.cached(maps, () -> runMaps(c)));
            } else {
                Roi roi = d.roi(p.roi());
                if (d.settings.band() == null) throw new KetaprintException(NO_BAND);
                Cleaning banded = d.cleaning(p.gsr(), true);
                int[] rows = d.run.rows(roi);
                a = forRoi(d.cached(maps, () -> maps(d.run, banded, () -> d.cleaning(p.gsr(), false))), d.run, rows, roi);
            }
            d.map("stat-alff" + (p.gsr() ? "_desc-gsr" : ""), a.alff);
            d.map("stat-falff" + (p.gsr() ? "_desc-gsr" : ""), a.falff);
            return a;
        });
        return Value.of(p.value().equals("alff") ? res.roiAlff : res.roiFalff, res.naReason);
    }

    /** Where {@link RestingData#cached} keeps a feature's {@link Result} (alff and falff alike). */
    static String cacheKey(Params p) {
        return "alff:" + p.roi() + ":" + p.gsr();
    }

    static final String NO_BAND = "ALFF needs a pass band (--band LO,HI)";

    /** What {@link #compute} returns. */
    public static final class Result {
        public double[] alff;
        public double[] falff;
        public double roiAlff = Double.NaN;
        public double roiFalff = Double.NaN;
        public int roiVoxels;
        public int used;
        public int censored;
        public double fdMean;
        public String naReason;
        public Cleaning cleaning;
    }

    private static double[] norms(double[] coords, int m, int voxels, int n, boolean[] ok) {
        double[] sd = new double[voxels];
        for (int v = 0; v < voxels; v++) {
            double ss = 0;
            for (int j = 0, o = v * m; j < m; j++) ss += coords[o + j] * coords[o + j];
            sd[v] = ok[v] ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        }
        return sd;
    }

    public static Result compute(BoldRun run, Confounds confounds, Settings s, Roi roi) {
        if (s.band() == null) throw new KetaprintException(NO_BAND);
        Cleaning banded = Cleaning.of(run, confounds, s);
        int[] rows = roi == null ? null : run.rows(roi);
        return forRoi(maps(run, banded, () -> Cleaning.of(run, confounds, s, null)), run, rows, roi);
    }

    /** One run's ALFF and fALFF maps (no ROI) from its banded and unbanded cleanings, or why they are n/a. */
    private static Result maps(BoldRun run, Cleaning banded, Supplier<Cleaning> unbanded) {
        Result res = new Result();
        res.cleaning = banded;
        res.used = banded.censoring().used();
        res.censored = banded.censoring().censored();
        res.fdMean = banded.censoring().fdMean();
        if (banded.naReason() != null) {
            res.naReason = banded.naReason();
            return res;
        }
        Denoiser db = banded.denoiser();
        Denoiser dn = unbanded.get().denoiser();
        boolean[] ok = run.varying(db.keptVolumes());
        int n = db.used();
        int[] all = java.util.stream.IntStream.range(0, run.size()).toArray();
        // the clean series have zero mean: SD = norm / sqrt(n - 1) = norm of the residual-space coordinates
        res.alff = norms(db.coordinates(run.data(), all), db.dof(), run.size(), n, ok);
        double[] full = norms(dn.coordinates(run.data(), all), dn.dof(), run.size(), n, ok);
        res.falff = new double[run.size()];
        for (int v = 0; v < run.size(); v++) res.falff[v] = res.alff[v] / full[v];
        return res;
    }

    /** {@code whole} with the ROI means over {@code rows} (null: none); an ROI whose voxels are all constant fails. */
    private static Result forRoi(Result whole, BoldRun run, int[] rows, Roi roi) {
        Result res = new Result();
        res.cleaning = whole.cleaning;
        res.used = whole.used;
        res.censored = whole.censored;
        res.fdMean = whole.fdMean;
        res.naReason = whole.naReason;
        res.alff = whole.alff;
        res.falff = whole.falff;
        res.roiVoxels = rows == null ? 0 : rows.length;
        if (res.naReason == null && rows != null) {
            res.roiAlff = Stats.meanOver(res.alff, rows);
            res.roiFalff = Stats.meanOver(res.falff, rows);
            if (Double.isNaN(res.roiAlff)) {
                throw new KetaprintException("ROI " + roi.spec() + ": all its voxels have zero variance in " + run.path());
            }
        }
        return res;
    }

    /**
     * Several runs ({@link Concatenation}): ALFF and fALFF of each run alone, then their mean weighted by each run's
     * used volumes (the ROI values, and the maps on the first run's mask voxels when the runs share one grid: NaN
     * where a run lacks the voxel or it is constant in a run; no maps otherwise).
     */
    public static Result compute(Concatenation c, String roi) {
        return compute(c, roi, () -> runMaps(c));
    }

    /** Each run's maps alone ({@link #maps}); only when the concatenation is not n/a. */
    static List<Result> runMaps(Concatenation c) {
        Settings each = Concatenation.perRun(c.settings());
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < c.runs().size(); i++) {
            RestingData.Run r = c.runs().get(i);
            out.add(maps(r.bold(), c.cleaning(i), () -> Cleaning.of(r.bold(), r.confounds(), each, null)));
        }
        return out;
    }

    /** The same with each run's maps from {@code runMaps} (computed once per design by the pipeline). */
    static Result compute(Concatenation c, String roi, Supplier<List<Result>> runMaps) {
        if (c.settings().band() == null) throw new KetaprintException(NO_BAND);
        List<RestingData.Run> runs = c.runs();
        Result res = new Result();
        res.cleaning = c.cleaning(0);
        res.used = c.used();
        res.censored = c.censored();
        res.fdMean = c.fdMean();
        res.roiVoxels = runs.get(0).bold().rows(runs.get(0).roi(roi)).length;
        for (RestingData.Run r : runs) r.bold().rows(r.roi(roi));   // an ROI outside a run's mask fails as for one run
        if (c.naReason() != null) {
            res.naReason = c.naReason();
            return res;
        }
        List<Result> perRun = runMaps.get();
        double[] w = c.usedPerRun();
        double[] alff = new double[runs.size()];
        double[] falff = new double[runs.size()];
        List<double[]> alffMaps = new ArrayList<>();
        List<double[]> falffMaps = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RestingData.Run r = runs.get(i);
            Result one = forRoi(perRun.get(i), r.bold(), r.bold().rows(r.roi(roi)), r.roi(roi));
            alff[i] = one.roiAlff;
            falff[i] = one.roiFalff;
            alffMaps.add(one.alff);
            falffMaps.add(one.falff);
        }
        res.roiAlff = Concatenation.weighted(alff, w);
        res.roiFalff = Concatenation.weighted(falff, w);
        int[][] rows = Concatenation.rowsOfFirst(runs);
        if (rows != null) {
            res.alff = Concatenation.weighted(rows, alffMaps, w);
            res.falff = Concatenation.weighted(rows, falffMaps, w);
        }
        return res;
    }
}
