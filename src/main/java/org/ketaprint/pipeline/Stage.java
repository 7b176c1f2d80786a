package org.ketaprint.pipeline;

import java.util.List;

/**
 * A processing stage of a pipeline (structural, diffusion, resting-state, ...): it finds its inputs,
 * prepares the data its measures read, and lets each feature's measure compute its column.
 * Implementations are discovered with ServiceLoader ({@code META-INF/services/org.ketaprint.pipeline.Stage});
 * their measures too ({@link org.ketaprint.measure.Measures#forStage}).
 */
public interface Stage {
    /** The {@code type:} a pipeline uses for this stage. */
    String type();

    String description();

    /** Named inputs with their default BIDS queries. */
    List<InputSpec> inputs();

    /** The stage's parameter record (its {@code params:}), declared once with @Param. */
    Class<? extends Record> parameters();

    /** Checks beyond parameter binding (ROIs, labels); reports problems with lines. */
    default void validate(StageSpec spec, Problems problems) {
    }

    /**
     * The atlas labels this stage's spec names, for {@link AtlasCheck} ({@code validate-pipeline}): by default those
     * of the ROI forms ({@link AtlasLabel#inRois}); a stage that reads labels of an atlas otherwise adds them.
     */
    default List<AtlasLabel> atlasLabels(StageSpec spec) {
        return AtlasLabel.inRois(spec);
    }

    /**
     * Resolves what {@link #run} will need without reading voxel data (inputs and the files beside them, atlases and
     * their label tables, spaces and transforms), throwing as run would (MissingInputException, KetaprintException),
     * so that a subject/session that cannot run fails at once. The participant level calls it for every stage before
     * running any; {@link StageContext#record} here only notes a file as resolved (no checksum): the files a check records
     * (the ones found beside the inputs) are part of {@code --skip-existing}'s run hash, so a file that appears counts.
     * Default: nothing to check.
     */
    default void check(StageContext ctx) throws Exception {
    }

    /** Computes the features for one subject/session. Missing inputs: throw MissingInputException. */
    StageResult run(StageContext ctx) throws Exception;
}
