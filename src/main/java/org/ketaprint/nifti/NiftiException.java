package org.ketaprint.nifti;

import org.ketaprint.KetaprintException;

/** A file that cannot be read as an image: the message names the file and the problem. */
public class NiftiException extends KetaprintException {
    public NiftiException(String file, String problem) {
        super(file + ": " + problem);
    }

    public NiftiException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
