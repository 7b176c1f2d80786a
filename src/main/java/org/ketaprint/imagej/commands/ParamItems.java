package org.ketaprint.imagej.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.ketaprint.measure.ParamInfo;
import org.ketaprint.measure.ParamSet;
import org.scijava.command.DynamicCommand;
import org.scijava.module.DefaultMutableModuleItem;

/**
 * SciJava items generated from a parameter record (name = the parameter's key, default, help, choices), and
 * the values given for them; values are bound by {@link ParamSet}, as every door's are.
 */
final class ParamItems {
    private ParamItems() {
    }

    static void add(DynamicCommand c, Class<? extends Record> type, Set<String> skip) {
        for (ParamInfo p : ParamSet.of(type).params()) {
            if (skip.contains(p.key()) || c.getInfo().getInput(p.key()) != null) continue;
            if (p.isFlag()) {
                DefaultMutableModuleItem<Boolean> b = new DefaultMutableModuleItem<>(c.getInfo(), p.key(), Boolean.class);
                b.setDefaultValue(Boolean.parseBoolean(p.dflt()));
                item(c, b, p);
            } else {
                DefaultMutableModuleItem<String> s = new DefaultMutableModuleItem<>(c.getInfo(), p.key(), String.class);
                s.setDefaultValue(p.dflt());
                if (!p.choices().isEmpty()) s.setChoices(p.choices());
                item(c, s, p);
            }
        }
    }

    private static <T> void item(DynamicCommand c, DefaultMutableModuleItem<T> it, ParamInfo p) {
        it.setLabel(p.label());
        it.setDescription(p.fullHelp());
        it.setRequired(p.required());
        it.setPersisted(false);
        c.getInfo().addInput(it);
    }

    /** Values given for {@code type}'s parameters: blank and unset items take the record's defaults. */
    static Map<String, Object> given(DynamicCommand c, Class<? extends Record> type, Set<String> skip) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamInfo p : ParamSet.of(type).params()) {
            if (skip.contains(p.key())) continue;
            Object v = c.getInput(p.key());
            if (v == null || (v instanceof String s && s.isBlank())) continue;
            m.put(p.key(), v instanceof Boolean b ? b.toString() : v);
        }
        return m;
    }
}
