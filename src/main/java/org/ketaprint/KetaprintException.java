package org.ketaprint;

/** A user-facing error: its message is one line that names the input and the problem. */
public class KetaprintException extends RuntimeException {
    public KetaprintException(String message) {
        super(message);
    }

    public KetaprintException(String message, Throwable cause) {
        super(message, cause);
    }
}
