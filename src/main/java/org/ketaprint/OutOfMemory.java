package org.ketaprint;

import java.util.Locale;

/** The one line a user sees when the Java heap runs out: how large it was and which -Xmx to give instead. */
public final class OutOfMemory {
    private OutOfMemory() {
    }

    /** True when {@code t} or one of its causes is an OutOfMemoryError. */
    public static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) return true;
        }
        return false;
    }

    /**
     * "out of memory: the Java heap (max 2048 MB) is too small for this input; give Java more, e.g.
     * KETAPRINT_JAVA_OPTS=-Xmx4g (bin/ketaprint passes it to java; or java -Xmx4g -jar ...)".
     */
    public static String message() {
        long max = Runtime.getRuntime().maxMemory();
        String heap = max == Long.MAX_VALUE ? "no limit set" : "max " + (max >> 20) + " MB";
        long gb = max == Long.MAX_VALUE ? 4 : Math.max(2, (max * 2 + (1L << 30) - 1) >> 30);
        return String.format(Locale.ROOT, "out of memory: the Java heap (%s) is too small for this input; give Java more,"
            + " e.g. KETAPRINT_JAVA_OPTS=-Xmx%dg (bin/ketaprint passes it to java; or java -Xmx%dg -jar ...)", heap, gb, gb);
    }
}
