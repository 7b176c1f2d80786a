package org.ketaprint.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A processing stage of a pipeline (structural, diffusion, resting-state, ...). Implementations are
 * discovered with ServiceLoader ({@code META-INF/services/org.ketaprint.pipeline.Stage}).
 */
public interface Stage {
    /** The {@code type:} a pipeline uses for this stage. */
    String type();

    String description();

    /** Named inputs with their default BIDS queries. */
    List<InputSpec> inputs();

    /** Parameter names with their defaults (as text) — anything else is an "unknown parameter". */
    Map<String, String> parameters();

    /** Checks the stage's features, ROIs and parameter values; reports problems with lines. */
    void validate(StageSpec spec, Problems problems);

    /** The columns this stage yields for a spec, with their data dictionary entries. */
    List<ColumnInfo> columns(StageSpec spec);

    /** Computes the features for one subject/session. Missing inputs: throw MissingInputException. */
    StageResult run(StageContext ctx) throws Exception;
}
