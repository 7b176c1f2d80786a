package org.ketaprint.pipeline;

import org.ketaprint.measure.Measure;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.measure.Value;

/**
 * One feature entry of a pipeline: the column, the measure that computes it and its bound parameter
 * record. {@code node} is the YAML entry (for messages with its line).
 */
public record Feature(String column, String description, Measure<?, ?> measure, Record params, YNode node) {
    /** The measure's value on the stage's data. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Value compute(Object data) {
        return ((Measure) measure).compute(data, params);
    }

    /** The parameter record, typed. */
    public <P extends Record> P params(Class<P> type) {
        return type.cast(params);
    }

    /** The dictionary description: the YAML's, else the measure's. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String describe() {
        return description != null ? description : ((Measure) measure).describe(params);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public String units() {
        return ((Measure) measure).units(params);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public String roi() {
        return ((Measure) measure).roi(params);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public java.util.Map<String, Object> paramValues() {
        return ParamSet.of((Class) params.getClass()).describe(params);
    }
}
