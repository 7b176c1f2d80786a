package org.ketaprint.pipeline;

import org.ketaprint.KetaprintException;

/** A stage input that a subject/session does not have: the stage's columns become n/a. */
public class MissingInputException extends KetaprintException {
    public MissingInputException(String message) {
        super(message);
    }
}
