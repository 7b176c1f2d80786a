package org.ketaprint.restingstate;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

import java.util.ArrayList;
import java.util.List;
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
        Result res = d.cached("alff:" + p.roi() + ":" + p.gsr(), () -> {
            Result a = d.multiRun() ? compute(d.concatenation(p.gsr()), p.roi())
                : compute(d.run, d.confounds, d.settings(p.gsr()), d.roi(p.roi()));
            d.map("stat-alff" + (p.gsr() ? "_desc-gsr" : ""), a.alff);
            d.map("stat-falff" + (p.gsr() ? "_desc-gsr" : ""), a.falff);
            return a;
        });
        return Value.of(p.value().equals("alff") ? res.roiAlff : res.roiFalff, res.naReason);
    }

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
        if (s.band() == null) throw new KetaprintException("ALFF needs a pass band (--band LO,HI)");
        Cleaning banded = Cleaning.of(run, confounds, s);
        return compute(run, confounds, s, banded, roi);
    }

    /** One run's ALFF/fALFF given its banded cleaning. */
    private static Result compute(BoldRun run, Confounds confounds, Settings s, Cleaning banded, Roi roi) {
        Result res = new Result();
        res.cleaning = banded;
        res.used = banded.censoring().used();
        res.censored = banded.censoring().censored();
        res.fdMean = banded.censoring().fdMean();
        int[] rows = roi == null ? null : run.rows(roi);
        res.roiVoxels = rows == null ? 0 : rows.length;
        if (banded.naReason() != null) {
            res.naReason = banded.naReason();
            return res;
        }
        Denoiser db = banded.denoiser();
        Denoiser dn = Cleaning.of(run, confounds, s, null).denoiser();
        boolean[] ok = run.varying(db.keptVolumes());
        int n = db.used();
        int[] all = java.util.stream.IntStream.range(0, run.size()).toArray();
        // the clean series have zero mean: SD = norm / sqrt(n - 1) = norm of the residual-space coordinates
        res.alff = norms(db.coordinates(run.data(), all), db.dof(), run.size(), n, ok);
        double[] full = norms(dn.coordinates(run.data(), all), dn.dof(), run.size(), n, ok);
        res.falff = new double[run.size()];
        for (int v = 0; v < run.size(); v++) res.falff[v] = res.alff[v] / full[v];
        if (rows != null) {
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
        if (c.settings().band() == null) throw new KetaprintException("ALFF needs a pass band (--band LO,HI)");
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
        Settings each = Concatenation.perRun(c.settings());
        double[] w = c.usedPerRun();
        double[] alff = new double[runs.size()];
        double[] falff = new double[runs.size()];
        List<double[]> alffMaps = new ArrayList<>();
        List<double[]> falffMaps = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RestingData.Run r = runs.get(i);
            Result one = compute(r.bold(), r.confounds(), each, c.cleaning(i), r.roi(roi));
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
