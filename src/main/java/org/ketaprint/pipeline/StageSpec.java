package org.ketaprint.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.measure.ParamSet;

/** One stage entry of a pipeline file: id, type, input queries, bound parameters, ROIs and features. */
public final class StageSpec {
    public final String id;
    public final String type;
    public final YNode node;
    public final Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
    /** The YAML {@code params:} entries as given (for lines in messages). */
    public final Map<String, YNode> paramNodes = new LinkedHashMap<>();
    public final Map<String, YNode> rois = new LinkedHashMap<>();
    public final List<Feature> features = new ArrayList<>();
    public final List<String> after = new ArrayList<>();
    /** The inputs that take several runs ({@link InputSpec#multiRun}). */
    public final java.util.Set<String> multiRun = new java.util.LinkedHashSet<>();
    Record params;

    StageSpec(String id, String type, YNode node) {
        this.id = id;
        this.type = type;
        this.node = node;
    }

    /** The stage's parameter record. */
    public <P extends Record> P params(Class<P> type) {
        return type.cast(params);
    }

    public YNode paramNode(String name) {
        return paramNodes.get(name);
    }

    /** All parameters with defaults filled in, for provenance and the data dictionary. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, Object> effectiveParams() {
        return params == null ? Map.of() : ParamSet.of((Class) params.getClass()).describe(params);
    }

    /** For tests and the doors: a spec built in code. */
    public static StageSpec of(String id, String type, Record params) {
        StageSpec s = new StageSpec(id, type, YNode.scalar(id, 0));
        s.params = params;
        return s;
    }
}
