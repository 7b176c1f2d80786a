package org.ketaprint.pipeline;

import java.util.Map;

/**
 * A named stage input and its default BIDS query (entities plus "suffix", "extension", "scope"; see
 * BidsLayout.find). {@code required}: without it the stage cannot run.
 */
public record InputSpec(String name, Map<String, String> query, boolean required, String description) {
}
