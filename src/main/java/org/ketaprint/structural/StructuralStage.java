package org.ketaprint.structural;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.pipeline.ColumnInfo;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.YNode;

/**
 * Pipeline stage "structural": region volumes from a label image. Feature keys: {@code column},
 * {@code label} (number or name), {@code measure}: volume (default, mm^3), icvfrac (volume / ICV),
 * asegstats (FreeSurfer's partial-volume-corrected Volume_mm3), icv (the ICV itself).
 */
public final class StructuralStage implements Stage {
    private static final Set<String> MEASURES = Set.of("volume", "icvfrac", "asegstats", "icv");
    private static final Set<String> FEATURE_KEYS = Set.of("column", "label", "measure", "description");

    @Override
    public String type() {
        return "structural";
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
                "extension", ".nii.gz|.nii"), false, "brain mask on the label image's grid (ICV fallback)"));
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lut", "");            // label names; empty: FreeSurfer's
        m.put("freesurfer", "auto"); // auto: read aseg.stats from a FreeSurfer folder in the derivatives; none
        return m;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        String lut = spec.param("lut", "");
        LabelTable table = null;
        if (!lut.isEmpty()) {
            if (!Files.isRegularFile(Path.of(lut))) {
                problems.error(spec.paramNode("lut"), "lookup table '" + lut + "' does not exist");
            } else {
                table = LabelTable.read(Path.of(lut));
            }
        }
        String fs = spec.param("freesurfer", "auto");
        if (!fs.equals("auto") && !fs.equals("none")) problems.error(spec.paramNode("freesurfer"), "freesurfer must be auto or none");
        for (YNode f : spec.features) {
            if (!f.isMap()) continue;
            for (String k : f.map().keySet()) {
                if (!FEATURE_KEYS.contains(k)) problems.error(f.get(k), "unknown feature key '" + k + "' (allowed: " + FEATURE_KEYS + ")");
            }
            String m = measure(f);
            if (!MEASURES.contains(m)) {
                problems.error(f.get("measure"), "unknown measure '" + m + "' (allowed: " + MEASURES + ")");
            } else if (!m.equals("icv")) {
                if (f.get("label") == null) {
                    problems.error(f, "feature needs a 'label' (number or name)");
                } else {
                    try {
                        label(f.get("label"), table);
                    } catch (RuntimeException e) {
                        problems.error(f.get("label"), e.getMessage());
                    }
                }
            }
        }
    }

    private static String measure(YNode f) {
        return f.get("measure") == null ? "volume" : f.get("measure").text();
    }

    private static int label(YNode n, LabelTable table) {
        String t = n.text().trim();
        if (t.matches("-?\\d+")) return Integer.parseInt(t);
        return (table == null ? LabelTable.freesurferDefaults() : table).label(t);
    }

    @Override
    public List<ColumnInfo> columns(StageSpec spec) {
        List<ColumnInfo> out = new ArrayList<>();
        Map<String, Object> params = spec.effectiveParams(this);
        for (YNode f : spec.features) {
            String c = f.get("column").text();
            String m = measure(f);
            String roi = f.get("label") == null ? null : "label " + f.get("label").text();
            String d = f.get("description") != null ? f.get("description").text() : switch (m) {
                case "volume" -> "Volume of " + roi + ": voxel count x |det| of the affine's 3x3 (like fslstats -V, "
                    + "mri_segstats without --pv)";
                case "icvfrac" -> "Volume of " + roi + " divided by the intracranial volume (icv_mm3)";
                case "asegstats" -> "Volume_mm3 of " + roi + " from FreeSurfer's stats/aseg.stats: partial-volume "
                    + "corrected (mri_segstats --pv), so it differs from a plain voxel count";
                default -> "Intracranial volume: FreeSurfer eTIV from aseg.stats when present, else the brain mask "
                    + "volume, else the volume of all non-zero labels (the source used is in the provenance)";
            };
            String units = m.equals("icvfrac") ? "fraction" : "mm^3";
            out.add(new ColumnInfo(c, d, units, spec.id, roi, "structural/" + m, params));
        }
        return out;
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageSpec spec = ctx.spec;
        String lutPath = spec.param("lut", "");
        LabelTable table = lutPath.isEmpty() ? LabelTable.freesurferDefaults() : LabelTable.read(Path.of(lutPath));
        Path segPath = ctx.optionalInput("seg");
        if (segPath == null) {
            // FreeSurfer subject folder fallback: mri/aseg.mgz
            segPath = freesurferFile(ctx, "mri/aseg.mgz");
            if (segPath == null) ctx.input("seg");   // throws MissingInputException naming the query
            ctx.record(segPath);
            ctx.log("seg: using FreeSurfer " + segPath);
        }
        Image seg = Images.open(segPath);
        Path maskPath = ctx.optionalInput("mask");
        Image mask = maskPath == null ? null : Images.open(maskPath);
        AsegStats stats = null;
        if (spec.param("freesurfer", "auto").equals("auto")) {
            Path s = freesurferFile(ctx, "stats/aseg.stats");
            if (s != null) {
                ctx.record(s);
                stats = AsegStats.read(s);
            }
        }
        LabelCounts counts = LabelCounts.of(seg);
        IcvEstimate icv = IcvEstimate.choose(stats, mask, seg);
        StageResult r = new StageResult();
        r.details.put("icv_source", icv.source());
        for (YNode f : spec.features) {
            String c = f.get("column").text();
            String m = measure(f);
            if (m.equals("icv")) {
                r.put(c, icv.mm3());
                continue;
            }
            int l = label(f.get("label"), table);
            double vol = counts.voxels(l) * counts.voxelVolume();
            if (counts.voxels(l) == 0) ctx.log("warning: label " + l + " is empty in " + seg.path() + " (volume 0)");
            switch (m) {
                case "volume" -> r.put(c, vol);
                case "icvfrac" -> r.put(c, vol / icv.mm3());
                default -> {
                    if (stats == null) {
                        r.na(c, "no FreeSurfer stats/aseg.stats for " + ctx.prefix());
                    } else {
                        r.put(c, stats.volumeMm3(l));
                    }
                }
            }
        }
        return r;
    }

    /** A file of the subject's FreeSurfer folder (sub-X_ses-Y, else sub-X) in any derivatives folder. */
    static Path freesurferFile(StageContext ctx, String rel) {
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
