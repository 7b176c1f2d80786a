package org.ketaprint.mrs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.bids.BidsName;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.ParamException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.MissingInputException;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;

/**
 * Pipeline stage "mrs": a fitting tool's results (LCModel, FSL-MRS, Osprey), the NIfTI-MRS voxel placed on the T1
 * grid, its tissue fractions and Gasparovic's correction ({@link MrsJob}); measure {@link MrsValue}.
 */
public final class MrsStage implements Stage {
    public static final String TYPE = "mrs";

    /** The stage's parameters: also {@code ketaprint mrs}'s and the ImageJ entry's. */
    public record Params(
        @Param(help = "The fitting tool whose results are read", dflt = "lcmodel", choices = {"lcmodel", "fsl-mrs", "osprey"})
        String tool,
        @Param(help = "A metabolite whose CRLB (the percent SD) is strictly above this is n/a", dflt = "20", units = "percent") double crlbMax,
        @Param(help = "The results file or folder, relative to the BIDS folder, with {sub}, {ses} (e.g. "
            + "derivatives/fsl-mrs/sub-{sub}/ses-{ses}/pgacc); none: the results input's query") String resultsPath,
        @Param(help = "Write the voxel's coverage on the T1 grid", dflt = "true") boolean writeMask) {

        public Params {
            if (!(crlbMax > 0 && crlbMax <= 1000)) throw new ParamException("crlb_max", "'crlb_max' must be a percentage, got " + crlbMax);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "MRS: fitted glutamate (LCModel, FSL-MRS, Osprey) with the voxel's tissue fractions and Gasparovic's correction";
    }

    @Override
    public List<InputSpec> inputs() {
        String t1 = "space=!|T1w";
        return List.of(
            new InputSpec("results", Map.of("voi", "pgacc", "extension", ".table|.csv|.tsv", "scope", "derivatives"), false,
                "the fitting tool's results (LCModel .table, FSL-MRS summary.csv, Osprey TSV); or the stage's results_path"),
            new InputSpec("voxel", Map.of("voi", "pgacc", "suffix", "svs|mrs", "extension", ".nii.gz|.nii"), true,
                "the NIfTI-MRS file of the acquisition (its affine and size define the voxel)"),
            new InputSpec("gm", Map.of("label", "GM", "suffix", "probseg", "extension", ".nii.gz|.nii", StageContext.PREFER, t1), true,
                "gray-matter probability in T1w space"),
            new InputSpec("wm", Map.of("label", "WM", "suffix", "probseg", "extension", ".nii.gz|.nii", StageContext.PREFER, t1), true,
                "white-matter probability in T1w space"),
            new InputSpec("csf", Map.of("label", "CSF", "suffix", "probseg", "extension", ".nii.gz|.nii", StageContext.PREFER, t1), true,
                "CSF probability in T1w space"));
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        ctx.record(results(ctx, p));
        ctx.input("voxel");
        ctx.input("gm");
        ctx.input("wm");
        ctx.input("csf");
    }

    /** The results file or folder: the stage's results_path, else the results input. */
    static Path results(StageContext ctx, Params p) {
        if (p.resultsPath() != null && ctx.layout != null) {
            String rel = p.resultsPath().replace("{sub}", ctx.subject.replaceFirst("^sub-", ""))
                .replace("{ses}", ctx.session == null ? "" : ctx.session.replaceFirst("^ses-", ""));
            Path r = ctx.layout.root().resolve(rel);
            if (!Files.exists(r)) throw new MissingInputException("no MRS results at " + r + " (results_path " + p.resultsPath() + ")");
            return r;
        }
        Path r = ctx.optionalInput("results");
        if (r == null) {
            throw new MissingInputException("no MRS results for " + ctx.prefix() + " (query " + ctx.spec.inputs.get("results")
                + ", or set the stage's results_path)");
        }
        return r;
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageResult r = new StageResult();
        Params p = ctx.spec.params(Params.class);
        Path results = results(ctx, p);
        Path voxel = ctx.input("voxel");
        ctx.record(results);
        MrsJob.Result res = new MrsJob(p.tool(), p.crlbMax()).run(results, voxel, ctx.input("gm"), ctx.input("wm"), ctx.input("csf"));
        res.notes().forEach(n -> ctx.log("note: " + n));
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("results", results.toString());
        det.put("tool", p.tool());
        det.put("voxel_centre_mm", res.voxel().centre());
        det.put("mask_centroid_mm", res.mask().centreMm());
        det.put("voxel_size_mm", res.voxel().sizeMm());
        det.put("mask_volume_mm3", res.mask().volumeMm3());
        det.put("fractions", Map.of("gm", res.fractions()[0], "wm", res.fractions()[1], "csf", res.fractions()[2]));
        det.put("water_mole_fractions", Map.of("gm", res.moleFractions()[0], "wm", res.moleFractions()[1], "csf", res.moleFractions()[2]));
        det.put("te_s", res.voxel().echoTime());
        det.put("tr_s", res.voxel().repetitionTime());
        if (!res.notes().isEmpty()) det.put("notes", res.notes());
        r.details.put("mrs", det);
        if (p.writeMask() && ctx.writesFiles()) {
            String voi = entity(voxel, "voi");
            Path out = ctx.derived((voi == null ? "" : "voi-" + voi + "_") + "desc-mrsvoxel", "mask", ".nii.gz");
            float[] f = new float[res.mask().coverage().length];
            for (int i = 0; i < f.length; i++) f[i] = (float) res.mask().coverage()[i];
            int[] d = res.mask().grid().dims();
            NiftiWriter.write(out, NiftiWriter.Spec.of(new long[] {d[0], d[1], d[2]}, res.mask().grid().affine, DataType.FLOAT32)
                .compression(ctx.compression()), f);
            r.derived.add(out);
        }
        if (ctx.report()) MrsFigures.add(r, res, res.gm());
        for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(res));
        return r;
    }

    private static String entity(Path p, String name) {
        BidsName n = BidsName.parse(p.getFileName().toString());
        return n == null ? null : n.get(name);
    }
}
