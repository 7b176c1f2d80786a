package org.ketaprint;

/** A user-facing error: its message is one line that names the input and the problem. */
public class KetaprintException extends RuntimeException {
    public KetaprintException(String message) {
        super(message);
    }

    public KetaprintException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A message on one line: newlines and other control characters (from hostile names) shown escaped. */
    public static String oneLine(String m) {
        if (m == null) return "";
        StringBuilder sb = new StringBuilder(m.length());
        for (char c : m.toCharArray()) {
            if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (Character.isISOControl(c)) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

}
