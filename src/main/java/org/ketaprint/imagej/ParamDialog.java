package org.ketaprint.imagej;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.ketaprint.measure.ParamInfo;
import org.ketaprint.measure.ParamSet;

/**
 * ImageJ 1.x dialog fields generated from a parameter record: the label starts with the parameter's key
 * (so macro options use the same names as YAML, e.g. {@code fd_threshold=0.5}); checkboxes for flags,
 * choices for enumerations, text otherwise (bound by {@link ParamSet}, as every door's values are).
 */
final class ParamDialog {
    private ParamDialog() {
    }

    static void add(OptionsDialog gd, Class<? extends Record> type, Set<String> skip) {
        for (ParamInfo p : ParamSet.of(type).params()) {
            if (skip.contains(p.key())) continue;
            if (p.isFlag()) {
                gd.addCheckbox(p.label(), Boolean.parseBoolean(p.dflt()));
            } else if (!p.choices().isEmpty()) {
                gd.addChoice(p.label(), p.choices().toArray(String[]::new), p.dflt());
            } else {
                gd.addString(p.label(), p.dflt());
            }
        }
    }

    /** The values of the fields {@link #add} made, in order; blank fields are left to the record's defaults. */
    static Map<String, Object> read(OptionsDialog gd, Class<? extends Record> type, Set<String> skip) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamInfo p : ParamSet.of(type).params()) {
            if (skip.contains(p.key())) continue;
            String v = p.isFlag() ? Boolean.toString(gd.nextBoolean()) : !p.choices().isEmpty() ? gd.nextChoice() : gd.nextString();
            if (!v.isBlank()) values.put(p.key(), v.trim());
        }
        return values;
    }
}
