package org.ketaprint.pipeline;

import org.ketaprint.KetaprintException;

/** An error in a pipeline definition, with its line. */
public class PipelineException extends KetaprintException {
    public final int line;

    public PipelineException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }
}
