package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.TestContexts;
import org.ketaprint.pipeline.YNode;

/** Issue 17: the structural figures appear only with the report, on the T1w when there is one, and change no number. */
class StructuralFiguresTest {
    static final Path ANAT = Path.of("test-data/demo-bids/derivatives/fmriprep/sub-01/ses-pre/anat");

    static StageResult run(boolean report, boolean t1w) {
        StageSpec spec = StageSpec.of("structural", StructuralStage.TYPE, new StructuralStage.Params(null, "none"));
        var m = Measures.get("volume");
        String[] labels = {"Left-Hippocampus", "Right-Accumbens-area", "Left-Hippocampus"};
        for (int i = 0; i < labels.length; i++) {
            var p = ParamSet.of(Volume.Params.class).bind(Map.of("label", labels[i]));
            spec.features.add(new Feature("c" + i, null, m, p, YNode.scalar("c" + i, 0)));
        }
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("seg", ANAT.resolve("sub-01_ses-pre_desc-aseg_dseg.nii.gz"));
        if (t1w) files.put("t1w", ANAT.resolve("sub-01_ses-pre_desc-preproc_T1w.nii.gz"));
        StageContext c = StageContext.forFiles(spec, files, Atlases.standard(List.of()), null, "t", l -> { });
        return new StructuralStage().run(TestContexts.reporting(c, report));
    }

    @Test
    void onlyWithTheReportOnTheT1wAndTheSameNumbers() {
        StageResult off = run(false, true);
        assertEquals(0, off.figures.size());
        assertEquals(0.0, off.figureSeconds);
        StageResult on = run(true, true);
        assertEquals(off.values, on.values);
        // the background note, then one figure per distinct region (the repeated label once)
        assertEquals(3, on.figures.size());
        assertTrue(on.figures.get(0).html().contains("sub-01_ses-pre_desc-preproc_T1w.nii.gz"), on.figures.get(0).html());
        assertTrue(on.figures.get(1).title().startsWith("Left-Hippocampus (label 17)"), on.figures.get(1).title());
        assertTrue(on.figures.get(2).title().startsWith("Right-Accumbens-area (label 58)"));
        String html = on.figures.get(1).html();
        assertEquals(9, html.split("class=\"slice\"", -1).length - 1, "3 slices in each of 3 planes");
        assertTrue(html.contains("data-volume=\"t1w\""));
        assertTrue(html.contains("data-rois=\"Left-Hippocampus=#ff2d2d;Right-Accumbens-area=#2d9bff\""), html.substring(0, 400));
        assertTrue(on.figureSeconds > 0);
    }

    @Test
    void withoutAT1wTheSegmentationIsShownAndSaid() {
        StageResult on = run(true, false);
        assertTrue(on.figures.get(0).html().contains("No T1w found"));
        assertTrue(on.figures.get(1).html().contains("data-volume=\"seg\""));
    }
}
