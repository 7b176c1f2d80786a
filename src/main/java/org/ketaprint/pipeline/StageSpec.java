package org.ketaprint.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One stage entry of a pipeline file: id, type, input queries, parameters, ROIs and features. */
public final class StageSpec {
    public final String id;
    public final String type;
    public final YNode node;
    public final Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
    public final Map<String, YNode> params = new LinkedHashMap<>();
    public final Map<String, YNode> rois = new LinkedHashMap<>();
    public final List<YNode> features = new ArrayList<>();
    public final List<String> after = new ArrayList<>();

    StageSpec(String id, String type, YNode node) {
        this.id = id;
        this.type = type;
        this.node = node;
    }

    /** A parameter as text, or the default. */
    public String param(String name, String dflt) {
        YNode n = params.get(name);
        return n == null ? dflt : n.isScalar() ? n.text() : String.valueOf(n.plain());
    }

    public double param(String name, double dflt) {
        YNode n = params.get(name);
        return n == null ? dflt : n.number();
    }

    public YNode paramNode(String name) {
        return params.get(name);
    }

    /** All parameters with defaults filled in, for provenance and the data dictionary. */
    public Map<String, Object> effectiveParams(Stage stage) {
        Map<String, Object> m = new LinkedHashMap<>(stage.parameters());
        params.forEach((k, v) -> m.put(k, v.plain()));
        return m;
    }
}
