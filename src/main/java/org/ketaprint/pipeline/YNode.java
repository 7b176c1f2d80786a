package org.ketaprint.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.table.Table;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML value (mapping, sequence or scalar) that remembers its file and line, for messages that point at it
 * ({@code FILE: line N: ...}).
 */
public final class YNode {
    /** The largest pipeline file read, in bytes (and in code points for SnakeYAML). */
    public static final int MAX_BYTES = 1 << 20;
    /** The most values (mappings, lists, scalars) a pipeline may hold once its aliases are expanded. */
    static final int MAX_VALUES = 100_000;
    /** The deepest nesting of mappings and lists, in the text (SnakeYAML) and once aliases are expanded. */
    static final int MAX_DEPTH = 50;
    /** The most aliases of a mapping or list (SnakeYAML's limit against alias bombs). */
    static final int MAX_ALIASES = 50;

    public final int line;
    private final Path file;
    private final Map<String, YNode> map;
    private final List<YNode> list;
    private final String scalar;

    private YNode(Path file, int line, Map<String, YNode> map, List<YNode> list, String scalar) {
        this.file = file;
        this.line = line;
        this.map = map;
        this.list = list;
        this.scalar = scalar;
    }

    public static YNode scalar(String s, int line) {
        return new YNode(null, line, null, null, s);
    }

    /**
     * Parses a YAML document (safe: no object construction) from {@code file} (named in errors; may be null). Aliases
     * are expanded into a tree within limits: at most {@link #MAX_ALIASES} aliases of mappings or lists, nesting
     * {@link #MAX_DEPTH} deep, {@link #MAX_VALUES} values in all; a value that contains itself is an error, as is a
     * key that is not a single value or a duplicate key.
     */
    public static YNode parse(String text, Path file) {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setCodePointLimit(MAX_BYTES);
        o.setAllowRecursiveKeys(false);
        o.setAllowDuplicateKeys(true);   // found while expanding, with their line
        Node n = new Yaml(new SafeConstructor(o)).compose(new java.io.StringReader(text));
        return n == null ? new YNode(file, 1, new LinkedHashMap<>(), null, null) : new Expander(file).of(n, 1);
    }

    /** Copies SnakeYAML's node graph (aliases are shared nodes, possibly cyclic) into a tree, within the limits. */
    private static final class Expander {
        private final Path file;
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private int values;

        Expander(Path file) {
            this.file = file;
        }

        YNode of(Node n, int depth) {
            int line = line(n);
            if (++values > MAX_VALUES) {
                throw new PipelineException(file, line, "more than " + MAX_VALUES + " values once aliases are expanded"
                    + " (aliases of aliases?)");
            }
            if (n instanceof ScalarNode s) return new YNode(file, line, null, null, s.getValue());
            if (depth > MAX_DEPTH) throw new PipelineException(file, line, "nested deeper than " + MAX_DEPTH + " levels");
            if (!open.add(n)) throw new PipelineException(file, line, "recursive alias: the value contains itself");
            try {
                if (n instanceof MappingNode m) {
                    Map<String, YNode> out = new LinkedHashMap<>();
                    for (NodeTuple t : m.getValue()) {
                        if (!(t.getKeyNode() instanceof ScalarNode k)) {
                            throw new PipelineException(file, line(t.getKeyNode()), "a key must be a single value, not a mapping or list");
                        }
                        String key = k.getValue();
                        if (out.containsKey(key)) throw new PipelineException(file, line(k), "duplicate key '" + key + "'");
                        out.put(key, of(t.getValueNode(), depth + 1));
                    }
                    return new YNode(file, line, out, null, null);
                }
                if (n instanceof SequenceNode s) {
                    List<YNode> out = new ArrayList<>();
                    for (Node c : s.getValue()) out.add(of(c, depth + 1));
                    return new YNode(file, line, null, out, null);
                }
                throw new PipelineException(file, line, "unsupported YAML value (" + n.getNodeId() + ")");
            } finally {
                open.remove(n);
            }
        }
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
        if (map == null) throw new PipelineException(file, line, "expected a mapping (key: value)");
        return Collections.unmodifiableMap(map);
    }

    public List<YNode> list() {
        if (list == null) throw new PipelineException(file, line, "expected a list");
        return Collections.unmodifiableList(list);
    }

    /** A scalar, or an error with this node's line. */
    public String text() {
        if (scalar == null) throw new PipelineException(file, line, "expected a single value");
        return scalar;
    }

    /** A decimal number ({@link Table#decimal}: no NaN, Infinity, hexadecimal or Java suffixes), else an error. */
    public double number() {
        double v = Table.decimal(text());
        if (Double.isNaN(v)) throw new PipelineException(file, line, "'" + scalar + "' is not a number");
        return v;
    }

    /** An error at this value's line (and file). */
    public PipelineException error(String message) {
        return new PipelineException(file, line, message);
    }

    /** A number list, from a YAML list or a comma-separated scalar. */
    public double[] numbers() {
        List<YNode> items = isList() ? list : null;
        if (items == null) {
            String[] parts = text().split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) out[i] = new YNode(file, line, null, null, parts[i].trim()).number();
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
