package org.ketaprint.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The measures found on the class path (ServiceLoader), by name. */
public final class Measures {
    private static final Map<String, Measure<?, ?>> BY_NAME = new TreeMap<>();

    static {
        for (Measure<?, ?> m : ServiceLoader.load(Measure.class, Measure.class.getClassLoader())) {
            Measure<?, ?> prev = BY_NAME.put(m.name(), m);
            if (prev != null) throw new IllegalStateException("two measures named " + m.name() + ": " + prev + ", " + m);
        }
    }

    private Measures() {
    }

    public static Measure<?, ?> get(String name) {
        return BY_NAME.get(name);
    }

    public static Map<String, Measure<?, ?>> all() {
        return BY_NAME;
    }

    /** The measures of one stage type, by name. */
    public static List<Measure<?, ?>> forStage(String stage) {
        List<Measure<?, ?>> out = new ArrayList<>();
        for (Measure<?, ?> m : BY_NAME.values()) if (m.stage().equals(stage)) out.add(m);
        return out;
    }

    /** The measure named {@code name} with the given types (for the doors that know what they call). */
    @SuppressWarnings("unchecked")
    public static <P extends Record, D> Measure<P, D> get(String name, Class<P> params, Class<D> data) {
        Measure<?, ?> m = BY_NAME.get(name);
        if (m == null || m.params() != params || m.dataType() != data) throw new IllegalStateException("no measure " + name);
        return (Measure<P, D>) m;
    }
}
