package org.ketaprint.structural;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.measure.Param;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;

/**
 * Pipeline stage "structural": reads a segmentation (and a brain mask, FreeSurfer's aseg.stats) into a
 * {@link Segmentation}; its measures are {@link Volume} and {@link Icv}.
 */
public final class StructuralStage implements Stage {
    public static final String TYPE = "structural";

    /** The stage's parameters. */
    public record Params(
        @Param(help = "Label names file (FreeSurfer LUT, FSL XML, BIDS dseg.tsv, mricron txt); none: FreeSurfer's names")
        Path lut,
        @Param(help = "auto: read stats/aseg.stats from the subject's FreeSurfer folder in the derivatives; none: never",
            dflt = "auto", choices = {"auto", "none"}) String freesurfer) {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Region volumes (mm^3) from a segmentation, with ICV and FreeSurfer aseg.stats";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
            new InputSpec("seg", Map.of("desc", "aseg", "suffix", "dseg", "extension", ".nii.gz|.nii"), true,
                "label image with FreeSurfer label numbers (fMRIPrep desc-aseg dseg, FSL FIRST); when none "
                    + "matches, mri/aseg.mgz of the subject's FreeSurfer folder in the derivatives"),
            new InputSpec("mask", Map.of("desc", "brain", "suffix", "mask", "datatype", "anat", "space", "!",
                "extension", ".nii.gz|.nii"), false, "brain mask on the label image's grid (ICV fallback)"),
            new InputSpec("aseg_stats", Map.of(), false,
                "FreeSurfer stats/aseg.stats (found in the subject's FreeSurfer folder when freesurfer: auto)"),
            new InputSpec("t1w", Map.of("desc", "preproc", "suffix", "T1w", "datatype", "anat", "space", "!",
                "extension", ".nii.gz|.nii"), false, "T1w image for the report's figures (none: the segmentation is shown)"));
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        Params p = spec.params(Params.class);
        if (p == null) return;
        LabelTable table = LabelTable.freesurferDefaults();
        if (p.lut() != null) {
            if (!Files.isRegularFile(p.lut())) {
                problems.error(spec.paramNode("lut"), "lookup table '" + p.lut() + "' does not exist");
                return;
            }
            table = LabelTable.read(p.lut());
        }
        for (Feature f : spec.features) {
            if (!(f.params() instanceof Volume.Params v)) continue;
            String t = v.label().trim();
            if (t.matches("-?\\d+")) continue;
            try {
                table.label(t);
            } catch (RuntimeException e) {
                problems.error(f.node().get("label"), e.getMessage());
            }
        }
    }

    /**
     * Without reading voxel data: the label table reads, and a segmentation is there (else MissingInputException);
     * the label table, segmentation and aseg.stats are noted as resolved.
     */
    @Override
    public void check(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        if (p.lut() != null) {
            LabelTable.read(p.lut());
            ctx.record(p.lut());
        }
        segmentation(ctx);
        asegStats(ctx, p);
    }

    /** FreeSurfer's aseg.stats (the input, else the subject's FreeSurfer folder) when freesurfer: auto, recorded; else null. */
    private static Path asegStats(StageContext ctx, Params p) {
        if (!p.freesurfer().equals("auto")) return null;
        Path s = ctx.optionalInput("aseg_stats");
        if (s == null) s = freesurferFile(ctx, "stats/aseg.stats");
        ctx.record(s);
        return s;
    }

    /** The label image: the seg input, else the subject's FreeSurfer mri/aseg.mgz; MissingInputException without. */
    private static Path segmentation(StageContext ctx) {
        Path segPath = ctx.optionalInput("seg");
        if (segPath == null) {
            segPath = freesurferFile(ctx, "mri/aseg.mgz");
            if (segPath == null) ctx.input("seg");   // throws MissingInputException naming the query
            ctx.record(segPath);
        }
        return segPath;
    }

    /** The stage's data for one subject/session (or for files given directly). */
    public static Segmentation prepare(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        LabelTable table = p.lut() == null ? null : LabelTable.read(p.lut());
        if (p.lut() != null) ctx.record(p.lut());
        Path segPath = segmentation(ctx);
        if (ctx.optionalInput("seg") == null) ctx.log("seg: using FreeSurfer " + segPath);
        Image seg = Images.open(segPath);
        Path maskPath = ctx.optionalInput("mask");
        Image mask = maskPath == null ? null : Images.open(maskPath);
        Path s = asegStats(ctx, p);
        AsegStats stats = s == null ? null : AsegStats.read(s);
        return new Segmentation(seg, table, stats, mask, ctx::log);
    }

    @Override
    public StageResult run(StageContext ctx) {
        Segmentation s = prepare(ctx);
        StageResult r = new StageResult();
        r.details.put("icv_source", s.icv.source());
        for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(s));
        if (ctx.report()) StructuralFigures.add(ctx, r, s);
        return r;
    }

    /** A file of the subject's FreeSurfer folder (sub-X_ses-Y, else sub-X) in any derivatives folder. */
    static Path freesurferFile(StageContext ctx, String rel) {
        if (ctx.layout == null) return null;
        List<String> names = new ArrayList<>();
        if (ctx.session != null) names.add("sub-" + ctx.subject + "_ses-" + ctx.session);
        names.add("sub-" + ctx.subject);
        for (Path d : ctx.layout.derivativeRoots()) {
            for (String n : names) {
                Path p = d.resolve(n).resolve(rel);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }
}
