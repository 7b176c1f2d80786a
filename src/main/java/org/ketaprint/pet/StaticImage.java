package org.ketaprint.pet;

import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/**
 * The static PET image: the frames' duration-weighted mean over the window [InjectionStart + start, InjectionStart +
 * end] (minutes, on the TimeZero clock of FrameTimesStart), each frame weighted by its overlap in seconds, in Bq/mL.
 */
public record StaticImage(Grid grid, double[] values, double[] weights, double lo, double hi, int nanVoxels) {

    /** Parses "40,60" (minutes after injection). */
    public static double[] window(String spec) {
        String[] p = spec == null ? new String[0] : spec.split(",");
        try {
            if (p.length == 2) {
                double a = Double.parseDouble(p[0].trim()), b = Double.parseDouble(p[1].trim());
                if (Double.isFinite(a) && Double.isFinite(b) && b > a) return new double[] {a, b};
            }
        } catch (NumberFormatException ignored) {
            // the error below
        }
        throw new KetaprintException("window '" + spec + "' must be START,END in minutes after injection, END > START (e.g. 40,60)");
    }

    public static StaticImage of(Image pet, PetTiming t, double[] windowMin) {
        double lo = t.injectionStart() + 60 * windowMin[0];
        double hi = t.injectionStart() + 60 * windowMin[1];
        double[] w = t.weights(lo, hi);
        Grid g = pet.grid();
        double[] sum = new double[g.size()];
        double total = 0;
        for (int f = 0; f < w.length; f++) {
            if (w[f] == 0) continue;
            double[] vol = pet.readVolumeDouble(f);
            for (int v = 0; v < vol.length; v++) sum[v] += w[f] * vol[v];
            total += w[f];
        }
        int nan = 0;
        for (int v = 0; v < sum.length; v++) {
            sum[v] = sum[v] / total * t.toBqPerMl();
            if (Double.isNaN(sum[v])) nan++;
        }
        return new StaticImage(g, sum, w, lo, hi, nan);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "static image %.6g-%.6g s (%d frames weighted)", lo, hi,
            java.util.Arrays.stream(weights).filter(x -> x > 0).count());
    }
}
