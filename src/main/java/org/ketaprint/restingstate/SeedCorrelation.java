package org.ketaprint.restingstate;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ketaprint.KetaprintException;

/**
 * Seed connectivity: the Pearson r (and Fisher z = atanh r) between the clean mean series of a seed ROI
 * and of a target ROI, and optionally the seed-to-voxel r map over the brain mask. An ROI's series is the
 * mean of its mask voxels' series, zero-variance voxels left out; such voxels are NaN in the maps.
 */
public final class SeedCorrelation extends BaseMeasure<SeedCorrelation.Params, RestingData> {
    public static final String NAME = "seedcorr";

    /** The parameters of {@code seedcorr}. */
    public record Params(
        @Param(help = "Seed ROI: a name from the stage's rois, or sphere:X,Y,Z,R / atlas:FILE:LABEL[+LABEL]", required = true)
        String seed,
        @Param(help = "Target ROI (same forms as seed)", required = true) String target,
        @Param(help = "Add the global signal to the confound strategy", dflt = "false") boolean gsr,
        @Param(help = "z: Fisher z (atanh r); r: Pearson r", dflt = "z", choices = {"z", "r"}) String value) {
    }

    /** The measure (ServiceLoader needs an instance); the computation is {@link #compute(BoldRun, Confounds, Settings, Roi, Roi, boolean)}. */
    public SeedCorrelation() {
        super(NAME, RestingStateStage.TYPE, Params.class, RestingData.class);
    }

    @Override
    public String units(Params p) {
        return p.value();
    }

    @Override
    public String roi(Params p) {
        return p.seed() + " -> " + p.target();
    }

    @Override
    public String describe(Params p) {
        return (p.value().equals("r") ? "Pearson r" : "Fisher z (atanh r)") + " between the mean clean series of '" + p.seed()
            + "' and '" + p.target() + "', " + (p.gsr() ? "with" : "without") + " global signal regression";
    }

    @Override
    public Value compute(RestingData d, Params p) {
        Result res = d.cached(cacheKey(p), () -> {   // r and z alike
            Result a = d.multiRun() ? compute(d.concatenation(p.gsr()), p.seed(), p.target(), d.maps != null)
                : compute(d.run, d.cleaning(p.gsr(), true), d.roi(p.seed()), d.roi(p.target()), d.maps != null);
            if (a.rMap != null) {
                String e = "seed-" + RestingData.entity(p.seed()) + (p.gsr() ? "_desc-gsr" : "");
                d.map(e + "_stat-r", a.rMap);
                d.map(e + "_stat-z", a.zMap());
            }
            return a;
        });
        return p.value().equals("r") ? Value.of(res.r, res.naReason) : Value.of(res.z, res.zReason());
    }

    /** Where {@link RestingData#cached} keeps a feature's {@link Result} (r and z alike). */
    static String cacheKey(Params p) {
        return "seedcorr:" + p.seed() + "\n" + p.target() + ":" + p.gsr();
    }

    /** What {@link #compute} returns. Values are NaN when {@link #naReason} is set; z also when {@link #zNaReason} is. */
    public static final class Result {
        public double r = Double.NaN;
        public double z = Double.NaN;
        public int used;
        public int censored;
        public double fdMean;
        /** Why r and z are n/a (too little time left, a seed or target series with nothing left after cleaning). */
        public String naReason;
        /** Why z alone is n/a: r = 1 or -1 ({@link Stats#zNaReason}). */
        public String zNaReason;
        public int seedVoxels;
        public int targetVoxels;
        /** r per mask voxel (row order of the run), null unless asked for or n/a. */
        public double[] rMap;
        public Cleaning cleaning;

        /** Why z is n/a: {@link #naReason}, else {@link #zNaReason}; null when z has a value. */
        public String zReason() {
            return naReason != null ? naReason : zNaReason;
        }

        /** z per mask voxel from {@link #rMap} (NaN where |r| = 1, see {@link Stats#fisherZ}). */
        public double[] zMap() {
            double[] z = new double[rMap.length];
            for (int i = 0; i < z.length; i++) z[i] = Stats.fisherZ(rMap[i]);
            return z;
        }
    }

    /** Seed-to-target r and z; {@code target} may be null (map only); {@code map}: also the voxel map. */
    public static Result compute(BoldRun run, Confounds confounds, Settings s, Roi seed, Roi target, boolean map) {
        return compute(run, Cleaning.of(run, confounds, s), seed, target, map);
    }

    /** The same with the run's cleaning made ({@link Cleaning#of(BoldRun, Confounds, Settings)}). */
    static Result compute(BoldRun run, Cleaning c, Roi seed, Roi target, boolean map) {
        Result res = new Result();
        res.cleaning = c;
        res.used = c.censoring().used();
        res.censored = c.censoring().censored();
        res.fdMean = c.censoring().fdMean();
        int[] seedRows = run.rows(seed);
        int[] targetRows = target == null ? null : run.rows(target);
        res.seedVoxels = seedRows.length;
        res.targetVoxels = targetRows == null ? 0 : targetRows.length;
        if (c.naReason() != null) {
            res.naReason = c.naReason();
            return res;
        }
        Denoiser d = c.denoiser();
        boolean[] ok = run.varying(d.keptVolumes());
        double[] seedClean = roiSeries(run, d, seedRows, ok, seed);
        String seedFlat = flat(run, d, seedRows, ok, seed, seedClean);
        if (target != null) {
            double[] targetClean = roiSeries(run, d, targetRows, ok, target);
            res.naReason = seedFlat != null ? seedFlat : flat(run, d, targetRows, ok, target, targetClean);
            if (res.naReason == null) correlate(res, seedClean, targetClean);
        }
        if (map && seedFlat == null) res.rMap = correlationMap(run, d, ok, seedClean);
        if (map && seedFlat != null && res.naReason == null) res.naReason = seedFlat;
        return res;
    }

    /**
     * Several runs ({@link Concatenation}): each run's clean seed and target series as for one run, z-scored per run
     * and concatenated; r is their Pearson r. The map's r is that of the concatenated z-scored voxel series,
     * sum(n_r r_r) / sum(n_r), on the first run's mask voxels: NaN where a run's mask lacks the voxel or the voxel
     * is constant in a run, and no map when the runs are on different grids. {@code target} may be null.
     */
    public static Result compute(Concatenation c, String seed, String target, boolean map) {
        List<RestingData.Run> runs = c.runs();
        Result res = new Result();
        res.cleaning = c.cleaning(0);
        res.used = c.used();
        res.censored = c.censored();
        res.fdMean = c.fdMean();
        List<int[]> seedRows = new ArrayList<>();
        List<int[]> targetRows = new ArrayList<>();
        for (RestingData.Run r : runs) {
            seedRows.add(r.bold().rows(r.roi(seed)));
            if (target != null) targetRows.add(r.bold().rows(r.roi(target)));
        }
        res.seedVoxels = seedRows.get(0).length;
        res.targetVoxels = target == null ? 0 : targetRows.get(0).length;
        if (c.naReason() != null) {
            res.naReason = c.naReason();
            return res;
        }
        List<double[]> seeds = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        List<double[]> maps = new ArrayList<>();
        String seedFlat = null;
        for (int i = 0; i < runs.size(); i++) {
            RestingData.Run r = runs.get(i);
            Denoiser d = c.cleaning(i).denoiser();
            boolean[] ok = r.bold().varying(d.keptVolumes());
            seeds.add(roiSeries(r.bold(), d, seedRows.get(i), ok, r.roi(seed)));
            if (seedFlat == null) seedFlat = flat(r.bold(), d, seedRows.get(i), ok, r.roi(seed), seeds.get(i));
            if (target != null) {
                targets.add(roiSeries(r.bold(), d, targetRows.get(i), ok, r.roi(target)));
                if (res.naReason == null) res.naReason = flat(r.bold(), d, targetRows.get(i), ok, r.roi(target), targets.get(i));
            }
            if (map) maps.add(correlationMap(r.bold(), d, ok, seeds.get(i)));
        }
        if (seedFlat != null) res.naReason = seedFlat;
        if (target != null && res.naReason == null) correlate(res, Concatenation.zscored(seeds), Concatenation.zscored(targets));
        int[][] rows = map && seedFlat == null ? Concatenation.rowsOfFirst(runs) : null;
        if (rows != null) res.rMap = Concatenation.weighted(rows, maps, c.usedPerRun());
        return res;
    }

    /** r, z and why z is n/a (r = 1 or -1); a NaN r (a series without variance) with its reason. */
    private static void correlate(Result res, double[] seed, double[] target) {
        res.r = Stats.pearson(seed, target);
        if (Double.isNaN(res.r)) {
            res.naReason = "r is undefined: the clean seed or target series has zero variance";
            return;
        }
        res.z = Stats.fisherZ(res.r);
        res.zNaReason = Stats.zNaReason(res.r);
    }

    /**
     * A clean ROI series whose norm is at most this fraction of the raw ROI series' norm (over the used volumes) has
     * nothing left but float32 rounding (about 16 ulps): the mean of its voxels is constant, or the confounds explain it.
     */
    static final double FLAT = 1e-6;

    /** Why the ROI's clean series {@code clean} is only rounding noise ({@link #FLAT}), else null. */
    static String flat(BoldRun run, Denoiser d, int[] rows, boolean[] ok, Roi roi, double[] clean) {
        double[] raw = Stats.meanSeries(run.data(), run.volumes(), rows, ok);
        double rawNorm = 0;
        for (int t : d.keptVolumes()) rawNorm += raw[t] * raw[t];
        if (Stats.norm(clean) > FLAT * Math.sqrt(rawNorm)) return null;
        return "ROI " + roi.spec() + ": its clean mean series has no variance left in " + run.path()
            + " (the mean of its voxels is constant, or the confounds explain it entirely)";
    }

    static double[] roiSeries(BoldRun run, Denoiser d, int[] rows, boolean[] ok, Roi roi) {
        double[] raw = Stats.meanSeries(run.data(), run.volumes(), rows, ok);
        if (raw == null) {
            throw new KetaprintException("ROI " + roi.spec() + ": all its " + rows.length
                + " voxels in the mask have zero variance in " + run.path());
        }
        return d.clean(raw);
    }

    /** r of every mask voxel's clean series with {@code seed} (a clean series); NaN where !ok. */
    public static double[] correlationMap(BoldRun run, Denoiser d, boolean[] ok, double[] seed) {
        int m = d.dof();
        double[] cs = d.coordinatesOfKept(seed);
        double ns = 0;
        for (double x : cs) ns += x * x;
        double seedNorm = Math.sqrt(ns);
        double[] coords = d.coordinates(run.data(), IntStream.range(0, run.size()).toArray());
        double[] r = new double[run.size()];
        IntStream.range(0, run.size()).parallel().forEach(v -> {
            int o = v * m;
            double sxy = 0, sxx = 0;
            for (int j = 0; j < m; j++) {
                double x = coords[o + j];
                sxy += x * cs[j];
                sxx += x * x;
            }
            r[v] = ok[v] && sxx > 0 && seedNorm > 0 ? sxy / (Math.sqrt(sxx) * seedNorm) : Double.NaN;
        });
        return r;
    }
}
