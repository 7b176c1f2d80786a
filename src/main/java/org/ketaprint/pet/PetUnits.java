package org.ketaprint.pet;

import java.util.Locale;
import java.util.Map;
import org.ketaprint.KetaprintException;

/**
 * PET units and radionuclides, pinned so that independent implementations agree: concentrations to Bq/mL
 * (kBq/mL = 1e3 Bq/mL; /cc = /mL; 1 Ci = 3.7e10 Bq exactly), activities to Bq, and half-lives in seconds from the
 * Turku PET Centre table (F-18 6588, C-11 1224, N-13 599, O-15 123, Ga-68 4080).
 */
public final class PetUnits {
    private PetUnits() {
    }

    private static final Map<String, Double> ACTIVITY = Map.of("bq", 1.0, "kbq", 1e3, "mbq", 1e6, "gbq", 1e9,
        "ci", 3.7e10, "mci", 3.7e7, "uci", 3.7e4, "nci", 37.0);

    private static final Map<String, Double> HALF_LIFE = Map.of("F18", 6588.0, "C11", 1224.0, "N13", 599.0, "O15", 123.0,
        "Ga68", 4080.0);

    private static String norm(String s) {
        return s.trim().replace("\u00b5", "u").replace("\u03bc", "u").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /** Bq per unit of an activity ("MBq", "mCi", ...); an error for anything else. */
    public static double activity(String units, String what) {
        Double f = units == null ? null : ACTIVITY.get(norm(units));
        if (f == null) {
            throw new KetaprintException(what + " '" + units + "' is not an activity unit (Bq, kBq, MBq, GBq, Ci, mCi, uCi, nCi)");
        }
        return f;
    }

    /** Bq/mL per unit of a concentration ("kBq/mL", "Bq/cc", "uCi/mL", ...); an error for anything else ("counts"). */
    public static double concentration(String units, String what) {
        String u = units == null ? "" : norm(units);
        int slash = u.indexOf('/');
        Double f = slash < 0 ? null : ACTIVITY.get(u.substring(0, slash));
        String per = slash < 0 ? "" : u.substring(slash + 1);
        if (f == null || !(per.equals("ml") || per.equals("cc") || per.equals("cm3") || per.equals("cm^3"))) {
            throw new KetaprintException(what + " '" + units + "' is not an activity concentration (e.g. Bq/mL, kBq/mL, "
                + "uCi/mL); SUV and SUVR need the image in activity per volume");
        }
        return f;
    }

    /** "F18", "F-18", "18F" -> F18; null when the radionuclide is not in the table. */
    public static String radionuclide(String s) {
        if (s == null) return null;
        String t = s.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        String letters = t.replaceAll("[0-9]", "");
        String digits = t.replaceAll("[^0-9]", "");
        String key = letters + digits;
        for (String k : HALF_LIFE.keySet()) if (k.equalsIgnoreCase(key)) return k;   // the table's spelling (Ga68)
        return null;
    }

    /** The half-life in seconds of a radionuclide (any spelling {@link #radionuclide} accepts), or an error. */
    public static double halfLife(String tracer) {
        String k = radionuclide(tracer);
        if (k == null) {
            throw new KetaprintException("TracerRadionuclide '" + tracer + "' is not in the half-life table (F18, C11, N13, O15, Ga68)");
        }
        return HALF_LIFE.get(k);
    }
}
