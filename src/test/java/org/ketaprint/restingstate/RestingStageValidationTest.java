package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;

/**
 * Issue 15: {@link RestingStateStage#validate} reports each problem of a resting-state stage at its line: a bad
 * strategy at {@code strategy:}, a bad band at {@code band:}, an ROI that is no map, a feature's text ROI that does
 * not parse, and a feature naming an ROI the stage does not define; a valid stage has no problem.
 */
class RestingStageValidationTest {
    @TempDir
    Path tmp;

    List<String> problems(String... lines) throws Exception {
        Path p = tmp.resolve("p.yaml");
        Files.writeString(p, String.join("\n", lines) + "\n");
        Problems pr = new Problems();
        PipelineSpec.parse(p, pr);
        return pr.errors();
    }

    static List<String> stage(String strategy, String band) {
        return List.of(
            "name: v",                                                              // 1
            "stages:",                                                              // 2
            "  - type: restingstate",                                               // 3
            "    params:",                                                          // 4
            "      fd_threshold: 0.5",                                              // 5
            "      strategy: " + strategy,                                          // 6
            "      band: " + band,                                                  // 7
            "    rois:",                                                            // 8
            "      good: {sphere: [0, 0, 0], radius: 5}",                           // 9
            "    features:",                                                        // 10
            "      - {column: a_alff, measure: alff, roi: good}",                   // 11
            "      - {column: b_alff, measure: alff, roi: 'sphere:1,2,3,4'}");      // 12
    }

    @Test
    void aValidStageHasNoProblem() throws Exception {
        assertEquals(List.of(), problems(stage("24P", "0.01,0.1").toArray(String[]::new)));
        RestingStateStage st = new RestingStateStage();
        assertEquals("restingstate", st.type());
        assertEquals("Resting-state fMRI: denoising, seed connectivity, ALFF/fALFF, global brain connectivity", st.description());
    }

    @Test
    void aBadStrategyIsReportedAtItsLine() throws Exception {
        List<String> e = problems(stage("24P+bogus", "0.01,0.1").toArray(String[]::new));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("line 6:") && e.get(0).contains("unknown confound strategy 'bogus'"), e.toString());
    }

    @Test
    void aBadBandIsReportedAtItsLine() throws Exception {
        List<String> e = problems(stage("24P", "0.1,0.01").toArray(String[]::new));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("line 7:") && e.get(0).contains("bad pass band"), e.toString());
    }

    @Test
    void badRoisAndUnknownNamesAreReportedAtTheirLines() throws Exception {
        List<String> e = problems(
            "name: v",                                                              // 1
            "stages:",                                                              // 2
            "  - type: restingstate",                                               // 3
            "    rois:",                                                            // 4
            "      good: {sphere: [0, 0, 0], radius: 5}",                           // 5
            "      flat: 3",                                                        // 6
            "    features:",                                                        // 7
            "      - {column: a_alff, measure: alff, roi: good}",                   // 8
            "      - {column: b_alff, measure: alff, roi: nowhere}",                // 9
            "      - {column: c_alff, measure: alff, roi: 'sphere:1,2'}",           // 10
            "      - {column: d_fc, measure: seedcorr, seed: good, target: elsewhere}"); // 11
        assertEquals(4, e.size(), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 6:") && x.contains("ROI 'flat': must be {sphere")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 9:") && x.contains("unknown ROI 'nowhere' (defined: [good, flat])")),
            e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 10:") && x.contains("bad ROI 'sphere:1,2'")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 11:") && x.contains("unknown ROI 'elsewhere'")), e.toString());
    }
}
