package org.ketaprint.nifti;

import java.util.Locale;
import org.ketaprint.KetaprintException;

/**
 * How large an array an image read may make, checked before the array exists, so that a header claiming more than
 * the JVM can hold is one line naming the file, the size it claims and the budget (not an OutOfMemoryError).
 * The budget is the system property {@value #PROPERTY}, else the environment variable {@value #ENV} (bytes, or
 * with a k/m/g/t suffix, powers of 1024), else 3/4 of the JVM's maximum heap ({@code -Xmx}).
 */
public final class MemoryBudget {
    public static final String PROPERTY = "ketaprint.maxImageBytes";
    public static final String ENV = "KETAPRINT_MAX_IMAGE_BYTES";
    /** Largest Java array the JVM makes. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private MemoryBudget() {
    }

    /** The budget in bytes (Long.MAX_VALUE when the JVM heap has no limit and none is set). */
    public static long bytes() {
        String v = System.getProperty(PROPERTY);
        String from = PROPERTY;
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
            from = ENV;
        }
        if (v != null && !v.isBlank()) return parse(v.trim(), from);
        long max = Runtime.getRuntime().maxMemory();
        return max == Long.MAX_VALUE ? max : max / 4 * 3;
    }

    /** Where the budget comes from, for messages. */
    private static String source() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return "set by -D" + PROPERTY;
        String e = System.getenv(ENV);
        if (e != null && !e.isBlank()) return "set by " + ENV;
        return "3/4 of the " + size(Runtime.getRuntime().maxMemory()) + " Java heap";
    }

    static long parse(String v, String from) {
        String s = v.toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        int shift = "kmgt".indexOf(last);
        if (shift >= 0) {
            unit = 1L << (10 * (shift + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n <= 0) throw new NumberFormatException();
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new KetaprintException(from + "=" + v + ": not a size in bytes (e.g. 4000000000 or 4g)");
        }
    }

    /**
     * Checks an array of {@code elements} values of {@code elementBytes} bytes each, which reading {@code what} from
     * {@code file} would make: it must fit one Java array and the budget. Returns the element count as an int.
     *
     * @param what what is read and its claimed size, e.g. "one volume of 1024x1024x1024 uint8 voxels as float64"
     */
    public static int check(String file, String what, long elements, int elementBytes) {
        if (elements > MAX_ARRAY) {
            throw new NiftiException(file, what + ": " + elements + " values are too many for one array (at most "
                + MAX_ARRAY + "); read it a volume at a time");
        }
        long need = elements * elementBytes;
        long budget = bytes();
        if (need > budget) {
            long heapGb = (long) Math.ceil(need * 4.0 / 3 / (1L << 30)) + 1;
            throw new NiftiException(file, what + " needs " + size(need) + ", over the memory budget of " + size(budget)
                + " (" + source() + "); give Java more heap, e.g. KETAPRINT_JAVA_OPTS=-Xmx" + heapGb
                + "g, or set " + ENV);
        }
        return (int) elements;
    }

    /** "8192 MB", or "1000 bytes" below 10 MB. */
    static String size(long b) {
        return b < (10L << 20) ? b + " bytes" : (b >> 20) + " MB";
    }
}
