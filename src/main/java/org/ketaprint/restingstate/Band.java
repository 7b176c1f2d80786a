package org.ketaprint.restingstate;

import java.util.Locale;
import org.ketaprint.KetaprintException;

/** A pass band in Hz; both edges inclusive within {@link #TOL}. */
public record Band(double low, double high) {
    public static final double TOL = 1e-9;

    public Band {
        if (!(low >= 0) || !(high > low)) {
            throw new KetaprintException("bad pass band " + low + "-" + high + " Hz (need 0 <= low < high)");
        }
    }

    /** "0.01,0.1"; "none" gives null (no band-pass regressors). */
    public static Band parse(String s) {
        if (s == null || s.trim().equalsIgnoreCase("none")) return null;
        String[] p = s.split(",");
        if (p.length != 2) throw new KetaprintException("bad --band '" + s + "': expected LOW,HIGH in Hz or 'none'");
        try {
            return new Band(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new KetaprintException("bad --band '" + s + "': expected LOW,HIGH in Hz or 'none'");
        }
    }

    public boolean contains(double f) {
        return f >= low - TOL && f <= high + TOL;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s-%s Hz", low, high);
    }
}
