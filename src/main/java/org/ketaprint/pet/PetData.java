package org.ketaprint.pet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the PET stage's measures read: the static image, the sidecar's timing and dose, the segmentation on the PET
 * grid, the reference, and the ROIs (placed on the PET grid). The regional values are computed once, for every ROI the
 * stage's features name (they are the GTM's regions, in feature order).
 */
public final class PetData {
    private final StaticImage image;
    private final PetTiming timing;
    private final double[] labels;
    private final String referenceSpec;
    private final boolean[] reference;
    private final Function<String, boolean[]> roiMask;
    private final List<String> featureRois;
    private final Double fwhm;
    private final Double weightKg;
    private final Double doseBq;
    private PetAnalysis.Result result;

    public PetData(StaticImage image, PetTiming timing, double[] labels, String referenceSpec, boolean[] reference,
                   Function<String, boolean[]> roiMask, List<String> featureRois, Double fwhm, Double weightKg, Double doseBq) {
        this.image = image;
        this.timing = timing;
        this.labels = labels;
        this.referenceSpec = referenceSpec;
        this.reference = reference;
        this.roiMask = roiMask;
        this.featureRois = List.copyOf(featureRois);
        this.fwhm = fwhm;
        this.weightKg = weightKg;
        this.doseBq = doseBq;
    }

    /** The regional values of every feature ROI (computed once). */
    public synchronized PetAnalysis.Result result() {
        if (result == null) {
            Map<String, Map.Entry<String, boolean[]>> rois = new LinkedHashMap<>();
            for (String r : featureRois) rois.put(r, Map.entry(r, roiMask.apply(r)));
            result = PetAnalysis.run(image, timing, rois, referenceSpec, reference, labels, fwhm, weightKg, doseBq);
        }
        return result;
    }

    /** One ROI's values; an ROI that no feature named is computed alone (no GTM with the others). */
    public PetAnalysis.RoiValue roi(String name) {
        for (PetAnalysis.RoiValue v : result().rois()) if (v.name().equals(name)) return v;
        Map<String, Map.Entry<String, boolean[]>> one = new LinkedHashMap<>();
        one.put(name, Map.entry(name, roiMask.apply(name)));
        return PetAnalysis.run(image, timing, one, referenceSpec, reference, labels, fwhm, weightKg, doseBq).rois().get(0);
    }

    /** An ROI's mask on the PET grid. */
    public boolean[] mask(String name) {
        return roiMask.apply(name);
    }

    public StaticImage image() {
        return image;
    }

    public PetTiming timing() {
        return timing;
    }

    public Double weightKg() {
        return weightKg;
    }

    public List<String> featureRois() {
        return new ArrayList<>(featureRois);
    }
}
