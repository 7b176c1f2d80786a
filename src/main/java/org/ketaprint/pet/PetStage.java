package org.ketaprint.pet;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.bids.BidsName;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.ParamException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.restingstate.RestingStateStage;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.spaces.Spaces;

/**
 * Pipeline stage "pet": regional glucose metabolism from PET-BIDS ({@link StaticImage}, {@link PetTiming},
 * {@link PetAnalysis}): per feature an ROI's SUV, SUVR or GTM-corrected SUVR ({@link PetRoi}). The segmentation (aseg)
 * gives the reference and the GTM's tissue classes; ROIs are placed as in every stage.
 */
public final class PetStage implements Stage {
    public static final String TYPE = "pet";

    /** The stage's parameters: also the {@code pet} command's and the ImageJ entry's. */
    public record Params(
        @Param(help = "Static window START,END in minutes after InjectionStart (frames weighted by overlap)", dflt = "40,60",
            units = "min") String window,
        @Param(help = "Reference region: cerebellum (aseg 8 + 47), wholebrain (aseg tissue labels), pons (aseg 174), "
            + "aseg:N+M, a stage ROI name, sphere:X,Y,Z,R or atlas:FILE:LABEL", dflt = "cerebellum") String reference,
        @Param(help = "Partial-volume correction: the PSF's FWHM (GTM, Rousset 1998); none: no correction", units = "mm")
        Double pvcFwhm,
        @Param(help = "participants.tsv column with the body weight (when the sidecar has no BodyWeight)", dflt = "weight")
        String weightColumn,
        @Param(help = "Body weight, overriding the sidecar and participants.tsv", units = "kg") Double weight,
        @Param(help = "Injected dose at InjectionStart, overriding the sidecar's InjectedRadioactivity", units = "MBq")
        Double dose,
        @Param(help = "Write the static image and the SUVR image", dflt = "true") boolean writeMaps,
        @Param(help = "The PET's space when its file has no space- entity nor SpatialReference; none: the run's --space, "
            + "else that of the segmentation (T1w)") String space) {

        public Params {
            StaticImage.window(window);
            if (pvcFwhm != null && !(pvcFwhm > 0 && pvcFwhm < 100)) {
                throw new ParamException("pvc_fwhm", "'pvc_fwhm' must be a FWHM in mm (0-100), got " + pvcFwhm);
            }
            if (weight != null && !(weight > 0 && weight < 1000)) throw new ParamException("weight", "'weight' must be kg, got " + weight);
            if (dose != null && !(dose > 0 && dose < 1e5)) throw new ParamException("dose", "'dose' must be MBq, got " + dose);
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
        return "PET: static image over a window, SUV, SUVR to a reference region, GTM partial-volume correction";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
            new InputSpec("pet", Map.of("suffix", "pet", "extension", ".nii.gz|.nii", StageContext.PREFER, "desc=preproc|!"), true,
                "PET (registered/motion-corrected desc-preproc from derivatives preferred over raw) with its PET-BIDS sidecar"),
            new InputSpec("seg", Map.of("desc", "aseg", "suffix", "dseg", "extension", ".nii.gz|.nii"), false,
                "FreeSurfer/fMRIPrep aseg in the PET's space (reference region, GTM tissue classes)"));
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void validate(StageSpec spec, Problems problems) {
        RestingStateStage.validateRois(spec, problems);
    }

    @Override
    public void check(StageContext ctx) {
        Params p = ctx.spec.params(Params.class);
        Path pet = ctx.input("pet");
        ctx.record(BidsLayout.sidecarFileOf(pet));
        if (ctx.layout != null) ctx.layout.metadataFiles(pet).forEach(ctx::record);
        ctx.record(ctx.optionalInput("seg"));
        RestingStateStage.checkRois(ctx, dataSpace(ctx, pet, p));
    }

    /** The PET's space; without one, the segmentation's (T1w), as PETPrep/PETSurfer register PET to the T1w. */
    static String dataSpace(StageContext ctx, Path pet, Params p) {
        String s = ctx.spaceOf(pet, p.space());
        return s == null ? "T1w" : s;
    }

    @Override
    public StageResult run(StageContext ctx) {
        StageResult r = new StageResult();
        PetData d = prepare(ctx, r);
        if (ctx.report()) ctx.keepForReport(r);
        try {
            for (Feature f : ctx.spec.features) r.put(f.column(), f.compute(d));
        } finally {
            if (ctx.report()) PetFigures.add(r, d);
        }
        PetAnalysis.Result res = d.result();
        r.details.put("reference", Map.of("spec", res.referenceSpec(), "voxels", res.referenceVoxels(), "mean_bq_per_ml",
            res.referenceMean()));
        if (res.suvNa() != null) r.details.put("suv_na_reason", res.suvNa());
        if (!res.regions().isEmpty()) {
            List<Map<String, Object>> regs = new ArrayList<>();
            for (PetAnalysis.Region g : res.regions()) {
                regs.add(Map.of("name", g.name(), "voxels", g.voxels(), "observed_bq_per_ml", g.observed(),
                    "corrected_bq_per_ml", g.corrected()));
            }
            r.details.put("gtm_regions", regs);
            r.details.put("gtm_sigma_voxels", res.sigma());
        }
        if (!res.notes().isEmpty()) r.details.put("notes", res.notes());
        return r;
    }

    /** The PET's data for one subject/session (or files given directly); details and derived images go to {@code r}. */
    public static PetData prepare(StageContext ctx, StageResult r) {
        Params p = ctx.spec.params(Params.class);
        Path pet = ctx.input("pet");
        String space = dataSpace(ctx, pet, p);
        NiftiImage img = NiftiImage.load(pet);
        JsonNode meta = ctx.metadata(pet);
        if (meta == null || meta.isEmpty()) {
            ctx.record(BidsLayout.sidecarFileOf(pet));
            meta = BidsLayout.sidecarOf(pet);
        }
        PetTiming t = PetTiming.of(pet.getFileName().toString(), meta, img.volumes());
        t.notes().forEach(n -> ctx.log("note: " + n));
        StaticImage st = StaticImage.of(img, t, StaticImage.window(p.window()));
        ctx.log(pet.getFileName() + ": " + st + ", units " + t.units() + (st.nanVoxels() > 0 ? ", " + st.nanVoxels()
            + " NaN voxels left out" : ""));
        Path seg = segmentation(ctx, space);
        double[] labels = null;
        if (seg != null) {
            Image s = Images.open(seg);
            labels = img.grid().resampleNearest(s.grid(), s.readVolumeDouble(0), 0);
        }
        String trc = entity(pet, "trc");
        Map<String, Roi> rois = RestingStateStage.rois(ctx, img, space, r, null, trc == null ? "pet" : "trc-" + trc);
        final double[] lab = labels;
        java.util.function.Function<String, boolean[]> mask = name -> {
            if (name.startsWith(RestingStateStage.SEGMENTATION_ROI)) return PetAnalysis.asegMask(name, lab);
            return (rois.containsKey(name) ? rois.get(name) : Roi.parse(name)).voxels(img.grid());
        };
        boolean[] reference = PetAnalysis.asegReference(p.reference(), labels);
        if (reference == null) reference = mask.apply(p.reference());
        List<String> featureRois = new ArrayList<>();
        for (Feature f : ctx.spec.features) {
            Object roi = f.paramValues().get("roi");
            if (roi != null && !featureRois.contains(String.valueOf(roi))) featureRois.add(String.valueOf(roi));
        }
        Double weight = p.weight() != null ? p.weight() : t.bodyWeight() != null ? t.bodyWeight() : participantsWeight(ctx, p);
        Double dose = p.dose() == null ? null : p.dose() * 1e6;
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("pet", pet.getFileName().toString());
        det.put("window_s", new double[] {st.lo(), st.hi()});
        det.put("frame_weights_s", st.weights());
        det.put("units", t.units());
        det.put("tracer", t.tracer());
        det.put("half_life_s", t.halfLife());
        det.put("dose_bq", dose != null ? dose : t.doseBq());
        det.put("dose_decay_corrected_bq", t.doseAtDecayCorrection(dose));
        det.put("weight_kg", weight);
        det.put("segmentation", seg == null ? null : seg.getFileName().toString());
        det.put("nan_voxels", st.nanVoxels());
        r.details.put("pet", det);
        if (p.writeMaps() && ctx.writesFiles()) {
            String ents = (trc == null ? "" : "trc-" + trc + "_") + "space-" + space;
            writeMap(ctx, r, img, st.values(), ents + "_desc-static");
        }
        return new PetData(st, t, labels, p.reference(), reference, mask, featureRois, p.pvcFwhm(), weight, dose);
    }

    private static void writeMap(StageContext ctx, StageResult r, NiftiImage like, double[] values, String entities) {
        Path out = ctx.derived(entities, "pet", ".nii.gz");
        int[] d = like.grid().dims();
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        NiftiWriter.write(out, NiftiWriter.Spec.like(like, new long[] {d[0], d[1], d[2]}, DataType.FLOAT32)
            .compression(ctx.compression()), f);
        r.derived.add(out);
    }

    /**
     * The segmentation in the PET's space: the input when its space (none: T1w, as fMRIPrep's anat files) is the PET's,
     * else the one of the same query in the PET's space; null when there is no segmentation at all.
     */
    static Path segmentation(StageContext ctx, String petSpace) {
        if (ctx.layout == null) return ctx.optionalInput("seg");
        List<Path> all = ctx.candidates("seg");
        if (all.isEmpty()) return null;
        List<Path> same = all.stream().filter(f -> Spaces.same(segSpace(ctx, f), petSpace)).toList();
        if (same.size() == 1) {
            ctx.record(same.get(0));
            return same.get(0);
        }
        if (same.isEmpty()) {
            throw new KetaprintException("the segmentation " + all.get(0).getFileName() + " is in space "
                + segSpace(ctx, all.get(0)) + " but the PET is in space " + petSpace + "; give an aseg in the PET's space "
                + "(or register the PET to the T1w)");
        }
        throw new KetaprintException("several segmentations in the PET's space: " + same.stream().map(f -> f.getFileName().toString()).toList());
    }

    private static String segSpace(StageContext ctx, Path seg) {
        String s = ctx.spaceOf(seg, null);
        return s == null ? "T1w" : s;
    }

    /** The body weight from participants.tsv's column, or null. */
    static Double participantsWeight(StageContext ctx, Params p) {
        if (ctx.layout == null) return null;
        Path tsv = ctx.layout.root().resolve("participants.tsv");
        if (!Files.isRegularFile(tsv)) return null;
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv);
        } catch (java.io.IOException e) {
            throw new KetaprintException(tsv + ": cannot read: " + e.getMessage());
        }
        if (lines.isEmpty()) return null;
        List<String> head = List.of(lines.get(0).replace("\uFEFF", "").split("\t", -1));
        int col = head.indexOf(p.weightColumn());
        int idCol = head.indexOf("participant_id");
        if (col < 0 || idCol < 0) return null;
        String id = ctx.subject.startsWith("sub-") ? ctx.subject : "sub-" + ctx.subject;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length <= Math.max(col, idCol) || !id.equals(f[idCol].trim())) continue;
            String v = f[col].trim();
            if (v.isEmpty() || v.equalsIgnoreCase("n/a")) return null;
            double w;
            try {
                w = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new KetaprintException(tsv + ": " + p.weightColumn() + " of " + id + " is not a number: '" + v + "'");
            }
            if (!(w > 0 && w < 1000)) throw new KetaprintException(tsv + ": " + p.weightColumn() + " of " + id + " is not a weight in kg: " + v);
            ctx.record(tsv);
            return w;
        }
        return null;
    }

    private static String entity(Path p, String name) {
        BidsName n = BidsName.parse(p.getFileName().toString());
        return n == null ? null : n.get(name);
    }
}
