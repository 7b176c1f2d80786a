package org.ketaprint.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.atlas.RoiStats;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.pipeline.ColumnInfo;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.MissingInputException;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.YNode;
import org.ketaprint.spaces.SpaceAlignment;

/**
 * Pipeline stage "diffusion": a tensor fit (or precomputed FA/MD maps) and ROI statistics of the maps in
 * atlas labels resampled to the DWI grid. Feature keys: {@code column}, {@code roi} (label name or
 * number in the atlas), {@code map} (fa, md, ad, rd), {@code stat} (mean, median, voxels).
 */
public final class DiffusionStage implements Stage {
    private static final Set<String> MAPS = Set.of("fa", "md", "ad", "rd");
    private static final Set<String> STATS = Set.of("mean", "median", "voxels");
    private static final Set<String> FEATURE_KEYS = Set.of("column", "roi", "map", "stat", "description");

    @Override
    public String type() {
        return "diffusion";
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
    public Map<String, String> parameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", "wls");
        m.put("atlas", "JHU-WhiteMatter-labels-1mm");
        m.put("fa_threshold", "none");
        m.put("write_maps", "true");
        return m;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        String method = spec.param("method", "wls");
        if (!method.equals("wls") && !method.equals("ols")) problems.error(spec.paramNode("method"), "method must be wls or ols");
        String thr = spec.param("fa_threshold", "none");
        if (!thr.equals("none")) {
            try {
                Double.parseDouble(thr);
            } catch (NumberFormatException e) {
                problems.error(spec.paramNode("fa_threshold"), "fa_threshold must be a number or none");
            }
        }
        for (YNode f : spec.features) {
            if (!f.isMap()) continue;
            for (String k : f.map().keySet()) {
                if (!FEATURE_KEYS.contains(k)) problems.error(f.get(k), "unknown feature key '" + k + "' (allowed: " + FEATURE_KEYS + ")");
            }
            if (f.get("roi") == null) problems.error(f, "feature needs a 'roi' (atlas label name or number)");
            String map = text(f, "map", "fa");
            if (!MAPS.contains(map)) problems.error(f.get("map"), "unknown map '" + map + "' (allowed: " + MAPS + ")");
            String stat = text(f, "stat", "mean");
            if (!STATS.contains(stat)) problems.error(f.get("stat"), "unknown stat '" + stat + "' (allowed: " + STATS + ")");
        }
    }

    private static String text(YNode f, String key, String dflt) {
        return f.get(key) == null ? dflt : f.get(key).text();
    }

    @Override
    public List<ColumnInfo> columns(StageSpec spec) {
        List<ColumnInfo> out = new ArrayList<>();
        Map<String, Object> params = spec.effectiveParams(this);
        String atlas = spec.param("atlas", "JHU-WhiteMatter-labels-1mm");
        for (YNode f : spec.features) {
            String map = text(f, "map", "fa");
            String stat = text(f, "stat", "mean");
            String roi = f.get("roi") == null ? null : f.get("roi").text();
            String d = f.get("description") != null ? f.get("description").text()
                : (stat.equals("voxels") ? "Number of voxels" : Character.toUpperCase(stat.charAt(0)) + stat.substring(1)
                    + " of " + map.toUpperCase()) + " in '" + roi + "' of " + atlas
                    + " (nearest-neighbour resampled to the DWI grid; within the brain mask"
                    + (spec.param("fa_threshold", "none").equals("none") ? "" : ", FA > " + spec.param("fa_threshold", "")) + ")";
            String units = stat.equals("voxels") ? "voxels" : map.equals("fa") ? "fraction (0-1)" : "mm^2/s";
            out.add(new ColumnInfo(f.get("column").text(), d, units, spec.id, atlas + ": " + roi,
                "diffusion/tensor-" + spec.param("method", "wls") + "/" + map + "/" + stat, params));
        }
        return out;
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageSpec spec = ctx.spec;
        StageResult r = new StageResult();
        Path faPath = ctx.optionalInput("fa_map");
        Path mdPath = ctx.optionalInput("md_map");
        float[] fa;
        float[] md;
        float[] ad = null;
        float[] rd = null;
        Grid grid;
        String space;
        Image ref;
        boolean[] brain;
        if (faPath != null && mdPath != null) {
            Image faImg = Images.open(faPath);
            Image mdImg = Images.open(mdPath);
            if (!faImg.grid().sameAs(mdImg.grid())) throw new KetaprintException(mdPath + ": not on the grid of " + faPath);
            fa = faImg.readVolume(0);
            md = mdImg.readVolume(0);
            grid = faImg.grid();
            ref = faImg;
            space = spaceOf(faPath);
            brain = null;
            r.details.put("maps", "precomputed: " + faPath.getFileName() + ", " + mdPath.getFileName());
        } else {
            Path dwiPath = ctx.optionalInput("dwi");
            if (dwiPath == null) dwiPath = ctx.optionalInput("dwi_raw");
            if (dwiPath == null) throw new MissingInputException("no DWI (preprocessed or raw) and no FA/MD maps for " + ctx.prefix());
            Image dwi = Images.open(dwiPath);
            Path bval = sibling(dwiPath, ".bval");
            Path bvec = sibling(dwiPath, ".bvec");
            ctx.record(bval);
            ctx.record(bvec);
            Gradients g = Gradients.read(bval, bvec, dwi);
            g.warnings().forEach(w -> ctx.log("warning: " + w));
            grid = dwi.grid();
            ref = dwi;
            space = spaceOf(dwiPath);
            Path maskPath = ctx.optionalInput("mask");
            if (maskPath != null) {
                brain = BrainMask.read(Images.open(maskPath), dwi);
            } else {
                brain = BrainMask.medianOtsu(dwi, g);
                Path qc = ctx.derived(entities(space) + (space == null ? "" : "_") + "desc-brain", "mask", ".nii.gz");
                BrainMask.write(qc, brain, dwi);
                r.derived.add(qc);
                ctx.log("mask: median_otsu of the mean b0 -> " + qc.getFileName());
            }
            TensorFit.Method method = spec.param("method", "wls").equals("ols") ? TensorFit.Method.OLS : TensorFit.Method.WLS;
            DtiMaps maps = TensorFit.fit(dwi, g, brain, method);
            if (maps.nonfinite() > 0) ctx.log("warning: " + maps.nonfinite() + " voxel(s) with NaN/Inf signals have NaN maps");
            fa = maps.fa;
            md = maps.md;
            ad = maps.ad;
            rd = maps.rd;
            if (Boolean.parseBoolean(spec.param("write_maps", "true"))) {
                for (Path p : maps.writeBids(ctx.outDir, ctx.prefix() + (space == null ? "" : "_space-" + space))) r.derived.add(p);
            }
            r.details.put("fitted_voxels", maps.fitted());
        }
        Atlas atlas = ctx.atlases.resolve(spec.param("atlas", "JHU-WhiteMatter-labels-1mm"));
        ctx.record(atlas.image());
        if (atlas.labels() == null) throw new KetaprintException(atlas.image() + ": no label names beside the atlas");
        SpaceAlignment align = SpaceAlignment.resolve(ctx.layout, ctx.subject, ctx.session, atlas.space(),
            space == null ? "native" : space);
        if (align.note() != null) ctx.log("note: " + align.note());
        double[] resampled = align.labelsOnto(Images.open(atlas.image()), grid);
        if (align.file() != null) {
            ctx.record(align.file());
            r.details.put("transform", align.file().toString());
            Path qc = ctx.derived(entities(space) + (space == null ? "" : "_") + "desc-" + alnum(atlas.name()), "dseg", ".nii.gz");
            SpaceAlignment.writeLabels(qc, ref, resampled);
            r.derived.add(qc);
        }
        int[] onGrid = new int[resampled.length];
        for (int i = 0; i < onGrid.length; i++) onGrid[i] = (int) Math.rint(resampled[i]);
        String thr = spec.param("fa_threshold", "none");
        boolean[] use = new boolean[fa.length];
        for (int p = 0; p < fa.length; p++) {
            boolean in = brain != null ? brain[p] : (fa[p] != 0 && !Float.isNaN(fa[p]));
            use[p] = in && (thr.equals("none") || fa[p] > Double.parseDouble(thr));
        }
        r.details.put("atlas", atlas.image().toString());
        for (YNode f : spec.features) {
            String col = f.get("column").text();
            String roi = f.get("roi").text();
            int label = roi.matches("\\d+") ? Integer.parseInt(roi) : atlas.labels().label(roi);
            String mapName = text(f, "map", "fa");
            float[] map = switch (mapName) {
                case "fa" -> fa;
                case "md" -> md;
                case "ad" -> ad;
                default -> rd;
            };
            if (map == null) {
                r.na(col, mapName.toUpperCase() + " is not available from precomputed FA/MD maps");
                continue;
            }
            RoiStats.Row row = RoiStats.compute(map, onGrid, atlas.labels(), new int[] {label}, use).get(0);
            if (row.voxels() == 0) {
                r.na(col, "ROI '" + roi + "' has no voxels in the brain mask on the DWI grid");
                continue;
            }
            switch (text(f, "stat", "mean")) {
                case "median" -> r.put(col, row.median());
                case "voxels" -> r.put(col, row.voxels());
                default -> r.put(col, row.mean());
            }
        }
        return r;
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
