package org.ketaprint.pipeline;

import java.util.Map;

/** One feature column and its data dictionary entry (BIDS-style JSON sidecar). */
public record ColumnInfo(String column, String description, String units, String stage, String roi, String method,
                         Map<String, Object> parameters) {
}
