package org.ketaprint.restingstate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.bids.BidsName;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.ColumnInfo;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.YNode;

/**
 * Pipeline stage "restingstate": denoising (3dTproject-style projection with a named confound strategy,
 * FD censoring and band-pass regressors), seed connectivity, ALFF/fALFF and GBC in named ROIs.
 * ROIs: {@code name: {sphere: [x, y, z], radius: mm}} (MNI mm) or {@code name: {atlas: NAME, labels: [..]}}.
 * Feature keys: {@code column}, {@code measure} (seedcorr, alff, falff, gbc, fd_mean, n_censored, n_used),
 * {@code seed}/{@code target} (seedcorr), {@code roi} (alff, falff, gbc), {@code gsr} (true/false), {@code value}
 * (seedcorr: z or r).
 */
public final class RestingStateStage implements Stage {
    private static final Set<String> MEASURES = Set.of("seedcorr", "alff", "falff", "gbc", "fd_mean", "n_censored", "n_used");
    private static final Set<String> FEATURE_KEYS = Set.of("column", "measure", "seed", "target", "roi", "gsr", "value", "description");

    @Override
    public String type() {
        return "restingstate";
    }

    @Override
    public String description() {
        return "Resting-state fMRI: denoising, seed connectivity, ALFF/fALFF, global brain connectivity";
    }

    @Override
    public List<InputSpec> inputs() {
        String space = "MNI152NLin2009cAsym|MNI152NLin6Asym";
        return List.of(
            new InputSpec("bold", Map.of("task", "rest", "desc", "preproc", "suffix", "bold", "space", space,
                "extension", ".nii.gz|.nii"), true, "fMRIPrep preprocessed BOLD in MNI space"),
            new InputSpec("confounds", Map.of("task", "rest", "desc", "confounds", "suffix", "timeseries|regressors",
                "extension", ".tsv"), false, "fMRIPrep confounds (without it only the mean-signal GSR is possible)"),
            new InputSpec("mask", Map.of("task", "rest", "desc", "brain", "suffix", "mask", "space", space,
                "extension", ".nii.gz|.nii"), true, "BOLD brain mask"),
            new InputSpec("gm", Map.of("label", "GM", "suffix", "probseg", "space", space, "extension", ".nii.gz|.nii"),
                false, "gray-matter probability map (GBC)"));
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("strategy", "24P");
        m.put("fd_threshold", "0.5");
        m.put("min_seconds", "120");
        m.put("band", "0.01,0.1");
        m.put("gm_threshold", "0.5");
        m.put("write_maps", "true");
        return m;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        try {
            settings(spec);
        } catch (KetaprintException e) {
            problems.error(spec.node, e.getMessage());
        }
        for (Map.Entry<String, YNode> e : spec.rois.entrySet()) {
            YNode r = e.getValue();
            if (!r.isMap()) {
                problems.error(r, "ROI '" + e.getKey() + "' must be {sphere: [x, y, z], radius: mm} or {atlas: NAME, labels: [...]}");
            } else if (r.get("sphere") != null) {
                if (r.get("sphere").numbers().length != 3) problems.error(r.get("sphere"), "sphere centre needs 3 MNI coordinates");
                if (r.get("radius") == null || !(r.get("radius").number() > 0)) problems.error(r, "sphere needs a positive 'radius' (mm)");
            } else if (r.get("atlas") == null || r.get("labels") == null) {
                problems.error(r, "ROI '" + e.getKey() + "' needs 'sphere' + 'radius', or 'atlas' + 'labels'");
            }
        }
        for (YNode f : spec.features) {
            if (!f.isMap()) continue;
            for (String k : f.map().keySet()) {
                if (!FEATURE_KEYS.contains(k)) problems.error(f.get(k), "unknown feature key '" + k + "' (allowed: " + FEATURE_KEYS + ")");
            }
            String m = f.get("measure") == null ? "" : f.get("measure").text();
            if (!MEASURES.contains(m)) {
                problems.error(f.get("measure") == null ? f : f.get("measure"), "measure must be one of " + MEASURES);
                continue;
            }
            for (String key : roiKeys(m)) {
                YNode r = f.get(key);
                if (r == null) {
                    problems.error(f, "measure " + m + " needs '" + key + "'");
                } else if (!spec.rois.containsKey(r.text())) {
                    problems.error(r, "unknown ROI '" + r.text() + "' (defined: " + spec.rois.keySet() + ")");
                }
            }
        }
    }

    private static List<String> roiKeys(String measure) {
        return switch (measure) {
            case "seedcorr" -> List.of("seed", "target");
            case "alff", "falff", "gbc" -> List.of("roi");
            default -> List.of();
        };
    }

    static Settings settings(StageSpec spec) {
        Strategy st = Strategy.parse(spec.param("strategy", "24P"));
        double[] band = parseBand(spec.param("band", "0.01,0.1"));
        return new Settings(st, spec.param("fd_threshold", 0.5), spec.param("min_seconds", 120.0),
            band == null ? null : new Band(band[0], band[1]));
    }

    private static double[] parseBand(String s) {
        String t = s.replaceAll("[\\[\\]\\s]", "");
        if (t.equalsIgnoreCase("none")) return null;
        String[] p = t.split(",");
        if (p.length != 2) throw new KetaprintException("band must be LO,HI in Hz or none, not '" + s + "'");
        return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
    }

    private static boolean gsr(YNode f) {
        return f.get("gsr") != null && Boolean.parseBoolean(f.get("gsr").text());
    }

    @Override
    public List<ColumnInfo> columns(StageSpec spec) {
        List<ColumnInfo> out = new ArrayList<>();
        Settings s;
        try {
            s = settings(spec);
        } catch (RuntimeException e) {
            s = null;
        }
        for (YNode f : spec.features) {
            String m = f.get("measure") == null ? "" : f.get("measure").text();
            boolean g = gsr(f);
            Map<String, Object> p = new LinkedHashMap<>(spec.effectiveParams(this));
            p.put("gsr", g);
            String strategy = s == null ? spec.param("strategy", "24P") : (g ? s.strategy().withGsr() : s.strategy()).toString();
            p.put("confounds", strategy);
            String design = "OLS projection (AFNI 3dTproject style) of constant + linear trend + " + strategy
                + " + sine/cosine at every DFT frequency outside " + spec.param("band", "0.01,0.1") + " Hz, censored volumes "
                + "(FD > " + spec.param("fd_threshold", "0.5") + " mm) dropped";
            String roi = null;
            String desc;
            String units;
            switch (m) {
                case "seedcorr" -> {
                    roi = f.get("seed").text() + " -> " + f.get("target").text() + " " + roiText(spec, f.get("seed").text())
                        + " / " + roiText(spec, f.get("target").text());
                    boolean r = f.get("value") != null && f.get("value").text().equals("r");
                    desc = (r ? "Pearson r" : "Fisher z (atanh r)") + " between the mean clean series of '" + f.get("seed").text()
                        + "' and '" + f.get("target").text() + "', " + (g ? "with" : "without") + " global signal regression";
                    units = r ? "r" : "z";
                }
                case "alff", "falff" -> {
                    roi = f.get("roi").text() + " " + roiText(spec, f.get("roi").text());
                    desc = m.equals("alff")
                        ? "ALFF: sample SD (N-1) of the band-passed clean series, mean over the ROI's voxels (C-PAC)"
                        : "fALFF: ALFF / SD of the series denoised without the band-pass regressors, mean over the ROI's voxels";
                    units = m.equals("alff") ? "signal units" : "ratio";
                }
                case "gbc" -> {
                    roi = f.get("roi").text() + " " + roiText(spec, f.get("roi").text());
                    desc = "Global brain connectivity: per gray-matter voxel the mean Fisher z (|r| clipped to 1-1e-7) of its "
                        + "correlation with every other gray-matter voxel, averaged over the ROI, "
                        + (g ? "with" : "without") + " global signal regression";
                    units = "z";
                }
                case "fd_mean" -> {
                    desc = "Mean framewise displacement over all volumes (the first, n/a in fMRIPrep, counts as 0)";
                    units = "mm";
                }
                case "n_censored" -> {
                    desc = "Volumes censored (framewise displacement above the threshold)";
                    units = "volumes";
                }
                default -> {
                    desc = "Volumes used in every fit and correlation";
                    units = "volumes";
                }
            }
            if (f.get("description") != null) desc = f.get("description").text();
            out.add(new ColumnInfo(f.get("column").text(), desc + ". Denoising: " + design, units, spec.id, roi,
                "restingstate/" + m, p));
        }
        return out;
    }

    private static String roiText(StageSpec spec, String name) {
        YNode r = spec.rois.get(name);
        return r == null ? "" : String.valueOf(r.plain());
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageSpec spec = ctx.spec;
        Settings base = settings(spec);
        Path boldPath = ctx.input("bold");
        Path maskPath = ctx.input("mask");
        String space = BidsName.parse(boldPath.getFileName().toString()).get("space");
        BoldRun run = BoldRun.load(boldPath, maskPath, Double.NaN);
        run.warnings().forEach(w -> ctx.log("warning: " + w));
        Path confPath = ctx.optionalInput("confounds");
        Confounds conf = confPath == null ? null : Confounds.read(confPath);
        StageResult r = new StageResult();
        r.details.put("tr_seconds", run.tr());
        r.details.put("tr_source", run.trSource());
        Map<String, Roi> rois = new LinkedHashMap<>();
        for (Map.Entry<String, YNode> e : spec.rois.entrySet()) rois.put(e.getKey(), roi(e.getValue(), ctx, space));
        boolean[] gm = null;
        Censoring censoring = null;
        boolean maps = Boolean.parseBoolean(spec.param("write_maps", "true"));
        Map<String, Object> cache = new LinkedHashMap<>();
        for (YNode f : spec.features) {
            String col = f.get("column").text();
            String m = f.get("measure").text();
            Settings s = gsr(f) ? base.withStrategy(base.strategy().withGsr()) : base;
            switch (m) {
                case "seedcorr" -> {
                    SeedCorrelation.Result res = SeedCorrelation.compute(run, conf, s, rois.get(f.get("seed").text()),
                        rois.get(f.get("target").text()), maps);
                    if (maps && res.rMap != null) {
                        String e = "seed-" + f.get("seed").text() + (gsr(f) ? "_desc-gsr" : "");
                        write(ctx, r, run, space, e + "_stat-r", res.rMap);
                        write(ctx, r, run, space, e + "_stat-z", res.zMap());
                    }
                    boolean asR = f.get("value") != null && f.get("value").text().equals("r");
                    put(r, col, asR ? res.r : res.z, res.naReason);
                    cache.put("quality", res);
                }
                case "alff", "falff" -> {
                    String key = "alff:" + f.get("roi").text() + ":" + gsr(f);
                    Alff.Result res = (Alff.Result) cache.computeIfAbsent(key, k -> {
                        Alff.Result a = Alff.compute(run, conf, s, rois.get(f.get("roi").text()));
                        if (maps && a.alff != null) {
                            write(ctx, r, run, space, "stat-alff" + (gsr(f) ? "_desc-gsr" : ""), a.alff);
                            write(ctx, r, run, space, "stat-falff" + (gsr(f) ? "_desc-gsr" : ""), a.falff);
                        }
                        return a;
                    });
                    put(r, col, m.equals("alff") ? res.roiAlff : res.roiFalff, res.naReason);
                }
                case "gbc" -> {
                    if (gm == null) gm = grayMatter(ctx, run, spec);
                    Gbc.Result res = Gbc.compute(run, conf, s, gm, rois.get(f.get("roi").text()));
                    if (maps && res.gbc != null) write(ctx, r, run, space, "stat-gbc" + (gsr(f) ? "_desc-gsr" : ""), res.gbc);
                    put(r, col, res.roiMean, res.naReason);
                }
                default -> {
                    if (censoring == null) censoring = Cleaning.of(run, conf, base).censoring();
                    Censoring c = censoring;
                    double v = switch (m) {
                        case "fd_mean" -> c.fdMean();
                        case "n_censored" -> c.censored();
                        default -> c.used();
                    };
                    r.put(col, v);
                }
            }
        }
        return r;
    }

    /** Writes a per-mask-voxel map as {prefix}_task-rest_space-X_{entities}_boldmap.nii.gz (NaN outside the mask). */
    private static void write(StageContext ctx, StageResult r, BoldRun run, String space, String entities, double[] values) {
        Path out = ctx.derived("task-rest_space-" + space + "_" + entities, "boldmap", ".nii.gz");
        if (r.derived.contains(out)) return;
        int[] d = run.grid().dims();
        float[] vol = run.toVolume(values, Float.NaN);
        NiftiWriter.write(out, NiftiWriter.Spec.like(run.image(), new long[] {d[0], d[1], d[2]}, DataType.FLOAT32), vol);
        r.derived.add(out);
    }

    private static void put(StageResult r, String col, double v, String na) {
        if (na != null) {
            r.na(col, na);
        } else {
            r.put(col, v);
        }
    }

    private Roi roi(YNode n, StageContext ctx, String dataSpace) {
        if (dataSpace == null || !dataSpace.toUpperCase(Locale.ROOT).startsWith("MNI152")) {
            throw new KetaprintException("ROIs are in MNI152 space but the BOLD is in space "
                + (dataSpace == null ? "native (no space- entity)" : dataSpace) + ", and no transform between them was given");
        }
        if (n.get("sphere") != null) {
            double[] c = n.get("sphere").numbers();
            return Roi.sphere(c[0], c[1], c[2], n.get("radius").number());
        }
        Atlas a = ctx.atlases.resolve(n.get("atlas").text());
        ctx.record(a.image());
        return Roi.atlas(a.image(), n.get("labels").texts());
    }

    private static boolean[] grayMatter(StageContext ctx, BoldRun run, StageSpec spec) {
        Path p = ctx.input("gm");
        double thr = spec.param("gm_threshold", 0.5);
        Image img = Images.open(p);
        Grid g = run.grid();
        double[] v = img.readVolumeDouble(0);
        if (!img.grid().sameAs(g)) v = g.resampleNearest(img.grid(), v, 0);
        boolean[] gm = new boolean[run.size()];
        int n = 0;
        for (int i = 0; i < gm.length; i++) {
            gm[i] = v[run.voxels()[i]] > thr;
            if (gm[i]) n++;
        }
        if (n < 2) throw new KetaprintException(p + ": fewer than 2 gray-matter voxels (> " + thr + ") inside the brain mask");
        return gm;
    }
}
