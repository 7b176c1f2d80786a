package org.ketaprint.pipeline;

import java.nio.file.Path;
import org.ketaprint.KetaprintException;

/** An error in a pipeline definition, with its file (when known) and line: {@code FILE: line N: message}. */
public class PipelineException extends KetaprintException {
    public final int line;
    /** The message without file and line. */
    public final String detail;

    public PipelineException(int line, String message) {
        this(null, line, message);
    }

    public PipelineException(Path file, int line, String message) {
        super((file == null ? "" : file + ": ") + "line " + line + ": " + message);
        this.line = line;
        this.detail = message;
    }
}
