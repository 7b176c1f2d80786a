package org.ketaprint.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.measure.ParamInfo;
import org.ketaprint.measure.ParamSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli options generated from a parameter record: {@code fd_threshold} becomes {@code --fd-threshold},
 * with the record's help, units, allowed values and default. Values are kept as the user typed them and
 * bound by {@link ParamSet#bind}, exactly as a pipeline's YAML is, so every door converts alike.
 */
public final class ParamOptions {
    private ParamOptions() {
    }

    /** Adds an option per parameter of {@code type}, except the keys in {@code skip}. */
    public static void add(CommandSpec spec, Class<? extends Record> type, Set<String> skip) {
        for (ParamInfo p : ParamSet.of(type).params()) {
            if (skip.contains(p.key()) || spec.findOption(p.option()) != null) continue;
            OptionSpec.Builder b = OptionSpec.builder(p.option())
                .paramLabel(p.key().toUpperCase())
                .description(p.fullHelp() + (p.dflt().isEmpty() ? "" : " Default: " + p.dflt() + "."))
                .required(p.required());
            if (p.isFlag()) {
                b.type(String.class).arity("0..1").fallbackValue("true").paramLabel("true|false");
            } else if (List.class.isAssignableFrom(p.type())) {
                b.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            } else {
                b.type(String.class);
            }
            spec.addOption(b.build());
        }
    }

    /** The values given on the command line for {@code type}'s parameters (defaults left to the binder). */
    public static Map<String, Object> given(CommandSpec spec, Class<? extends Record> type) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamInfo p : ParamSet.of(type).params()) {
            OptionSpec o = spec.findOption(p.option());
            if (o == null) continue;
            Object v = o.getValue();
            if (v == null || (v instanceof List<?> l && l.isEmpty())) continue;
            m.put(p.key(), v);
        }
        return m;
    }

    /** The record bound from the command line. */
    public static <R extends Record> R bind(CommandSpec spec, Class<R> type) {
        return ParamSet.of(type).bind(given(spec, type));
    }
}
