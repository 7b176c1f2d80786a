package org.ketaprint.spaces;

import java.util.List;
import org.ketaprint.bids.BidsFile;

/**
 * Space names. An image's space is its BIDS {@code space-} entity, or "native" (scanner space) when it
 * has none. The generic "MNI152" of FSL/mricron atlases (MNI152NLin6Asym-like) is accepted for data in
 * MNI152NLin6Asym or MNI152NLin2009cAsym without a transform (they differ by ~1-2 mm), with a note.
 */
public final class Spaces {
    public static final String NATIVE = "native";
    public static final String MNI152 = "MNI152";
    /** The MNI variants a generic "MNI152" atlas is taken to match, in order of preference. */
    public static final List<String> MNI_VARIANTS = List.of("MNI152NLin6Asym", "MNI152NLin2009cAsym");

    private Spaces() {
    }

    /** The space label: blank or null is native. */
    public static String normalize(String space) {
        return space == null || space.isBlank() ? NATIVE : space.strip();
    }

    /** The space of a BIDS file: its space- entity, else native. */
    public static String of(BidsFile f) {
        return normalize(f.get("space"));
    }

    /** Same space by name (case-insensitive). */
    public static boolean same(String a, String b) {
        return normalize(a).equalsIgnoreCase(normalize(b));
    }

    /** True when one is generic MNI152 and the other one of its accepted variants. */
    public static boolean mniCompatible(String a, String b) {
        String x = normalize(a), y = normalize(b);
        return x.equalsIgnoreCase(MNI152) && isVariant(y) || y.equalsIgnoreCase(MNI152) && isVariant(x);
    }

    private static boolean isVariant(String s) {
        for (String v : MNI_VARIANTS) if (v.equalsIgnoreCase(s)) return true;
        return false;
    }

    /** Candidate names of a space in transform file names: MNI152 also as its variants. */
    static List<String> namesFor(String space) {
        String s = normalize(space);
        if (s.equalsIgnoreCase(MNI152)) return List.of(MNI152, MNI_VARIANTS.get(0), MNI_VARIANTS.get(1));
        return List.of(s);
    }
}
