package org.ketaprint.nifti;

import java.nio.file.Path;
import org.ketaprint.KetaprintException;

/**
 * How NIfTI outputs are stored: gzip at a level 1 (fastest) to 9 (smallest), written as {@code .nii.gz}, or
 * {@code none}, uncompressed {@code .nii}. The one parser of the {@code compression} setting (pipeline YAML and
 * {@code --compression}).
 */
public record Compression(int level) {
    /**
     * The default gzip level, nibabel's: on tensor maps level 6 saves 2-4 % of the size for about twice the time
     * (docs/benchmarks.md, "Writing maps").
     */
    public static final int DEFAULT_LEVEL = 1;
    public static final Compression DEFAULT = new Compression(DEFAULT_LEVEL);
    /** Uncompressed {@code .nii}. */
    public static final Compression NONE = new Compression(0);
    /** The values {@link #parse} takes, for help texts. */
    public static final String VALUES = "1-9|none";

    public Compression {
        if (level < 0 || level > 9) throw new IllegalArgumentException("gzip level " + level + " outside 0..9");
    }

    /** "none" or a gzip level "1" to "9"; anything else is a one-line error. */
    public static Compression parse(String s) {
        String t = s == null ? "" : s.strip();
        if (t.equalsIgnoreCase("none")) return NONE;
        if (t.length() == 1 && t.charAt(0) >= '1' && t.charAt(0) <= '9') return new Compression(t.charAt(0) - '0');
        throw new KetaprintException("'" + KetaprintException.oneLine(s) + "' is not a gzip level 1 to 9"
            + " (1 fastest, 9 smallest) nor none (uncompressed .nii)");
    }

    public boolean gzip() {
        return level > 0;
    }

    /** ".nii.gz", or ".nii" for none. */
    public String extension() {
        return gzip() ? ".nii.gz" : ".nii";
    }

    /** {@code prefix + extension()}. */
    public Path file(String prefix) {
        return Path.of(prefix + extension());
    }

    /** "none" or the level, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return gzip() ? Integer.toString(level) : "none";
    }
}
