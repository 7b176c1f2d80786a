package org.ketaprint.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Errors found while validating a pipeline, each with a line. */
public final class Problems {
    private final List<String> errors = new ArrayList<>();

    public void error(int line, String message) {
        errors.add("line " + line + ": " + message);
    }

    public void error(YNode at, String message) {
        error(at.line, message);
    }

    public List<String> errors() {
        return errors;
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
