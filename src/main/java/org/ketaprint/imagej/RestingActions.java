package org.ketaprint.imagej;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.restingstate.Alff;
import org.ketaprint.restingstate.RestingStateStage;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Confounds;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.restingstate.SeedCorrelation;
import org.ketaprint.restingstate.Settings;
import org.ketaprint.table.Table;

/**
 * What the Seed correlation and ALFF menu entries do, with the CLI's code ({@code ketaprint seedcorr},
 * {@code ketaprint alff}): {@link BoldRun#load}, {@link Confounds#read}, {@link SeedCorrelation#compute},
 * {@link Alff#compute}. No ImageJ classes here: results are ketaprint Tables and per-mask-voxel maps.
 */
public final class RestingActions {
    private RestingActions() {
    }

    /** The denoising options: the resting-state stage's parameters by key (its record's defaults), as the CLI's. */
    public static final class Options {
        /** Brain mask (voxels > 0; resampled by nearest neighbour if on another grid). Required. */
        public Path mask;
        /** fMRIPrep confounds TSV, or null. */
        public Path confounds;
        public boolean gsr;
        /** strategy, fd_threshold, min_seconds, band, tr (see RestingStateStage.Params); unset: the defaults, and no
         * strategy means 24P with confounds, none without. */
        public final Map<String, Object> params = new LinkedHashMap<>();

        /** Sets a parameter by key (as in YAML and macro options); returns this. */
        public Options set(String key, Object value) {
            params.put(key, value);
            return this;
        }

        public RestingStateStage.Params stageParams() {
            Map<String, Object> g = new LinkedHashMap<>(params);
            g.putIfAbsent("strategy", confounds != null ? "24P" : "none");
            return ParamSet.of(RestingStateStage.Params.class).bind(g);
        }

        Settings settings() {
            Settings s = stageParams().settings();
            return gsr ? s.withStrategy(s.strategy().withGsr()) : s;
        }

        double tr() {
            Double t = stageParams().tr();
            return t == null ? Double.NaN : t;
        }
    }


    /** The run inside the mask, as {@code BoldRun.load}; warnings go to {@code log}. */
    public static BoldRun load(Path bold, Options o, Consumer<String> log) {
        if (o.mask == null) throw new KetaprintException(bold + ": give a brain mask");
        BoldRun run = BoldRun.load(bold, o.mask, o.tr());
        run.warnings().forEach(w -> log.accept("warning: " + w));
        return run;
    }

    /** Seed correlation: the table row, the r map (per mask voxel, null unless asked) and the ROIs' voxels. */
    public record SeedResult(Table table, double[] rMap, double[] zMap, int[] seedVoxels, int[] targetVoxels) {
    }

    /**
     * {@code ketaprint seedcorr}: Pearson r and Fisher z of the clean ROI-mean series of {@code seed} and
     * {@code target} (null: map only), and with {@code map} the seed-to-voxel r map. Writes PREFIX_r and
     * PREFIX_z .nii.gz when {@code prefix} is not blank.
     */
    public static SeedResult seedCorrelation(BoldRun run, Options o, String seed, String target, boolean map, String prefix,
                                             Consumer<String> log) {
        Settings s = o.settings();
        Roi seedRoi = Roi.parse(seed);
        Roi targetRoi = target == null || target.isBlank() ? null : Roi.parse(target);
        boolean write = prefix != null && !prefix.isBlank();
        if (targetRoi == null && !map && !write) throw new KetaprintException("give a target ROI, the r map, or both");
        SeedCorrelation.Result res = SeedCorrelation.compute(run, readConfounds(o), s, seedRoi, targetRoi, map || write);
        if (res.zReason() != null) log.accept((res.naReason == null ? "n/a (z): " : "n/a: ") + res.zReason());
        double[] z = res.rMap == null ? null : res.zMap();
        if (write && res.rMap != null) {
            log.accept("wrote " + writeMap(run, prefix, "_r", res.rMap));
            log.accept("wrote " + writeMap(run, prefix, "_z", z));
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("seed", seedRoi.spec());
        row.put("target", targetRoi == null ? Table.NA : targetRoi.spec());
        row.put("r", Table.format(res.r));
        row.put("z", Table.format(res.z));
        row.put("seed_voxels", Integer.toString(res.seedVoxels));
        row.put("target_voxels", targetRoi == null ? Table.NA : Integer.toString(res.targetVoxels));
        common(row, run, s, res.used, res.censored, res.fdMean, res.zReason());
        Table t = new Table(List.copyOf(row.keySet()));
        t.add(row);
        return new SeedResult(t, res.rMap, z, voxels(run, seedRoi), targetRoi == null ? null : voxels(run, targetRoi));
    }

    /** ALFF: the table row, the ALFF and fALFF maps (per mask voxel) and the ROI's voxels. */
    public record AlffResult(Table table, double[] alff, double[] falff, int[] roiVoxels) {
    }

    /**
     * {@code ketaprint alff}: ALFF and fALFF maps and their means over {@code roi}. Writes PREFIX_alff and
     * PREFIX_falff .nii.gz when {@code prefix} is not blank.
     */
    public static AlffResult alff(BoldRun run, Options o, String roi, String prefix, Consumer<String> log) {
        Settings s = o.settings();
        Roi r = Roi.parse(roi);
        Alff.Result res = Alff.compute(run, readConfounds(o), s, r);
        if (res.naReason != null) log.accept("n/a: " + res.naReason);
        if (prefix != null && !prefix.isBlank() && res.alff != null) {
            log.accept("wrote " + writeMap(run, prefix, "_alff", res.alff));
            log.accept("wrote " + writeMap(run, prefix, "_falff", res.falff));
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("roi", r.spec());
        row.put("alff", Table.format(res.roiAlff));
        row.put("falff", Table.format(res.roiFalff));
        row.put("roi_voxels", Integer.toString(res.roiVoxels));
        common(row, run, s, res.used, res.censored, res.fdMean, res.naReason);
        Table t = new Table(List.copyOf(row.keySet()));
        t.add(row);
        return new AlffResult(t, res.alff, res.falff, voxels(run, r));
    }

    private static Confounds readConfounds(Options o) {
        return o.confounds == null ? null : Confounds.read(o.confounds);
    }

    /** Columns every resting-state row has, named as in the CLI's JSON record. */
    private static void common(Map<String, String> row, BoldRun run, Settings s, int used, int censored, double fdMean, String na) {
        row.put("n_used", Integer.toString(used));          // the names of the quality measure's values
        row.put("n_censored", Integer.toString(censored));
        row.put("fd_mean", Table.format(fdMean));
        row.put("tr", Table.format(run.tr()));
        row.put("strategy", s.strategy().name());
        row.put("gsr", Boolean.toString(s.strategy().gsr()));
        row.put("fd_threshold_mm", Table.format(s.fdThreshold()));
        row.put("band_hz", s.band() == null ? "none" : Table.format(s.band().low()) + "," + Table.format(s.band().high()));
        row.put("na_reason", na == null ? Table.NA : na);
    }

    /** Grid indices of the mask voxels inside the ROI. */
    private static int[] voxels(BoldRun run, Roi roi) {
        return Arrays.stream(run.rows(roi)).map(v -> run.voxels()[v]).toArray();
    }

    /** A per-mask-voxel map as a 3D float32 NIfTI (0 outside the mask), as the CLI's --out-map. */
    static Path writeMap(BoldRun run, String prefix, String suffix, double[] values) {
        Path out = Path.of(prefix + suffix + ".nii.gz");
        long[] shape = Arrays.copyOf(run.image().shape(), 3);
        NiftiWriter.write(out, NiftiWriter.Spec.like(run.image(), shape, DataType.FLOAT32), run.toVolume(values, 0f));
        return out;
    }
}
