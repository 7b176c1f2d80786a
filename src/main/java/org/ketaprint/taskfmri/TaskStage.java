package org.ketaprint.taskfmri;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsName;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.ParamException;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.MissingInputException;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.YNode;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Confounds;
import org.ketaprint.restingstate.RestingStateStage;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.restingstate.Strategy;

/**
 * Pipeline stage "task": a first-level GLM of a task run (nilearn's FirstLevelModel definitions: {@link Design},
 * {@link Glm}) and, per feature, the ROI mean of a contrast's effect or z map ({@link TaskContrast}), plus the run's
 * motion ({@link TaskQuality}). Events come from the raw dataset by BIDS inheritance; ROIs are placed as in the
 * resting-state stage.
 */
public final class TaskStage implements Stage {
    public static final String TYPE = "task";

    /** The model's parameters: of the stage, of the {@code glm} command and of the ImageJ entry. */
    public record Params(
        @Param(help = "Confounds: a named set (6P, 24P, 27P, 36P, acompcor, none, joined with +) or a list of columns",
            dflt = "6P") List<String> strategy,
        @Param(help = "One spike regressor per volume with framewise_displacement above this; 0 disables", dflt = "0.9",
            units = "mm") double fdThreshold,
        @Param(help = "HRF model: spm, glover, optionally + derivative [+ dispersion]", dflt = "spm") String hrf,
        @Param(help = "Noise model: ar1 (nilearn's binned AR(1) refit) or ols", dflt = "ar1", choices = {"ar1", "ols"})
        String noise,
        @Param(help = "Cosine drift cut-off", dflt = "0.01", units = "Hz") double highPass,
        @Param(help = "Slice-timing reference as a fraction of the TR (0-1); none: the sidecar's StartTime / TR when "
            + "SliceTimingCorrected, else 0") Double sliceTimeRef,
        @Param(help = "Repetition time; none: the JSON sidecar's, else the header's", units = "s") Double tr,
        @Param(help = "Write each contrast's effect, variance, t, z and p maps", dflt = "true") boolean writeMaps,
        @Param(help = "The BOLD's space when its file has no space- entity nor SpatialReference; none: the run's --space, "
            + "else native") String space) {

        public Params {
            strategy = List.copyOf(strategy);
            if (tr != null && !(tr > 0 && tr < Double.POSITIVE_INFINITY)) {
                throw new ParamException("tr", "'tr' must be a positive number of seconds, got " + tr);
            }
            if (sliceTimeRef != null && !(sliceTimeRef >= 0 && sliceTimeRef <= 1)) {
                throw new ParamException("slice_time_ref", "'slice_time_ref' must be between 0 and 1, got " + sliceTimeRef);
            }
            if (!(highPass >= 0) || Double.isInfinite(highPass)) {
                throw new ParamException("high_pass", "'high_pass' must be a frequency >= 0 Hz, got " + highPass);
            }
            if (!(fdThreshold >= 0)) throw new ParamException("fd_threshold", "'fd_threshold' must be >= 0 mm, got " + fdThreshold);
            Hrf.parse(hrf);
            Glm.Noise.parse(noise);
            Strategy.of(strategy);
        }
    }

    public static Params defaults() {
        return org.ketaprint.measure.ParamSet.of(Params.class).defaults();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Task fMRI: first-level GLM (nilearn FirstLevelModel definitions), ROI means of contrast effect and z maps";
    }

    @Override
    public List<InputSpec> inputs() {
        String prefer = RestingStateStage.PREFER_SPACE;
        return List.of(
            new InputSpec("bold", Map.of("task", "faces", "desc", "preproc", "suffix", "bold", StageContext.PREFER, prefer,
                "extension", ".nii.gz|.nii"), true, "fMRIPrep preprocessed task BOLD", true),
            new InputSpec("mask", Map.of("task", "faces", "desc", "brain", "suffix", "mask", StageContext.PREFER, prefer,
                "extension", ".nii.gz|.nii"), true, "BOLD brain mask (in the BOLD's space)", true),
            new InputSpec("confounds", Map.of("task", "faces", "desc", "confounds", "suffix", "timeseries|regressors",
                "extension", ".tsv"), false, "fMRIPrep confounds", true),
            new InputSpec("events", Map.of("task", "faces", "suffix", "events", "extension", ".tsv", "scope", "raw"), false,
                "BIDS events (else the one that applies by inheritance, e.g. task-faces_events.tsv at the dataset root)",
                true));
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        RestingStateStage.validateRois(spec, problems);
        Map<String, Contrast> byLabel = new java.util.HashMap<>();
        for (Feature f : spec.features) {
            Object c = f.paramValues().get("contrast");
            if (c == null) continue;
            YNode at = f.node().get("contrast") != null ? f.node().get("contrast") : f.node();
            try {
                Contrast k = Contrast.parse(String.valueOf(c));
                Contrast before = byLabel.putIfAbsent(k.label(), k);
                if (before != null && !before.terms().equals(k.terms())) {   // one map file name, two contrasts
                    problems.error(at, "contrasts '" + before.expression() + "' and '" + k.expression() + "' have the same "
                        + "label " + k.label() + "; give one a name: NAME=EXPR");
                }
            } catch (KetaprintException e) {
                problems.error(at, e.getMessage());
            }
        }
    }

    @Override
    public void check(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        List<Path> bolds = ctx.inputs("bold");
        if (bolds.isEmpty()) ctx.input("bold");
        String space = ctx.spaceOf(bolds.get(0), p.space());
        for (Path b : bolds) {
            ctx.record(BoldRun.sidecar(b));
            RestingStateStage.companion(ctx, "mask", b, bolds.size(), space, p.space());
            RestingStateStage.companion(ctx, "confounds", b, bolds.size(), space, p.space());
            ctx.record(events(ctx, b, bolds.size(), space, p.space()));
        }
        RestingStateStage.checkRois(ctx, space);
    }

    /** The events of one BOLD run: the input's file with its entities, else the raw file that applies by inheritance. */
    static Path events(StageContext ctx, Path bold, int runs, String space, String stageSpace) {
        Path e = RestingStateStage.companion(ctx, "events", bold, runs, space, stageSpace);
        if (e == null && ctx.layout != null) e = ctx.layout.inheritedRaw(bold, "events", ".tsv");
        if (e == null) {
            throw new MissingInputException("no events file for " + bold.getFileName() + " (query " + ctx.spec.inputs.get("events")
                + ", nor a *_events.tsv that applies by BIDS inheritance in the raw dataset)");
        }
        ctx.record(e);
        return e;
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageResult r = new StageResult();
        TaskData d = prepare(ctx, r);
        if (ctx.report()) ctx.keepForReport(r);   // figures even when a feature then fails the stage
        try {
            for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(d));
        } finally {
            if (ctx.report()) TaskFigures.add(ctx, d, r);
        }
        return r;
    }

    /** The fitted runs (one per BOLD run) and the ROIs on their grid; derived maps and details go to {@code r}. */
    public static TaskData prepare(StageContext ctx, StageResult r) {
        Params p = ctx.spec.params(Params.class);
        List<Path> bolds = ctx.inputs("bold");
        if (bolds.isEmpty()) ctx.input("bold");
        Path first = bolds.get(0);
        String space = ctx.spaceOf(first, p.space());
        String task = entity(first, "task");
        Image header = Images.open(first);
        for (Path b : bolds) {
            if (!Images.open(b).grid().sameAs(header.grid())) {
                throw new KetaprintException(b.getFileName() + " is on another grid than " + first.getFileName()
                    + "; the runs of a task must share a grid to be combined");
            }
        }
        Map<String, Roi> rois = RestingStateStage.rois(ctx, header, space, r, null, task == null ? "task" : task);
        List<TaskRun> runs = new ArrayList<>();
        List<Map<String, Object>> details = new ArrayList<>();
        for (Path b : bolds) {
            Path mask = RestingStateStage.companion(ctx, "mask", b, bolds.size(), space, p.space());
            Path conf = RestingStateStage.companion(ctx, "confounds", b, bolds.size(), space, p.space());
            Path ev = events(ctx, b, bolds.size(), space, p.space());
            BoldRun run = BoldRun.load(b, mask, p.tr() == null ? Double.NaN : p.tr());
            var meta = ctx.metadata(b);
            com.fasterxml.jackson.databind.JsonNode side = meta != null ? meta : TaskMaps.sidecar(b);
            TaskRun t = TaskRun.fit(run, Events.read(ev), conf == null ? null : Confounds.read(conf), p, side);
            t.warnings().forEach(w -> ctx.log("warning: " + w));
            ctx.log(b.getFileName() + ": " + t + "; events " + ev.getFileName());
            runs.add(t);
            Map<String, Object> det = new LinkedHashMap<>();
            det.put("bold", b.getFileName().toString());
            det.put("events", ev.toString());
            det.put("confounds", conf == null ? null : conf.getFileName().toString());
            det.put("design_columns", t.design().names());
            det.put("dof", t.glm().dof());
            det.put("ar1_bins", t.glm().bins());
            det.put("slice_time_ref", t.sliceTimeRef());
            det.put("slice_time_ref_source", t.sliceTimeSource());
            det.put("tr_seconds", run.tr());
            det.put("n_spikes", t.spikes());
            if (!t.warnings().isEmpty()) det.put("warnings", t.warnings());
            if (ctx.writesFiles()) {
                Path dm = ctx.derived(entitiesOf(b, space, bolds.size()), "design", ".tsv");
                t.design().writeTsv(dm);
                r.derived.add(dm);
            }
            details.add(det);
        }
        r.details.put("runs", details);
        r.details.put("model", Map.of("hrf", Hrf.parse(p.hrf()).name(), "noise_model", p.noise(), "high_pass_hz", p.highPass(),
            "signal_scaling", "100 * (y / max(mean, 1) - 1)", "drift_model", "cosine", "oversampling", Design.OVERSAMPLING));
        TaskData.MapSink sink = !p.writeMaps() || !ctx.writesFiles() ? null : (label, stat, voxels, values) -> {
            Path out = ctx.derived(entitiesOf(first, space, 1) + "_contrast-" + label + "_stat-" + stat, "statmap", ".nii.gz");
            if (r.derived.contains(out)) return;
            TaskMaps.write(out, runs.get(0).bold(), voxels, values, ctx.compression());
            r.derived.add(out);
        };
        return new TaskData(runs, rois, sink);
    }

    /** task-X[_run-N][_space-Y]: the derived files' entities. */
    static String entitiesOf(Path bold, String space, int runs) {
        String task = entity(bold, "task");
        String run = runs > 1 ? entity(bold, "run") : null;
        return "task-" + (task == null ? "task" : task) + (run == null ? "" : "_run-" + run) + (space == null ? "" : "_space-" + space);
    }

    private static String entity(Path p, String name) {
        BidsName n = BidsName.parse(p.getFileName().toString());
        return n == null ? null : n.get(name);
    }

}
