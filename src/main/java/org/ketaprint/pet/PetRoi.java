package org.ketaprint.pet;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/** Measure {@code pet_roi}: an ROI's SUV, SUVR or GTM partial-volume-corrected SUVR from the static PET image. */
public final class PetRoi extends BaseMeasure<PetRoi.Params, PetData> {
    public static final String NAME = "pet_roi";

    /** The parameters of {@code pet_roi}. */
    public record Params(
        @Param(help = "ROI: a name from the stage's rois, or sphere:X,Y,Z,R / atlas:FILE:LABEL[+LABEL]", required = true)
        String roi,
        @Param(help = "suv: mean SUV; suvr: mean / the reference's mean; suvr_pvc: the same after GTM partial-volume "
            + "correction (the stage's pvc_fwhm)", dflt = "suvr", choices = {"suv", "suvr", "suvr_pvc"}) String value) {
    }

    public PetRoi() {
        super(NAME, PetStage.TYPE, Params.class, PetData.class);
    }

    @Override
    public String units(Params p) {
        return p.value().equals("suv") ? "g/mL" : "ratio";
    }

    @Override
    public String roi(Params p) {
        return p.roi();
    }

    @Override
    public String describe(Params p) {
        return switch (p.value()) {
            case "suv" -> "Mean standardized uptake value over the ROI: concentration x body weight / decay-corrected dose";
            case "suvr" -> "Mean of the static image over the ROI / its mean over the reference region (SUVR)";
            default -> "SUVR after geometric transfer matrix partial-volume correction (Rousset 1998): corrected ROI / "
                + "corrected reference";
        };
    }

    @Override
    public Value compute(PetData d, Params p) {
        PetAnalysis.RoiValue v = d.roi(p.roi());
        if (v.voxels() == 0) return Value.na("ROI " + p.roi() + " has no voxel with a value on the PET grid");
        return switch (p.value()) {
            case "suv" -> Value.of(v.suv(), d.result().suvNa() == null ? null : "SUV: " + d.result().suvNa());
            case "suvr" -> Value.of(v.suvr());
            default -> Value.of(v.suvrPvc(), d.result().fwhm() == null ? "no partial-volume correction (set the stage's pvc_fwhm)"
                : Double.isNaN(v.suvrPvc()) ? "the ROI is not a GTM region (taken by ROIs before it)" : null);
        };
    }
}
