package org.ketaprint.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.atlas.LabelImage;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.ParamException;
import org.ketaprint.pipeline.AtlasLabel;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.MissingInputException;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.spaces.SpaceAlignment;

/**
 * Pipeline stage "diffusion": a tensor fit (or precomputed FA/MD maps) and the atlas brought to the DWI
 * grid, as {@link TensorMaps}; its measure is {@link TensorRoi}. The atlas and the transform to the DWI
 * space are resolved before the fit, so a missing transform fails at once.
 */
public final class DiffusionStage implements Stage {
    public static final String TYPE = "diffusion";

    /** The stage's parameters. */
    public record Params(
        @Param(help = "Tensor fit: log-linear weighted (DIPY's default) or ordinary least squares", dflt = "wls",
            choices = {"wls", "ols"}) String method,
        @Param(help = "Atlas name (searched in the atlas folders) or path; its label names from a table beside it",
            dflt = "JHU-WhiteMatter-labels-1mm") String atlas,
        @Param(help = "Only voxels with FA above this count in ROI statistics; none: no threshold", dflt = "none")
        Double faThreshold,
        @Param(help = "Tensor maps to write: fa, md, ad, rd, v1, s0 (a list or fa,md); true: all six; false or none: "
            + "none. A computed brain mask is written whatever this says", dflt = "fa,md")
        List<String> writeMaps,
        @Param(help = "The DWI's space when its file has no space- entity nor SpatialReference (e.g. MNI152NLin6Asym); "
            + "none: the run's --space, else native") String space) {

        public Params {
            try {
                writeMaps = DtiMaps.select(writeMaps);
            } catch (IllegalArgumentException e) {
                throw new ParamException("write_maps", "'write_maps': " + e.getMessage());
            }
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "DTI (log-linear OLS/WLS as DIPY) and FA/MD/AD/RD statistics in atlas ROIs";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
            new InputSpec("dwi", Map.of("desc", "preproc", "suffix", "dwi", "extension", ".nii.gz|.nii"), false,
                "preprocessed DWI (QSIPrep); with .bval/.bvec beside it"),
            new InputSpec("dwi_raw", Map.of("desc", "!", "suffix", "dwi", "extension", ".nii.gz|.nii", "scope", "raw"), false,
                "raw BIDS DWI, used when there is no preprocessed one"),
            new InputSpec("mask", Map.of("desc", "brain", "suffix", "mask", "datatype", "dwi", "extension", ".nii.gz|.nii"), false,
                "brain mask on the DWI grid (else median_otsu of the mean b0, written for QC)"),
            new InputSpec("fa_map", Map.of("model", "tensor", "param", "fa", "suffix", "dwimap"), false,
                "a precomputed FA map (QSIPrep/TBSS): used as is, with md_map"),
            new InputSpec("md_map", Map.of("model", "tensor", "param", "md", "suffix", "dwimap"), false,
                "a precomputed MD map"));
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    /** The ROI forms' labels, and every {@code tensor_roi} feature's {@code roi}, a label of the stage's atlas. */
    @Override
    public List<AtlasLabel> atlasLabels(StageSpec spec) {
        List<AtlasLabel> out = new ArrayList<>(Stage.super.atlasLabels(spec));
        Params p = spec.params(Params.class);
        if (p == null) return out;
        for (Feature f : spec.features) {
            if (f.params() instanceof TensorRoi.Params t && f.node().get("roi") != null) {
                out.add(new AtlasLabel(p.atlas(), t.roi().trim(), f.node().get("roi"), "feature '" + f.column() + "'"));
            }
        }
        return out;
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageResult r = new StageResult();
        TensorMaps t = prepare(ctx, r);
        for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(t));
        return r;
    }

    /**
     * Without reading voxel data: a DWI with its .bval/.bvec (or FA and MD maps), the atlas with its label names, and
     * how the atlas reaches the data's space (a missing transform fails here, naming both spaces).
     */
    @Override
    public void check(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        Path[] given = inputsOf(ctx);
        align(ctx, atlas(ctx, p), ctx.spaceOf(given[2] != null ? given[2] : given[0], p.space()));
        if (given[2] != null) {
            ctx.record(sibling(given[2], ".bval"));
            ctx.record(sibling(given[2], ".bvec"));
        }
    }

    /** {fa, md, null} when both maps are given, else {null, null, dwi} (preprocessed, else raw); MissingInputException without. */
    private static Path[] inputsOf(StageContext ctx) {
        Path faPath = ctx.optionalInput("fa_map");
        Path mdPath = ctx.optionalInput("md_map");
        if (faPath != null && mdPath != null) return new Path[] {faPath, mdPath, null};
        Path dwiPath = ctx.optionalInput("dwi");
        if (dwiPath == null) dwiPath = ctx.optionalInput("dwi_raw");
        if (dwiPath == null) throw new MissingInputException("no DWI (preprocessed or raw) and no FA/MD maps for " + ctx.prefix());
        return new Path[] {null, null, dwiPath};
    }

    private static Atlas atlas(StageContext ctx, Params p) {
        Atlas atlas = ctx.atlases.find(p.atlas());
        ctx.record(atlas);
        if (atlas.labels() == null) throw new KetaprintException(atlas.image() + ": no label names beside the atlas");
        return atlas;
    }

    /** How the atlas reaches the data's space; the transform file, if any, is recorded as read. */
    private static SpaceAlignment align(StageContext ctx, Atlas atlas, String space) {
        SpaceAlignment a = SpaceAlignment.resolve(ctx.layout, ctx.subject, ctx.session, atlas.space(), space == null ? "native" : space);
        ctx.record(a.file());
        return a;
    }

    /** The stage's data for one subject/session (or files given directly); derived files and details go to {@code r}. */
    public static TensorMaps prepare(StageContext ctx, StageResult r) {
        Params p = ctx.spec.params(Params.class);
        Path[] given = inputsOf(ctx);
        Path faPath = given[0];
        Path mdPath = given[1];
        Path dwiPath = given[2];
        Image ref = Images.open(dwiPath != null ? dwiPath : faPath);
        // without a mask, a gzipped DWI is inflated once, in the background, while the atlas is resolved and the mask made
        Image readAhead = dwiPath != null && ctx.optionalInput("mask") == null ? TensorFit.readAhead(ref) : ref;
        String space = ctx.spaceOf(dwiPath != null ? dwiPath : faPath, p.space());
        Grid grid = ref.grid();
        // atlas and transform first: a missing one fails before the fit
        Atlas atlas = atlas(ctx, p);
        SpaceAlignment align = align(ctx, atlas, space);
        if (align.note() != null) ctx.log("note: " + align.note());
        float[] fa;
        float[] md;
        float[] ad = null;
        float[] rd = null;
        float[] v1 = null;
        boolean[] brain;
        if (dwiPath == null) {
            Image mdImg = Images.open(mdPath);
            if (!ref.grid().sameAs(mdImg.grid())) throw new KetaprintException(mdPath + ": not on the grid of " + faPath);
            fa = ref.readVolume(0);
            md = mdImg.readVolume(0);
            brain = null;
            r.details.put("maps", "precomputed: " + faPath.getFileName() + ", " + mdPath.getFileName());
        } else {
            Image dwi = readAhead;
            Path bval = sibling(dwiPath, ".bval");
            Path bvec = sibling(dwiPath, ".bvec");
            ctx.record(bval);
            ctx.record(bvec);
            Gradients g = Gradients.read(bval, bvec, dwi);
            g.warnings().forEach(w -> ctx.log("warning: " + w));
            Path maskPath = ctx.optionalInput("mask");
            if (maskPath != null) {
                brain = BrainMask.read(Images.open(maskPath), dwi);
            } else {
                brain = BrainMask.medianOtsu(dwi, g);
                if (ctx.writesFiles()) {
                    Path qc = ctx.derived(entities(space) + (space == null ? "" : "_") + "desc-brain", "mask", ".nii.gz");
                    BrainMask.write(qc, brain, dwi, ctx.compression());
                    r.derived.add(qc);
                    ctx.log("mask: median_otsu of the mean b0 -> " + qc.getFileName());
                }
            }
            TensorFit.Method method = p.method().equals("ols") ? TensorFit.Method.OLS : TensorFit.Method.WLS;
            List<String> write = ctx.writesFiles() ? p.writeMaps() : List.of();
            DtiMaps maps = TensorFit.fit(dwi, g, brain, method, keep(write, ctx.report()));
            if (maps.nonfinite() > 0) ctx.log("warning: " + maps.nonfinite() + " voxel(s) with NaN/Inf signals have NaN maps");
            fa = maps.fa;
            md = maps.md;
            ad = maps.ad;
            rd = maps.rd;
            v1 = maps.v1;
            for (Path f : maps.writeBids(ctx.outDir, ctx.prefix() + (space == null ? "" : "_space-" + space), write,
                ctx.compression())) {
                r.derived.add(f);
            }
            r.details.put("fitted_voxels", maps.fitted());
        }
        Image atlasImage = Images.open(atlas.image());
        double[] resampled = align.labelsOnto(LabelImage.read(atlasImage), atlasImage.grid(), grid);
        if (align.file() != null) {
            r.details.put("transform", align.file().toString());
        }
        if (align.file() != null && ctx.writesFiles()) {
            Path qc = ctx.derived(entities(space) + (space == null ? "" : "_") + "desc-" + alnum(atlas.name()), "dseg", ".nii.gz");
            SpaceAlignment.writeLabels(qc, ref, resampled, ctx.compression());
            r.derived.add(qc);
        }
        int[] onGrid = LabelImage.toInts(resampled);
        Double thr = p.faThreshold();
        boolean[] use = new boolean[fa.length];
        for (int v = 0; v < fa.length; v++) {
            boolean in = brain != null ? brain[v] : (fa[v] != 0 && !Float.isNaN(fa[v]));
            use[v] = in && (thr == null || fa[v] > thr);
        }
        r.details.put("atlas", atlas.image().toString());
        TensorMaps t = new TensorMaps(grid, fa, md, ad, rd, onGrid, atlas.labels(), use, atlas.name());
        if (ctx.report()) DiffusionFigures.add(r, ctx.spec.features, t, brain, v1);
        return t;
    }

    /** The maps the fit keeps: those written, plus V1 for the report's figure (12 bytes a voxel, no extra fit). */
    static List<String> keep(List<String> write, boolean report) {
        if (!report || write.contains("v1")) return write;
        List<String> k = new ArrayList<>(write);
        k.add("v1");
        return k;
    }

    private static String alnum(String s) {
        return s.replaceAll("[^A-Za-z0-9]", "");
    }

    static String spaceOf(Path p) {
        org.ketaprint.bids.BidsName n = org.ketaprint.bids.BidsName.parse(p.getFileName().toString());
        return n == null ? null : n.get("space");
    }

    private static String entities(String space) {
        return space == null ? "" : "space-" + space;
    }

    static Path sibling(Path dwi, String ext) {
        String n = dwi.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "");
        Path p = dwi.resolveSibling(n + ext);
        if (Files.isRegularFile(p)) return p;
        throw new MissingInputException(p + ": missing (the " + ext + " file beside " + dwi.getFileName() + ")");
    }
}
