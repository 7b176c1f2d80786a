package org.ketaprint.pipeline;

import java.util.Map;

/**
 * A named stage input and its default BIDS query (entities plus "suffix", "extension", "scope"; see
 * BidsLayout.find). {@code required}: without it the stage cannot run. {@code multiRun}: the stage takes
 * several runs of it, files that differ only in their {@code run-} entity ({@link StageContext#inputs}).
 */
public record InputSpec(String name, Map<String, String> query, boolean required, String description, boolean multiRun) {
    /** An input of one file. */
    public InputSpec(String name, Map<String, String> query, boolean required, String description) {
        this(name, query, required, description, false);
    }
}
