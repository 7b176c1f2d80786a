package org.ketaprint.measure;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ketaprint.KetaprintException;

/**
 * The parameters of one record type, read from its {@link Param} declarations. {@link #bind} makes a
 * record from name/value pairs (YAML, command line, dialogs) through Jackson, filling defaults, checking
 * allowed values, and naming the key at fault. Keys are the components' names in snake_case.
 */
public final class ParamSet<R extends Record> {
    private static final Map<Class<?>, ParamSet<?>> CACHE = new ConcurrentHashMap<>();
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Class<R> type;
    private final List<ParamInfo> params;
    private final Constructor<R> ctor;

    private ParamSet(Class<R> type) {
        this.type = type;
        List<ParamInfo> out = new ArrayList<>();
        RecordComponent[] comps = type.getRecordComponents();
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            Param p = c.getAnnotation(Param.class);
            if (p == null) throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @Param");
            out.add(new ParamInfo(snake(c.getName()), c.getName(), c.getType(), c.getGenericType(), p.dflt(), p.units(),
                p.help(), List.of(p.choices()), p.required()));
        }
        this.params = List.copyOf(out);
        try {
            this.ctor = type.getDeclaredConstructor(types);
            this.ctor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + ": no canonical constructor", e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <R extends Record> ParamSet<R> of(Class<R> type) {
        return (ParamSet<R>) CACHE.computeIfAbsent(type, t -> new ParamSet<>((Class<R>) t));
    }

    public Class<R> type() {
        return type;
    }

    public List<ParamInfo> params() {
        return params;
    }

    public ParamInfo get(String key) {
        for (ParamInfo p : params) if (p.key().equals(key)) return p;
        return null;
    }

    public Set<String> keys() {
        Set<String> s = new java.util.LinkedHashSet<>();
        params.forEach(p -> s.add(p.key()));
        return s;
    }

    /** The record with every default. */
    public R defaults() {
        return bind(Map.of());
    }

    /**
     * A record from key -> value (strings, numbers, booleans, lists as YAML gives them); missing keys take
     * their defaults. Unknown keys, missing required ones, values of the wrong type or outside the
     * allowed set are a {@link ParamException} naming the key.
     */
    public R bind(Map<String, ?> values) {
        for (String k : values.keySet()) {
            if (get(k) == null) throw new ParamException(k, "unknown parameter '" + k + "' (allowed: " + keys() + ")");
        }
        Object[] args = new Object[params.size()];
        for (int i = 0; i < args.length; i++) {
            ParamInfo p = params.get(i);
            Object raw = values.containsKey(p.key()) ? values.get(p.key()) : null;
            boolean given = raw != null;
            if (!given && p.dflt().isEmpty() && p.required()) {
                throw new ParamException(p.key(), "'" + p.key() + "' is required: " + p.help());
            }
            if (!given) raw = p.dflt().isEmpty() ? null : p.dflt();
            args[i] = convert(p, raw);
        }
        try {
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            throw new KetaprintException(type.getSimpleName() + ": " + c.getMessage(), c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object convert(ParamInfo p, Object raw) {
        Class<?> t = p.type();
        boolean optionalText = t == String.class && p.dflt().isEmpty() && !p.choices().contains("none");
        if (raw instanceof String s && (optionalText || t != String.class && !List.class.isAssignableFrom(t))
            && (s.isBlank() || s.equalsIgnoreCase("none"))) {
            raw = null;   // "none" or blank: no value
        }
        if (raw == null) {
            if (p.required()) throw new ParamException(p.key(), "'" + p.key() + "' is required: " + p.help());
            if (t == boolean.class) return false;
            if (t.isPrimitive()) throw new ParamException(p.key(), "'" + p.key() + "' needs a value: " + p.help());
            if (List.class.isAssignableFrom(t)) return List.of();
            return null;
        }
        if (t == String.class && raw instanceof List<?> l) {
            raw = String.join(",", l.stream().map(String::valueOf).toList());
        } else if (t == String.class && !(raw instanceof String)) {
            raw = String.valueOf(raw);
        }
        if (t == Path.class) return Path.of(String.valueOf(raw));
        if ((t == boolean.class || t == Boolean.class) && raw instanceof String s) {
            String b = s.trim().toLowerCase(Locale.ROOT);
            if (!b.equals("true") && !b.equals("false") && !b.equals("yes") && !b.equals("no")) {
                throw new ParamException(p.key(), "'" + p.key() + "': '" + s + "' is not true or false");
            }
            return b.equals("true") || b.equals("yes");
        }
        Object v;
        try {
            JavaType jt = MAPPER.constructType(p.genericType());
            Object in = raw instanceof String s && p.isNumber() ? s.trim() : raw;
            v = MAPPER.convertValue(in, jt);
        } catch (IllegalArgumentException e) {
            String what = p.isNumber() ? "a number" : List.class.isAssignableFrom(t) ? "a list" : t.getSimpleName();
            throw new ParamException(p.key(), "'" + p.key() + "': '" + raw + "' is not " + what);
        }
        if (v instanceof Double d && !Double.isFinite(d)) throw new ParamException(p.key(), "'" + p.key() + "' must be finite");
        if (!p.choices().isEmpty() && v instanceof String s && !p.choices().contains(s)) {
            throw new ParamException(p.key(), "'" + p.key() + "': '" + s + "' is not one of " + p.choices());
        }
        return v;
    }

    /** The record's values by key (for provenance and the data dictionary). */
    public Map<String, Object> describe(R r) {
        Map<String, Object> m = new LinkedHashMap<>();
        RecordComponent[] comps = type.getRecordComponents();
        for (int i = 0; i < comps.length; i++) {
            try {
                Object v = comps[i].getAccessor().invoke(r);
                m.put(params.get(i).key(), v instanceof Path ? v.toString() : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /** The defaults as text, by key (what a stage's parameter list shows). */
    public Map<String, String> defaultTexts() {
        Map<String, String> m = new LinkedHashMap<>();
        params.forEach(p -> m.put(p.key(), p.dflt()));
        return m;
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) sb.append('_').append(Character.toLowerCase(c));
            else sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return type.getSimpleName() + Arrays.toString(params.stream().map(ParamInfo::key).toArray());
    }
}
