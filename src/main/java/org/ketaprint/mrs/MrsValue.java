package org.ketaprint.mrs;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/** Measure {@code mrs}: a metabolite's tissue-corrected concentration or tCr ratio, or the voxel's fractions and quality. */
public final class MrsValue extends BaseMeasure<MrsValue.Params, MrsJob.Result> {
    public static final String NAME = "mrs";

    /** The parameters of {@code mrs}. */
    public record Params(
        @Param(help = "conc: tissue-corrected concentration (Gasparovic 2006); tcr: the tool's ratio to tCr; fgm, fwm, fcsf: "
            + "the voxel's tissue fractions; fwhm_hz, snr: the fit's linewidth and signal-to-noise", dflt = "conc",
            choices = {"conc", "tcr", "fgm", "fwm", "fcsf", "fwhm_hz", "snr"}) String value,
        @Param(help = "Glu, Gln or Glx (for conc and tcr)", choices = {"Glu", "Gln", "Glx"}) String metabolite) {
    }

    public MrsValue() {
        super(NAME, MrsStage.TYPE, Params.class, MrsJob.Result.class);
    }

    @Override
    public String units(Params p) {
        return switch (p.value()) {
            case "conc" -> "institutional units (water-referenced, tissue-corrected)";
            case "tcr", "fgm", "fwm", "fcsf" -> "ratio";
            case "fwhm_hz" -> "Hz";
            default -> "ratio";
        };
    }

    @Override
    public String describe(Params p) {
        return switch (p.value()) {
            case "conc" -> p.metabolite() + " concentration: the tool's uncorrected water-scaled value, Gasparovic 2006 "
                + "CSF and relaxation correction with the voxel's tissue fractions";
            case "tcr" -> p.metabolite() + " / tCr as the fitting tool reports it";
            case "fgm", "fwm", "fcsf" -> "Coverage-weighted mean of the " + p.value().substring(1).toUpperCase() + " probability "
                + "over the MRS voxel (5^3 sub-samples per T1 voxel)";
            case "fwhm_hz" -> "Linewidth of the fit in Hz (LCModel: FWHM ppm x spectrometer frequency; FSL-MRS/Osprey: NAA FWHM)";
            default -> "Signal-to-noise ratio of the fit, as the tool reports it";
        };
    }

    @Override
    public Value compute(MrsJob.Result r, Params p) {
        switch (p.value()) {
            case "fgm": return Value.of(r.fractions()[0]);
            case "fwm": return Value.of(r.fractions()[1]);
            case "fcsf": return Value.of(r.fractions()[2]);
            case "fwhm_hz": return r.fwhmHz() == null ? Value.na("no FWHM in the fit") : Value.of(r.fwhmHz());
            case "snr": return r.snr() == null ? Value.na("no SNR in the fit") : Value.of(r.snr());
            default: break;
        }
        if (p.metabolite() == null) return Value.na("the feature names no metabolite");
        MrsJob.Metabolite m = r.metabolite(p.metabolite());
        if (p.value().equals("tcr")) {
            return m.tcrRatio() == null ? Value.na(m.naReason() != null ? m.naReason() : "no tCr ratio in the fit")
                : Value.of(m.tcrRatio(), m.naReason());
        }
        return Value.of(m.corrected(), m.naReason());
    }
}
