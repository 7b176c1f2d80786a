package org.ketaprint;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check every reader of a file a user names makes before opening it: it must be a regular file (symbolic links
 * followed). A FIFO would block the reader for ever (or be consumed by a first look at its bytes), a device could
 * be endless, and a directory cannot be read; each is refused with one line naming the file.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Why {@code p} cannot be read as {@code what} ("an image file", "a file"), or null when it is a regular file:
     * "no such file", "is a directory, not an image file", "is a FIFO, device or socket, not a regular file".
     */
    public static String problem(Path p, String what) {
        if (Files.isRegularFile(p)) return null;
        if (Files.isDirectory(p)) return "is a directory, not " + what;
        if (!Files.exists(p)) return Files.isSymbolicLink(p) ? "broken symbolic link (its target does not exist)" : "no such file";
        return "is a FIFO, device or socket, not a regular file";
    }

    /**
     * Throws "{@code p}: problem" when {@code p} exists but is not a regular file (links followed): a directory, FIFO,
     * device or socket. A missing file is left to the reader, whose own message names it. Returns {@code p}.
     */
    public static Path requireRegular(Path p) {
        if (!Files.exists(p)) return p;
        String why = problem(p, "a file");
        if (why != null) throw new KetaprintException(p + ": " + why);
        return p;
    }
}
