package org.ketaprint.restingstate;

import org.ketaprint.KetaprintException;

/**
 * ALFF and fALFF as C-PAC defines them, per voxel over the brain mask: ALFF = sample SD (n - 1, as
 * 3dTstat -stdev) of the band-passed clean series (the projection with the band's regressors); fALFF =
 * ALFF / the same SD of the series cleaned without the band-pass regressors. Both use only the kept
 * volumes. ROI values are the mean of the voxel values (zero-variance voxels, NaN, left out).
 */
public final class Alff {
    private Alff() {
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

    public static Result compute(BoldRun run, Confounds confounds, Settings s, Roi roi) {
        if (s.band() == null) throw new KetaprintException("ALFF needs a pass band (--band LO,HI)");
        Cleaning banded = Cleaning.of(run, confounds, s);
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
        float[] cb = db.clean(run.data(), run.size());
        res.alff = new double[run.size()];
        for (int v = 0; v < run.size(); v++) res.alff[v] = ok[v] ? Stats.sd(cb, v, n) : Double.NaN;
        cb = null;
        float[] cn = dn.clean(run.data(), run.size());
        res.falff = new double[run.size()];
        for (int v = 0; v < run.size(); v++) res.falff[v] = ok[v] ? res.alff[v] / Stats.sd(cn, v, n) : Double.NaN;
        if (rows != null) {
            res.roiAlff = Stats.meanOver(res.alff, rows);
            res.roiFalff = Stats.meanOver(res.falff, rows);
            if (Double.isNaN(res.roiAlff)) {
                throw new KetaprintException("ROI " + roi.spec() + ": all its voxels have zero variance in " + run.path());
            }
        }
        return res;
    }
}
