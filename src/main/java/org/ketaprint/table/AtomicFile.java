package org.ketaprint.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.ketaprint.KetaprintException;

/** Writes a text file through a temporary file in the same folder and a rename: never half a file. */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * A new temporary file beside {@code out}, readable like a normally created file (rw-r--r--, not the
     * 0600 of createTempFile) so that outputs can be shared with a group.
     */
    public static Path newTemp(Path dir, Path out) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: keep its defaults
        }
        return tmp;
    }

    public static void write(Path out, String content) {
        Path tmp = null;
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = newTemp(dir, out);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new KetaprintException(out + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
