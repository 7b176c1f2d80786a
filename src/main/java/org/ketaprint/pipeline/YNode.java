package org.ketaprint.pipeline;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A YAML value (mapping, sequence or scalar) that remembers its line, for messages that point at it. */
public final class YNode {
    public final int line;
    private final Map<String, YNode> map;
    private final List<YNode> list;
    private final String scalar;

    private YNode(int line, Map<String, YNode> map, List<YNode> list, String scalar) {
        this.line = line;
        this.map = map;
        this.list = list;
        this.scalar = scalar;
    }

    public static YNode scalar(String s, int line) {
        return new YNode(line, null, null, s);
    }

    /** Parses a YAML document (safe: no object construction). */
    public static YNode parse(Reader r) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Node n = yaml.compose(r);
        return n == null ? new YNode(1, new LinkedHashMap<>(), null, null) : of(n);
    }

    private static YNode of(Node n) {
        int line = n.getStartMark().getLine() + 1;
        if (n instanceof MappingNode m) {
            Map<String, YNode> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(t.getKeyNode());
                if (out.containsKey(key)) {
                    throw new PipelineException(line(t.getKeyNode()), "duplicate key '" + key + "'");
                }
                out.put(key, of(t.getValueNode()));
            }
            return new YNode(line, out, null, null);
        }
        if (n instanceof SequenceNode s) {
            List<YNode> out = new ArrayList<>();
            for (Node c : s.getValue()) out.add(of(c));
            return new YNode(line, null, out, null);
        }
        return new YNode(line, null, null, ((ScalarNode) n).getValue());
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    public boolean isMap() {
        return map != null;
    }

    public boolean isList() {
        return list != null;
    }

    public boolean isScalar() {
        return scalar != null;
    }

    public Map<String, YNode> map() {
        if (map == null) throw new PipelineException(line, "expected a mapping (key: value)");
        return Collections.unmodifiableMap(map);
    }

    public List<YNode> list() {
        if (list == null) throw new PipelineException(line, "expected a list");
        return Collections.unmodifiableList(list);
    }

    /** A scalar, or an error with this node's line. */
    public String text() {
        if (scalar == null) throw new PipelineException(line, "expected a single value");
        return scalar;
    }

    public double number() {
        try {
            return Double.parseDouble(text());
        } catch (NumberFormatException e) {
            throw new PipelineException(line, "'" + scalar + "' is not a number");
        }
    }

    /** A number list, from a YAML list or a comma-separated scalar. */
    public double[] numbers() {
        List<YNode> items = isList() ? list : null;
        if (items == null) {
            String[] parts = text().split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) out[i] = scalar(parts[i].trim(), line).number();
            return out;
        }
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) out[i] = items.get(i).number();
        return out;
    }

    /** Strings from a list or a single scalar. */
    public List<String> texts() {
        if (isScalar()) return List.of(scalar);
        return list().stream().map(YNode::text).toList();
    }

    public YNode get(String key) {
        return map().get(key);
    }

    /** A canonical text form (for hashing and provenance). */
    public Object plain() {
        if (map != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put(k, v.plain()));
            return m;
        }
        if (list != null) return list.stream().map(YNode::plain).toList();
        return scalar;
    }
}
