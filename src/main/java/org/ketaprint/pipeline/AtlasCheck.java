package org.ketaprint.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.atlas.LabelTable;

/**
 * What {@code validate-pipeline} checks of a pipeline's atlases, before any data: every atlas its stages name
 * ({@link Stage#atlasLabels}) is found as the run finds it ({@link Atlases#find}: an image file, else by name in
 * the atlas folders), and every label name is in that atlas's table; each problem with its YAML line.
 */
public final class AtlasCheck {
    /** One atlas found: its name as written, its image and the table of its names (null: none). */
    public record Found(String name, Atlas atlas) {
    }

    private AtlasCheck() {
    }

    /** Checks every stage of {@code spec}; problems go to {@code problems}; returns the atlases found, in order. */
    public static List<Found> check(PipelineSpec spec, Atlases atlases, Problems problems) {
        Map<String, Atlas> found = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (StageSpec s : spec.stages) {
            Stage impl = Stages.get(s.type);
            if (impl == null) continue;
            List<AtlasLabel> labels;
            try {
                labels = impl.atlasLabels(s);
            } catch (RuntimeException e) {
                continue;   // a spec the stage's own validation rejected
            }
            for (AtlasLabel l : labels) {
                Atlas a = found.get(l.atlas());
                if (a == null) {
                    String why = missing.get(l.atlas());
                    if (why == null) {
                        try {
                            a = atlases.find(l.atlas());
                            found.put(l.atlas(), a);
                        } catch (KetaprintException e) {
                            why = e.getMessage();
                            missing.put(l.atlas(), why);
                            problems.error(l.at(), "stage '" + s.id + "': " + l.where() + ": " + why
                                + (why.contains("not found") ? " (give its folder with --atlas-dir)" : ""));
                        }
                    }
                    if (a == null) continue;
                }
                if (l.isNumber()) continue;
                LabelTable t;
                try {
                    t = a.labels();
                } catch (KetaprintException e) {
                    problems.error(l.at(), "stage '" + s.id + "': " + l.where() + ": " + e.getMessage());
                    continue;
                }
                if (t == null) {
                    problems.error(l.at(), "stage '" + s.id + "': " + l.where() + ": label '" + l.label() + "': atlas "
                        + a.image() + " has no label table (" + LabelTable.besideNames(a.image()) + "); give label numbers");
                    continue;
                }
                try {
                    t.label(l.label());
                } catch (KetaprintException e) {
                    problems.error(l.at(), "stage '" + s.id + "': " + l.where() + ": " + e.getMessage());
                }
            }
        }
        List<Found> out = new ArrayList<>();
        found.forEach((k, v) -> out.add(new Found(k, v)));
        return out;
    }
}
