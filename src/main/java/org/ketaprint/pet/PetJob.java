package org.ketaprint.pet;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Compression;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.restingstate.Roi;

/**
 * One PET image with files given directly: what the {@code pet} command and the ImageJ entry run, on the stage's
 * pieces ({@link PetTiming}, {@link StaticImage}, {@link PetAnalysis}). ROIs are {@code NAME=SPEC} with SPEC
 * {@code sphere:X,Y,Z,R}, {@code atlas:FILE:LABEL[+LABEL]} or {@code aseg:N[+N]} (labels of the segmentation).
 */
public record PetJob(PetStage.Params params, List<String> rois, LabelTable lut, String outPrefix, Compression compression) {

    /** The static image, the sidecar's reading, the weight and dose used, and the regional values. */
    public record Result(StaticImage image, PetTiming timing, Double weightKg, Double doseBq, PetAnalysis.Result values,
                         List<Path> written) {
    }

    /** "NAME=SPEC" -> [NAME, SPEC]; a SPEC alone is its own name. */
    public static String[] split(String roi) {
        int eq = roi.indexOf('=');
        if (eq > 0 && roi.substring(0, eq).matches("[A-Za-z0-9_.-]+")) return new String[] {roi.substring(0, eq), roi.substring(eq + 1)};
        return new String[] {roi, roi};
    }

    public Result run(Path pet, Path sidecar, Path seg, Consumer<String> log) {
        NiftiImage img = NiftiImage.load(pet);
        JsonNode meta = sidecar != null ? readJson(sidecar) : BidsLayout.sidecarOf(pet);
        PetTiming t = PetTiming.of(sidecar != null ? sidecar.toString() : pet.toString(), meta, img.volumes());
        t.notes().forEach(n -> log.accept("note: " + n));
        StaticImage st = StaticImage.of(img, t, StaticImage.window(params.window()));
        double[] labels = null;
        if (seg != null) {
            Image s = Images.open(seg);
            labels = img.grid().resampleNearest(s.grid(), s.readVolumeDouble(0), 0);
        }
        final double[] lab = labels;
        Map<String, Map.Entry<String, boolean[]>> masks = new LinkedHashMap<>();
        for (String r : rois) {
            String[] nm = split(r);
            if (masks.containsKey(nm[0])) throw new KetaprintException("two ROIs are named '" + nm[0] + "'");
            masks.put(nm[0], Map.entry(nm[1], mask(nm[1], img, lab)));
        }
        boolean[] reference = PetAnalysis.asegReference(params.reference(), labels);
        if (reference == null) reference = mask(params.reference(), img, labels);
        Double weight = params.weight() != null ? params.weight() : t.bodyWeight();
        Double dose = params.dose() == null ? null : params.dose() * 1e6;
        PetAnalysis.Result res = PetAnalysis.run(st, t, masks, params.reference(), reference, labels, params.pvcFwhm(), weight, dose);
        res.notes().forEach(n -> log.accept("note: " + n));
        List<Path> written = new ArrayList<>();
        if (outPrefix != null) {
            Compression c = compression == null ? Compression.DEFAULT : compression;
            double[] suvr = st.values().clone();
            for (int v = 0; v < suvr.length; v++) suvr[v] /= res.referenceMean();
            written.add(write(Path.of(outPrefix + "_desc-static_pet" + c.extension()), img, st.values(), c));
            written.add(write(Path.of(outPrefix + "_desc-suvr_pet" + c.extension()), img, suvr, c));
        }
        return new Result(st, t, weight, dose != null ? dose : t.doseBq(), res, written);
    }

    private static JsonNode readJson(Path p) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.toFile());
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new KetaprintException(p + ": no such sidecar");
        } catch (java.io.IOException e) {
            throw new KetaprintException(p + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** An ROI or reference spec as a mask on the PET grid. */
    boolean[] mask(String spec, Image img, double[] labels) {
        if (spec.startsWith("aseg:")) return PetAnalysis.asegMask(spec, labels);
        return Roi.parse(spec, lut).voxels(img.grid());
    }

    private static Path write(Path out, NiftiImage like, double[] values, Compression c) {
        int[] d = like.grid().dims();
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        NiftiWriter.write(out, NiftiWriter.Spec.like(like, new long[] {d[0], d[1], d[2]}, DataType.FLOAT32).compression(c), f);
        return out;
    }
}
