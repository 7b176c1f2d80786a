package org.ketaprint.pipeline;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The stage types found on the class path (ServiceLoader). */
public final class Stages {
    private static final Map<String, Stage> BY_TYPE = new TreeMap<>();

    static {
        for (Stage s : ServiceLoader.load(Stage.class, Stage.class.getClassLoader())) BY_TYPE.put(s.type(), s);
    }

    private Stages() {
    }

    public static Stage get(String type) {
        return BY_TYPE.get(type);
    }

    public static Map<String, Stage> all() {
        return BY_TYPE;
    }
}
