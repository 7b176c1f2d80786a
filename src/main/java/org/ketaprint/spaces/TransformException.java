package org.ketaprint.spaces;

import org.ketaprint.KetaprintException;

/** A transform file that cannot be used: the message names the file and the problem. */
public class TransformException extends KetaprintException {
    public TransformException(Object file, String problem) {
        super(file + ": " + problem);
    }

    public TransformException(Object file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
