package org.ketaprint.restingstate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsName;
import org.ketaprint.measure.Param;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.YNode;
import org.ketaprint.roi.PlacedRoi;
import org.ketaprint.roi.RoiPlacement;
import org.ketaprint.roi.RoiSpec;
import org.ketaprint.spaces.SpaceAlignment;
import org.ketaprint.spaces.Spaces;

/**
 * Pipeline stage "restingstate": reads the BOLD run, confounds and ROIs into {@link RestingData}
 * (denoising: 3dTproject-style projection with a confound strategy, FD censoring and band-pass
 * regressors); its measures are {@link SeedCorrelation}, {@link Alff}, {@link Gbc} and {@link Quality}.
 * ROIs ({@link RoiSpec}): {@code name: {sphere: [x, y, z], radius: mm}} (MNI mm), {@code name: {atlas: NAME, labels: [..]}}
 * or {@code name: {mask: FILE}}, placed on the BOLD grid by {@link RoiPlacement}, through the subject's transform
 * when the BOLD is not in the ROIs' space.
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
        @Param(help = "Write the seed, ALFF/fALFF and GBC maps as derived files", dflt = "true") boolean writeMaps,
        @Param(help = "The BOLD's space when its file has no space- entity nor SpatialReference (e.g. MNI152NLin2009cAsym); "
            + "none: the run's --space, else native") String space) {

        public Params {
            strategy = List.copyOf(strategy);
            if (tr != null && !(tr > 0 && tr < Double.POSITIVE_INFINITY)) {
                throw new org.ketaprint.measure.ParamException("tr", "'tr' must be a positive number of seconds, got " + tr);
            }
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

    /**
     * Inputs in any space: ROIs reach a BOLD outside MNI through the subject's {@code from-<ROI space>_to-<BOLD space>}
     * transform. Where several spaces exist, MNI152NLin2009cAsym wins, then MNI152NLin6Asym, T1w, no space entity
     * ({@link StageContext#PREFER}); the mask and the gray matter are then taken in the BOLD's space.
     */
    /** ROI texts {@code aseg:N+M}: labels of a stage's own segmentation (the PET stage), not placed here. */
    public static final String SEGMENTATION_ROI = "aseg:";

    public static final String PREFER_SPACE = "space=MNI152NLin2009cAsym|MNI152NLin6Asym|T1w|!";

    @Override
    public List<InputSpec> inputs() {
        String prefer = PREFER_SPACE;
        return List.of(
            new InputSpec("bold", Map.of("task", "rest", "desc", "preproc", "suffix", "bold", StageContext.PREFER, prefer,
                "extension", ".nii.gz|.nii"), true, "fMRIPrep preprocessed BOLD (MNI preferred; another space needs a transform)",
                true),
            new InputSpec("confounds", Map.of("task", "rest", "desc", "confounds", "suffix", "timeseries|regressors",
                "extension", ".tsv"), false, "fMRIPrep confounds (without it only the mean-signal GSR is possible)",
                true),
            new InputSpec("mask", Map.of("task", "rest", "desc", "brain", "suffix", "mask", StageContext.PREFER, prefer,
                "extension", ".nii.gz|.nii"), true, "BOLD brain mask (in the BOLD's space)",
                true),
            new InputSpec("gm", Map.of("label", "GM", "suffix", "probseg", StageContext.PREFER, prefer, "extension", ".nii.gz|.nii"),
                false, "gray-matter probability map (GBC; in the BOLD's space)"));
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
        validateRois(spec, problems);
    }

    /** Checks the stage's {@code rois:} and the ROI names its features use (roi, seed, target). */
    public static void validateRois(StageSpec spec, Problems problems) {
        for (Map.Entry<String, YNode> e : spec.rois.entrySet()) {
            try {
                roi(e.getKey(), e.getValue());
            } catch (KetaprintException ex) {
                problems.error(e.getValue(), "ROI '" + e.getKey() + "': " + ex.getMessage());
            }
        }
        for (Feature f : spec.features) {
            for (Map.Entry<String, Object> e : f.paramValues().entrySet()) {
                if (!List.of("roi", "seed", "target").contains(e.getKey())) continue;
                String name = String.valueOf(e.getValue());
                if (name.startsWith(SEGMENTATION_ROI)) continue;   // the PET stage's labels of its own segmentation
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
        if (ctx.report()) ctx.keepForReport(r);   // figures even when a feature then fails the stage
        try {
            for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(d));
        } finally {
            if (ctx.report()) RestingFigures.add(ctx, d, r);
        }
        return r;
    }

    /**
     * Without reading voxel data: the BOLD runs (with their JSON sidecars), each one's mask and confounds, and how each
     * ROI (its atlas and label table, or mask file) reaches the BOLD's space.
     */
    @Override
    public void check(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        List<Path> bolds = ctx.inputs("bold");
        if (bolds.isEmpty()) ctx.input("bold");   // the missing-input error naming the query
        String space = ctx.spaceOf(bolds.get(0), p.space());
        for (Path b : bolds) {
            ctx.record(BoldRun.sidecar(b));
            companion(ctx, "mask", b, bolds.size(), space, p.space());
            companion(ctx, "confounds", b, bolds.size(), space, p.space());
        }
        checkRois(ctx, space);
    }

    /** Records every ROI's files and the transform each needs to reach {@code space} (an error when one is missing). */
    public static void checkRois(StageContext ctx, String space) {
        RoiPlacement placement = new RoiPlacement(ctx.atlases);
        for (RoiSpec spec : roiSpecs(ctx).values()) {
            recordRoiFiles(ctx, placement, spec);
            ctx.record(RoiPlacement.align(ctx.layout, ctx.subject, ctx.session, placement.roiSpace(spec, space), space).file());
        }
    }

    /** Notes an atlas ROI's atlas (image and label table) or a mask ROI's file as read. */
    private static void recordRoiFiles(StageContext ctx, RoiPlacement placement, RoiSpec spec) {
        if (spec.kind() == RoiSpec.Kind.ATLAS) ctx.record(placement.atlas(spec));
        if (spec.kind() == RoiSpec.Kind.MASK) ctx.record(spec.maskFile());
    }

    /**
     * The stage's data for one subject/session (or files given directly); derived maps and details go to {@code r}.
     * Several runs of the BOLD (files differing only in {@code run-}) each come with their own mask and confounds
     * ({@link #companion}); the measures concatenate them ({@link Concatenation}).
     */
    public static RestingData prepare(StageContext ctx, StageResult r) {
        StageSpec spec = ctx.spec;
        Params p = spec.params(Params.class);
        Settings base = p.settings();
        List<Path> bolds = ctx.inputs("bold");
        if (bolds.isEmpty()) ctx.input("bold");   // the missing-input error naming the query
        Path boldPath = bolds.get(0);
        String space = ctx.spaceOf(boldPath, p.space());
        List<Path> masks = new ArrayList<>();
        List<Path> confPaths = new ArrayList<>();
        for (Path b : bolds) {
            ctx.record(BoldRun.sidecar(b));   // its RepetitionTime (BoldRun.load)
            masks.add(companion(ctx, "mask", b, bolds.size(), space, p.space()));
            confPaths.add(companion(ctx, "confounds", b, bolds.size(), space, p.space()));
        }
        // the ROIs first, once per grid of the BOLD headers: a missing transform fails before any data is read
        List<Image> headers = new ArrayList<>();
        List<Map<String, Roi>> placed = new ArrayList<>();
        List<Map<String, Roi>> roisOfRun = new ArrayList<>();
        for (Path b : bolds) {
            Image h = Images.open(b);
            int at = -1;
            for (int j = 0; j < headers.size() && at < 0; j++) if (headers.get(j).grid().sameAs(h.grid())) at = j;
            if (at < 0) {
                headers.add(h);
                placed.add(rois(ctx, h, space, r, headers.size() == 1 ? null : runLabel(b)));
                at = headers.size() - 1;
            }
            roisOfRun.add(placed.get(at));
        }
        if (headers.size() > 1) ctx.log("note: the runs are on " + headers.size() + " grids; ROIs placed on each");
        List<RestingData.Run> runs = new ArrayList<>();
        List<Map<String, Object>> runDetails = new ArrayList<>();
        java.util.Set<String> derivedAll = new java.util.LinkedHashSet<>();
        for (int i = 0; i < bolds.size(); i++) {
            BoldRun run = BoldRun.load(bolds.get(i), masks.get(i), p.tr() == null ? Double.NaN : p.tr());
            run.warnings().forEach(w -> ctx.log("warning: " + w));
            String label = runLabel(bolds.get(i));
            ctx.log(String.format(Locale.ROOT, "BOLD%s: %d mask voxels x %d volumes, TR %s s (%s)",
                bolds.size() > 1 ? " " + label : "", run.size(), run.volumes(), run.tr(), run.trSource()));
            Confounds conf = confPaths.get(i) == null ? null : Confounds.read(confPaths.get(i));
            List<String> derived = conf == null ? List.of() : conf.derived(base.strategy().columns());
            if (!derived.isEmpty()) {
                derivedAll.addAll(derived);
                ctx.log("confounds: " + confPaths.get(i).getFileName() + " lacks " + String.join(", ", derived)
                    + "; derived from the base columns as fMRIPrep defines them (backward difference, first row 0; squares)");
            }
            Map<String, Roi> rois = roisOfRun.get(i);
            runs.add(new RestingData.Run(run, conf, name -> rois.containsKey(name) ? rois.get(name) : Roi.parse(name), label));
            if (bolds.size() > 1) {
                Censoring c = Cleaning.censoring(run, conf, base);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("run", label);
                d.put("bold", bolds.get(i).getFileName().toString());
                d.put("mask", masks.get(i).getFileName().toString());
                d.put("confounds", confPaths.get(i) == null ? null : confPaths.get(i).getFileName().toString());
                if (!derived.isEmpty()) d.put("confounds_derived", derived);
                d.put("volumes", run.volumes());
                d.put("volumes_used", c.used());
                d.put("volumes_censored", c.censored());
                d.put("tr_seconds", run.tr());
                runDetails.add(d);
            }
        }
        if (!derivedAll.isEmpty()) r.details.put("confounds_derived", new ArrayList<>(derivedAll));
        BoldRun first = runs.get(0).bold();
        r.details.put("tr_seconds", first.tr());
        r.details.put("tr_source", first.trSource());
        if (bolds.size() > 1) {
            r.details.put("runs", runDetails);
            r.details.put("run_combination", "each run denoised alone, clean series z-scored per run and concatenated "
                + "(seedcorr, gbc); alff/falff: per run, mean weighted by volumes used");
        }
        RestingData.MapSink sink = !p.writeMaps() ? null : (entities, values) -> {
            Path out = ctx.derived(bidsEntities(boldPath, space) + "_" + entities, "boldmap", ".nii.gz");
            if (r.derived.contains(out)) return;
            int[] dims = first.grid().dims();
            NiftiWriter.write(out, NiftiWriter.Spec.like(first.image(), new long[] {dims[0], dims[1], dims[2]}, DataType.FLOAT32)
                .compression(ctx.compression()), first.toVolume(values, Float.NaN));
            r.derived.add(out);
        };
        return new RestingData(runs, base,
            () -> Gbc.grayMatter(first, sameSpace(ctx, "gm", ctx.input("gm"), space, p.space()), p.gmThreshold()), sink);
    }

    /** "run-2", or "run" for a file without a run- entity. */
    static String runLabel(Path bold) {
        String run = entityOf(bold, "run");
        return run == null ? "run" : "run-" + run;
    }

    private static String entityOf(Path p, String entity) {
        BidsName n = BidsName.parse(p.getFileName().toString());
        return n == null ? null : n.get(entity);
    }

    /**
     * The mask or confounds file of one BOLD run: of the input's files (in the BOLD's space, for the mask; else the
     * same query in that space), the one with the BOLD's {@code run-} whose other entities agree with the BOLD's
     * where both have them ({@code desc} aside); for the mask, when the run has none of its own, the one without
     * {@code run-} (session level) if there is exactly one. With a single BOLD and a single candidate that file is
     * taken as is (as before runs were paired). Files given directly (no layout) are taken as given. Confounds are
     * optional (null when the input has no file at all).
     */
    public static Path companion(StageContext ctx, String name, Path bold, int runs, String boldSpace, String stageSpace) {
        boolean mask = name.equals("mask");
        if (ctx.layout == null) return mask ? ctx.input(name) : ctx.optionalInput(name);
        List<Path> all = ctx.candidates(name);
        if (all.isEmpty()) return mask ? ctx.input(name) : null;   // the mask's missing-input error
        List<Path> cands = all;
        if (mask) {
            cands = all.stream().filter(c -> Spaces.same(ctx.spaceOf(c, stageSpace), boldSpace)).toList();
            if (cands.isEmpty()) cands = inSpace(ctx, name, boldSpace);
            if (cands.isEmpty()) throw spaceError(ctx, name, all.get(0), boldSpace, stageSpace);
        }
        Path chosen = null;
        if (runs == 1 && cands.size() == 1) {
            chosen = cands.get(0);
        } else {
            BidsName b = BidsName.parse(bold.getFileName().toString());
            String run = b == null ? null : b.get("run");
            List<Path> agree = cands.stream().filter(c -> agrees(c, b)).toList();
            List<Path> own = agree.stream().filter(c -> java.util.Objects.equals(entityOf(c, "run"), run)).toList();
            List<Path> session = agree.stream().filter(c -> entityOf(c, "run") == null).toList();
            if (own.size() == 1) {
                chosen = own.get(0);
            } else if (own.isEmpty() && mask && run != null && session.size() == 1) {
                chosen = session.get(0);
                ctx.log("note: " + bold.getFileName() + " has no mask of its own; using the session's " + chosen.getFileName());
            } else {
                throw new KetaprintException("no single " + name + " file for " + bold.getFileName() + ": "
                    + (own.isEmpty() ? "none" : own.size()) + " of " + cands.size() + " candidates ("
                    + String.join(", ", cands.stream().map(c -> c.getFileName().toString()).toList())
                    + ") has its entities" + (mask ? " (or is a session-level mask without run-)" : ""));
            }
        }
        ctx.record(chosen);
        return chosen;
    }

    /** True when every entity the file shares with the BOLD but desc and space has the BOLD's value. */
    private static boolean agrees(Path file, BidsName bold) {
        BidsName f = BidsName.parse(file.getFileName().toString());
        if (f == null || bold == null) return true;
        for (Map.Entry<String, String> e : f.entities.entrySet()) {
            String k = e.getKey();
            if (k.equals("desc") || k.equals("space") || k.equals("run")) continue;
            String v = bold.get(k);
            if (v != null && !v.equals(e.getValue())) return false;
        }
        return true;
    }

    /** task-rest_space-X (the pipeline's naming of derived maps). */
    private static String bidsEntities(Path bold, String space) {
        return "task-rest" + (space == null ? "" : "_space-" + space);
    }

    /**
     * The stage's ROIs: those of its {@code rois:}, and with a BIDS layout also those a feature writes in text form
     * (sphere:..., atlas:...), which go through the same placement; for files given directly (no layout, no transforms)
     * they stay restingstate.Roi in the data's space, as on the command line.
     */
    private static Map<String, RoiSpec> roiSpecs(StageContext ctx) {
        Map<String, RoiSpec> specs = new LinkedHashMap<>();
        for (Map.Entry<String, YNode> e : ctx.spec.rois.entrySet()) specs.put(e.getKey(), roi(e.getKey(), e.getValue()));
        if (ctx.layout != null) {
            for (Feature f : ctx.spec.features) {
                for (Map.Entry<String, Object> e : f.paramValues().entrySet()) {
                    if (!List.of("roi", "seed", "target").contains(e.getKey()) || e.getValue() == null) continue;
                    String name = String.valueOf(e.getValue());
                    if (name.startsWith(SEGMENTATION_ROI)) continue;
                    if (!specs.containsKey(name) && name.contains(":")) specs.put(name, RoiSpec.parse(name));
                }
            }
        }
        return specs;
    }

    /**
     * The stage's ROIs placed on the BOLD grid ({@link RoiPlacement}): in the ROI's space, or through the subject's
     * transform to the BOLD's space (null: native); a missing transform fails here, naming both spaces. With a
     * transform, each placement is written for QC as {@code task-rest_space-X_desc-<roi>_mask.nii.gz} ({@code runLabel}
     * not null, for a run on another grid than the first: {@code task-rest_run-N_space-X_...}).
     */
    private static Map<String, Roi> rois(StageContext ctx, Image bold, String dataSpace, StageResult r, String runLabel) {
        return rois(ctx, bold, dataSpace, r, runLabel, "rest");
    }

    /**
     * As above for the BOLD of task {@code task} (the QC masks are named {@code task-<task>_...}): the task-fMRI stage;
     * {@code task} with a '-' is the entity itself (e.g. {@code trc-FDG} for the PET stage).
     */
    public static Map<String, Roi> rois(StageContext ctx, Image bold, String dataSpace, StageResult r, String runLabel,
                                        String task) {
        RoiPlacement placement = new RoiPlacement(ctx.atlases);
        Map<String, RoiSpec> specs = roiSpecs(ctx);
        Map<String, SpaceAlignment> alignments = new LinkedHashMap<>();
        for (Map.Entry<String, RoiSpec> e : specs.entrySet()) {
            RoiSpec spec = e.getValue();
            recordRoiFiles(ctx, placement, spec);
            String roiSpace = placement.roiSpace(spec, dataSpace);
            if (!alignments.containsKey(roiSpace)) {
                SpaceAlignment a = RoiPlacement.align(ctx.layout, ctx.subject, ctx.session, roiSpace, dataSpace);
                alignments.put(roiSpace, a);
                if (a.note() != null) ctx.log("note: " + a.note());
                if (a.file() != null) {
                    ctx.record(a.file());
                    ctx.log("ROIs in " + a.roiSpace() + " reach the BOLD in " + a.dataSpace() + " through " + a.file());
                }
            }
        }
        Map<String, Roi> out = new LinkedHashMap<>();
        Map<String, String> transforms = new LinkedHashMap<>();
        for (Map.Entry<String, RoiSpec> e : specs.entrySet()) {
            RoiSpec spec = e.getValue();
            PlacedRoi placed = placement.place(spec, bold.grid(), dataSpace, alignments.get(placement.roiSpace(spec, dataSpace)));
            if (placed.transformed()) {
                transforms.put(e.getKey(), placed.transformFile() == null ? placed.alignment().chain().describe()
                    : placed.transformFile().toString());
                if (ctx.writesFiles()) {
                    String run = runLabel == null ? "" : "_" + runLabel;
                    Path qc = ctx.derived(bidsEntities(null, dataSpace).replaceFirst("^task-rest", (task.contains("-") ? task : "task-" + task) + run) + "_desc-"
                        + RestingData.entity(e.getKey()), "mask", ".nii.gz");
                    placed.writeLabels(qc, bold, ctx.compression());
                    r.derived.add(qc);
                    ctx.log("ROI " + e.getKey() + " " + placed.describe() + " -> " + qc.getFileName());
                }
            }
            out.put(e.getKey(), Roi.placed(placed));
        }
        if (!transforms.isEmpty()) r.details.put(runLabel == null ? "roi_transforms" : "roi_transforms_" + runLabel, transforms);
        return out;
    }

    private static RoiSpec roi(String name, YNode n) {
        if (!(n.plain() instanceof Map<?, ?> m)) {
            throw new KetaprintException("must be {sphere: [x, y, z], radius: mm}, {atlas: NAME, labels: [...]} or {mask: FILE}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return RoiSpec.fromMap(map);
    }

    private static String spaceOf(Path p) {
        BidsName n = BidsName.parse(p.getFileName().toString());
        return n == null ? null : n.get("space");
    }

    /**
     * The input {@code name} in the BOLD's space: the resolved file when its space- entity is the BOLD's, else the
     * one file of the same query in that space (for a T1w BOLD also an anat file without space- entity: T1w, as
     * fMRIPrep writes them); else an error naming both spaces. Files given directly (no layout) are taken as given.
     */
    private static Path sameSpace(StageContext ctx, String name, Path resolved, String boldSpace, String stageSpace) {
        if (ctx.layout == null || Spaces.same(ctx.spaceOf(resolved, stageSpace), boldSpace)) return resolved;
        Map<String, String> q = new LinkedHashMap<>(ctx.spec.inputs.get(name));
        q.remove(StageContext.PREFER);
        List<String> candidates = new ArrayList<>();
        candidates.add(boldSpace == null ? "!" : boldSpace);
        if ("T1w".equals(boldSpace)) candidates.add("!");
        for (String c : candidates) {
            q.put("space", c);
            List<BidsFile> hits = ctx.layout.find(ctx.subject, ctx.session, q);
            if (hits.size() == 1) {
                ctx.record(hits.get(0).path());
                return hits.get(0).path();
            }
        }
        throw spaceError(ctx, name, resolved, boldSpace, stageSpace);
    }

    /**
     * The files of the input's query in the BOLD's space: with space- the BOLD's; for a T1w BOLD, when there are
     * none, those without space- (T1w, as fMRIPrep writes anat files).
     */
    private static List<Path> inSpace(StageContext ctx, String name, String boldSpace) {
        Map<String, String> q = new LinkedHashMap<>(ctx.spec.inputs.get(name));
        q.remove(StageContext.PREFER);
        List<String> candidates = new ArrayList<>();
        candidates.add(boldSpace == null ? "!" : boldSpace);
        if ("T1w".equals(boldSpace)) candidates.add("!");
        for (String c : candidates) {
            q.put("space", c);
            List<BidsFile> hits = ctx.layout.find(ctx.subject, ctx.session, q);
            if (!hits.isEmpty()) return hits.stream().map(BidsFile::path).toList();
        }
        return List.of();
    }

    private static KetaprintException spaceError(StageContext ctx, String name, Path resolved, String boldSpace, String stageSpace) {
        return new KetaprintException("the " + name + " input " + resolved.getFileName() + " is in space "
            + Spaces.normalize(ctx.spaceOf(resolved, stageSpace)) + " but the BOLD is in space " + Spaces.normalize(boldSpace)
            + ", and no single " + name + " file in the BOLD's space was found");
    }
}
