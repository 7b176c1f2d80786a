package org.ketaprint.restingstate;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.bids.BidsName;
import org.ketaprint.measure.Param;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.YNode;

/**
 * Pipeline stage "restingstate": reads the BOLD run, confounds and ROIs into {@link RestingData}
 * (denoising: 3dTproject-style projection with a confound strategy, FD censoring and band-pass
 * regressors); its measures are {@link SeedCorrelation}, {@link Alff}, {@link Gbc} and {@link Quality}.
 * ROIs: {@code name: {sphere: [x, y, z], radius: mm}} (MNI mm) or {@code name: {atlas: NAME, labels: [..]}}.
 */
public final class RestingStateStage implements Stage {
    public static final String TYPE = "restingstate";

    /** The denoising parameters: of the stage, and of the seedcorr/alff/gbc commands and ImageJ entries. */
    public record Params(
        @Param(help = "Confounds: a named set (6P, 24P, 27P, 36P, acompcor, none, joined with +, e.g. 24P+gsr) "
            + "or a list of confound columns (YAML list or a,b,c)", dflt = "24P") List<String> strategy,
        @Param(help = "Censor volumes with framewise_displacement above this; 0 disables", dflt = "0.5", units = "mm")
        double fdThreshold,
        @Param(help = "Features are n/a when less time than this is left after censoring", dflt = "120", units = "s")
        double minSeconds,
        @Param(help = "Pass band LO,HI, edges inclusive; none: no band-pass regressors", dflt = "0.01,0.1", units = "Hz")
        String band,
        @Param(help = "Gray matter for GBC: GM probability above this", dflt = "0.5") double gmThreshold,
        @Param(help = "Repetition time; none: the JSON sidecar's, else the header's", units = "s") Double tr,
        @Param(help = "Write the seed, ALFF/fALFF and GBC maps as derived files", dflt = "true") boolean writeMaps) {

        public Params {
            strategy = List.copyOf(strategy);
        }

        /** The settings every resting-state computation takes. */
        public Settings settings() {
            return new Settings(Strategy.of(strategy), fdThreshold, minSeconds, Band.parse(band));
        }
    }

    /** The stage's parameters with every default (24P, FD 0.5 mm, 120 s, 0.01-0.1 Hz). */
    public static Params defaults() {
        return org.ketaprint.measure.ParamSet.of(Params.class).defaults();
    }

    @Override
    public String type() {
        return TYPE;
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
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        Params p = spec.params(Params.class);
        if (p != null) {
            try {
                p.settings();
            } catch (KetaprintException e) {
                YNode at = spec.paramNode(e.getMessage().contains("band") ? "band" : "strategy");
                problems.error(at != null ? at : spec.node, e.getMessage());
            }
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
        for (Feature f : spec.features) {
            for (Map.Entry<String, Object> e : f.paramValues().entrySet()) {
                if (!List.of("roi", "seed", "target").contains(e.getKey())) continue;
                String name = String.valueOf(e.getValue());
                if (name.contains(":")) {
                    try {
                        Roi.parse(name);
                    } catch (KetaprintException x) {
                        problems.error(f.node().get(e.getKey()), x.getMessage());
                    }
                } else if (!spec.rois.containsKey(name)) {
                    problems.error(f.node().get(e.getKey()), "unknown ROI '" + name + "' (defined: " + spec.rois.keySet() + ")");
                }
            }
        }
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageResult r = new StageResult();
        RestingData d = prepare(ctx, r);
        for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(d));
        return r;
    }

    /** The stage's data for one subject/session (or files given directly); derived maps and details go to {@code r}. */
    public static RestingData prepare(StageContext ctx, StageResult r) {
        StageSpec spec = ctx.spec;
        Params p = spec.params(Params.class);
        Settings base = p.settings();
        Path boldPath = ctx.input("bold");
        Path maskPath = ctx.input("mask");
        BidsName bn = BidsName.parse(boldPath.getFileName().toString());
        String space = bn == null ? null : bn.get("space");
        Map<String, Roi> rois = new LinkedHashMap<>();
        for (Map.Entry<String, YNode> e : spec.rois.entrySet()) rois.put(e.getKey(), roi(e.getValue(), ctx, space));
        BoldRun run = BoldRun.load(boldPath, maskPath, p.tr() == null ? Double.NaN : p.tr());
        run.warnings().forEach(w -> ctx.log("warning: " + w));
        Path confPath = ctx.optionalInput("confounds");
        Confounds conf = confPath == null ? null : Confounds.read(confPath);
        r.details.put("tr_seconds", run.tr());
        r.details.put("tr_source", run.trSource());
        RestingData.MapSink sink = !p.writeMaps() ? null : (entities, values) -> {
            Path out = ctx.derived(bidsEntities(boldPath, space) + "_" + entities, "boldmap", ".nii.gz");
            if (r.derived.contains(out)) return;
            int[] dims = run.grid().dims();
            NiftiWriter.write(out, NiftiWriter.Spec.like(run.image(), new long[] {dims[0], dims[1], dims[2]}, DataType.FLOAT32),
                run.toVolume(values, Float.NaN));
            r.derived.add(out);
        };
        return new RestingData(run, conf, base, name -> rois.containsKey(name) ? rois.get(name) : Roi.parse(name),
            () -> Gbc.grayMatter(run, ctx.input("gm"), p.gmThreshold()), sink);
    }

    /** task-rest_space-X (the pipeline's naming of derived maps). */
    private static String bidsEntities(Path bold, String space) {
        return "task-rest_space-" + space;
    }

    private static Roi roi(YNode n, StageContext ctx, String dataSpace) {
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
}
