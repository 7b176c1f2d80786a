package org.ketaprint.measure;

import java.lang.reflect.Type;
import java.util.List;

/**
 * One declared parameter: its key (snake_case, as in YAML and ImageJ macros; {@link #option()} for the
 * command line), Java type, default text, units, help and allowed values.
 */
public record ParamInfo(String key, String component, Class<?> type, Type genericType, String dflt, String units,
                        String help, List<String> choices, boolean required) {
    /** The command-line option: {@code --fd-threshold}. */
    public String option() {
        return "--" + key.replace('_', '-');
    }

    /** Help with units, allowed values and default, for every door's help text. */
    public String fullHelp() {
        StringBuilder sb = new StringBuilder(help);
        if (!units.isEmpty()) sb.append(" (").append(units).append(')');
        if (!choices.isEmpty()) sb.append(" One of: ").append(String.join(", ", choices)).append('.');
        return sb.toString();
    }

    /** A label for dialogs whose first word is the key (ImageJ macro keys are a label's first word). */
    public String label() {
        return key + (units.isEmpty() ? "" : " (" + units + ")");
    }

    public boolean isFlag() {
        return type == boolean.class || type == Boolean.class;
    }

    public boolean isNumber() {
        return type == double.class || type == Double.class || type == int.class || type == Integer.class;
    }
}
