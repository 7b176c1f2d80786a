package org.ketaprint.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A label a pipeline names in an atlas: the atlas (a name found through the atlas folders, or an image file), the
 * label as written (a number or a name in the atlas's label table), where it is written and in what ("ROI 'pfc'",
 * "feature 'x'"). {@link AtlasCheck} resolves each atlas and looks each name up, as a run would.
 */
public record AtlasLabel(String atlas, String label, YNode at, String where) {
    /**
     * The atlas labels any stage's spec names in the pipeline's ROI forms: every {@code rois:} entry
     * {@code {atlas: NAME, labels: [...]}}, and every feature parameter written {@code atlas:ATLAS:LABEL[+LABEL...]}
     * (optionally ending in {@code @SPACE}), the text form of {@code roi.RoiSpec}.
     */
    public static List<AtlasLabel> inRois(StageSpec spec) {
        List<AtlasLabel> out = new ArrayList<>();
        for (Map.Entry<String, YNode> e : spec.rois.entrySet()) {
            YNode r = e.getValue();
            if (!r.isMap() || r.get("atlas") == null || !r.get("atlas").isScalar() || r.get("labels") == null) continue;
            String atlas = r.get("atlas").text();
            YNode labels = r.get("labels");
            List<YNode> items = labels.isList() ? labels.list() : List.of(labels);
            for (YNode l : items) {
                if (l.isScalar()) out.add(new AtlasLabel(atlas, l.text().trim(), l, "ROI '" + e.getKey() + "'"));
            }
        }
        for (Feature f : spec.features) {
            for (Map.Entry<String, YNode> e : f.node().map().entrySet()) {
                YNode v = e.getValue();
                if (!v.isScalar() || v.text() == null || !v.text().trim().startsWith("atlas:")) continue;
                String s = v.text().trim().replaceFirst("@[A-Za-z0-9]+$", "").substring(6);
                int c = s.lastIndexOf(':');
                if (c <= 0) continue;   // malformed: the stage's own validation reports it
                for (String l : s.substring(c + 1).split("\\+")) {
                    if (!l.isBlank()) out.add(new AtlasLabel(s.substring(0, c), l.trim(), v, "feature '" + f.column() + "'"));
                }
            }
        }
        return out;
    }

    /** True when the label is written as a number (looked up in no table). */
    public boolean isNumber() {
        return label.matches("-?\\d+");
    }
}
