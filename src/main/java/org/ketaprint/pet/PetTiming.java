package org.ketaprint.pet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.ketaprint.KetaprintException;

/**
 * What SUV and the static image need from a PET-BIDS sidecar: frames (FrameTimesStart, FrameDuration, seconds on the
 * TimeZero clock), Units, the injected dose (InjectedRadioactivity + InjectedRadioactivityUnits, at InjectionStart),
 * the decay correction (ImageDecayCorrected, ImageDecayCorrectionTime), TracerRadionuclide and BodyWeight.
 */
public record PetTiming(String source, double[] frameStart, double[] frameDuration, String units, double toBqPerMl,
                        Double doseBq, double injectionStart, Double decayCorrectionTime, boolean decayCorrected,
                        String tracer, Double halfLife, Double bodyWeight, List<String> notes) {

    /** Reads the sidecar; errors name the file and the field. {@code frames}: the image's volume count. */
    public static PetTiming of(String source, JsonNode j, long frames) {
        if (j == null) throw new KetaprintException(source + ": no JSON sidecar (PET-BIDS timing, Units and dose are needed)");
        List<String> notes = new ArrayList<>();
        double[] start = numbers(source, j, "FrameTimesStart");
        double[] dur = numbers(source, j, "FrameDuration");
        if (start.length != dur.length) {
            throw new KetaprintException(source + ": FrameTimesStart has " + start.length + " entries, FrameDuration " + dur.length);
        }
        if (start.length != frames) {
            throw new KetaprintException(source + ": " + start.length + " frames in the sidecar, " + frames + " volumes in the image");
        }
        for (int f = 0; f < start.length; f++) {
            if (!(dur[f] > 0)) throw new KetaprintException(source + ": FrameDuration of frame " + f + " is not positive: " + dur[f]);
            if (f > 0 && start[f] < start[f - 1]) {
                throw new KetaprintException(source + ": frames out of order: frame " + f + " starts at " + fmt(start[f])
                    + " s, before frame " + (f - 1) + " (" + fmt(start[f - 1]) + " s)");
            }
            if (f > 0 && start[f] < start[f - 1] + dur[f - 1] - 1e-6) {
                throw new KetaprintException(source + ": frames overlap: frame " + (f - 1) + " runs " + fmt(start[f - 1]) + "-"
                    + fmt(start[f - 1] + dur[f - 1]) + " s, frame " + f + " starts at " + fmt(start[f]) + " s");
            }
        }
        String units = text(j, "Units");
        if (units == null) throw new KetaprintException(source + ": no Units (an activity concentration such as kBq/mL)");
        double conv = PetUnits.concentration(units, source + ": Units");
        Double dose = null;
        if (j.hasNonNull("InjectedRadioactivity")) {
            double v = number(source, j, "InjectedRadioactivity");
            String du = text(j, "InjectedRadioactivityUnits");
            if (du == null) throw new KetaprintException(source + ": InjectedRadioactivity without InjectedRadioactivityUnits");
            if (!(v > 0)) throw new KetaprintException(source + ": InjectedRadioactivity is not positive: " + v);
            dose = v * PetUnits.activity(du, source + ": InjectedRadioactivityUnits");
        }
        double inj = j.hasNonNull("InjectionStart") ? number(source, j, "InjectionStart") : 0;
        if (!j.hasNonNull("InjectionStart")) notes.add("no InjectionStart: injection taken at TimeZero (0 s)");
        boolean dc = j.path("ImageDecayCorrected").asBoolean(false);
        Double dcTime = j.hasNonNull("ImageDecayCorrectionTime") ? number(source, j, "ImageDecayCorrectionTime") : null;
        String tracer = text(j, "TracerRadionuclide");
        Double half = tracer == null || PetUnits.radionuclide(tracer) == null ? null : PetUnits.halfLife(tracer);
        Double weight = j.hasNonNull("BodyWeight") ? number(source, j, "BodyWeight") : null;
        if (weight != null && !(weight > 0)) throw new KetaprintException(source + ": BodyWeight is not positive: " + weight);
        return new PetTiming(source, start, dur, units, conv, dose, inj, dcTime, dc, tracer, half, weight, List.copyOf(notes));
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(9)).stripTrailingZeros().toPlainString();
    }

    private static String text(JsonNode j, String k) {
        JsonNode n = j.get(k);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static double number(String source, JsonNode j, String k) {
        JsonNode n = j.get(k);
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new KetaprintException(source + ": " + k + " is not a number: " + n);
        }
        return n.asDouble();
    }

    private static double[] numbers(String source, JsonNode j, String k) {
        JsonNode n = j.get(k);
        if (n == null) throw new KetaprintException(source + ": no " + k);
        if (n.isNumber()) return new double[] {number(source, j, k)};
        if (!n.isArray() || n.isEmpty()) throw new KetaprintException(source + ": " + k + " is not a list of numbers");
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            if (!n.get(i).isNumber() || !Double.isFinite(n.get(i).asDouble())) {
                throw new KetaprintException(source + ": " + k + "[" + i + "] is not a number: " + n.get(i));
            }
            v[i] = n.get(i).asDouble();
        }
        return v;
    }

    /**
     * Each frame's weight: its overlap in seconds with [lo, hi] (TimeZero clock). An error naming the frames when a
     * part of the window is not covered by any frame.
     */
    public double[] weights(double lo, double hi) {
        if (!(hi > lo)) throw new KetaprintException("the static window is empty: " + fmt(lo) + "-" + fmt(hi) + " s");
        double[] w = new double[frameStart.length];
        double covered = lo;
        for (int f = 0; f < w.length; f++) {
            double s = frameStart[f], e = s + frameDuration[f];
            w[f] = Math.max(0, Math.min(e, hi) - Math.max(s, lo));
            if (w[f] > 0) {
                if (s > covered + 1e-6) break;
                covered = Math.max(covered, e);
            }
        }
        if (covered < hi - 1e-6) {
            StringBuilder frames = new StringBuilder();
            for (int f = 0; f < frameStart.length; f++) {
                if (f > 0) frames.append(", ");
                frames.append(f).append(": ").append(fmt(frameStart[f])).append("-").append(fmt(frameStart[f] + frameDuration[f]));
            }
            throw new KetaprintException(source + ": the static window " + fmt(lo) + "-" + fmt(hi) + " s (TimeZero clock) is not "
                + "covered by the frames (" + frames + " s)");
        }
        return w;
    }

    /** The dose decay-corrected to the image's decay-correction time, in Bq; null when SUV cannot be had (see {@link #suvNa}). */
    public Double doseAtDecayCorrection(Double doseOverrideBq) {
        Double d = doseOverrideBq != null ? doseOverrideBq : doseBq;
        if (d == null || !decayCorrected || halfLife == null) return null;
        double t = decayCorrectionTime != null ? decayCorrectionTime : injectionStart;
        return d * Math.exp(-Math.log(2) * (t - injectionStart) / halfLife);
    }

    /** Why SUV is n/a with this sidecar and the given overrides (null: it is not). */
    public String suvNa(Double weightKg, Double doseOverrideBq) {
        if (!decayCorrected) return "the image is not decay-corrected (ImageDecayCorrected false or absent)";
        if (halfLife == null) return "TracerRadionuclide '" + tracer + "' is not in the half-life table";
        if (doseOverrideBq == null && doseBq == null) return "no injected dose (InjectedRadioactivity)";
        if (weightKg == null) return "no body weight (BodyWeight in the sidecar, a participants.tsv column or --weight)";
        return null;
    }
}
