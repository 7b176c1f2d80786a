package org.ketaprint.cli;

import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Compression;
import picocli.CommandLine.Option;

/** {@code --compression} (a picocli mixin): how a command's NIfTI outputs are stored, read by {@link Compression#parse}. */
public final class CompressionOption {
    @Option(names = "--compression", paramLabel = Compression.VALUES, description = "NIfTI outputs: gzip level 1 (fastest)"
        + " to 9 (smallest) for .nii.gz, or none for uncompressed .nii. Default: " + Compression.DEFAULT_LEVEL + ".")
    String value;

    /** The value given, or null. */
    Compression given() {
        if (value == null) return null;
        try {
            return Compression.parse(value);
        } catch (KetaprintException e) {
            throw new KetaprintException("--compression: " + e.getMessage());
        }
    }

    /** The value given, else the default. */
    Compression get() {
        Compression c = given();
        return c == null ? Compression.DEFAULT : c;
    }

    /** For an output named by the user: the level; none with a .nii.gz name, or a level with a .nii one, is an error. */
    Compression forFile(Path out) {
        Compression c = given();
        if (c == null) return Compression.DEFAULT;
        boolean gz = out.getFileName().toString().toLowerCase().endsWith(".gz");
        if (gz != c.gzip()) {
            throw new KetaprintException(out + ": --compression " + c + (c.gzip() ? " gzips: name the output .nii.gz"
                : " writes uncompressed .nii: name the output .nii"));
        }
        return c;
    }
}
