package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;

/**
 * The pipeline's {@code clinical:} block is checked with the rest of the file (issue 14): a responder threshold of
 * {@code NaN} used to make everyone a non-responder, {@code half} crashed the group level.
 */
class ClinicalSettingsTest {
    @TempDir
    Path tmp;

    Path pipeline(String clinical) throws Exception {
        Path p = tmp.resolve("p.yaml");
        Files.writeString(p, "name: x\nclinical:\n" + clinical + "stages:\n  - type: structural\n");
        return p;
    }

    List<String> problems(String clinical) throws Exception {
        Problems pr = new Problems();
        PipelineSpec.parse(pipeline(clinical), pr);
        return pr.errors();
    }

    void assertProblem(String clinical, String expected) throws Exception {
        assertEquals(List.of(expected), problems(clinical), clinical);
    }

    @Test
    void numbersMustBeDecimalsInRange() throws Exception {
        for (String v : List.of("half", "NaN", ".nan", "Infinity", ".inf", "0x1Ep0", "0.5d", "[0.5]")) {
            List<String> e = problems("  responder_reduction: " + v + "\n");
            assertEquals(1, e.size(), v + ": " + e);
            assertTrue(e.get(0).startsWith("line 3: ") && e.get(0).contains("responder_reduction"), e.get(0));
        }
        assertProblem("  responder_reduction: half\n",
            "line 3: clinical: responder_reduction: 'half' is not a number (a decimal such as 0.5; no NaN or Infinity)");
        for (String v : List.of("0", "-0.5", "1.0001", "50")) {
            assertProblem("  responder_reduction: " + v + "\n", "line 3: clinical: responder_reduction: '" + v
                + "' is outside (0, 1]: the fraction of the baseline score the reduction must reach (0.5: 50 %)");
        }
        assertProblem("  pre_session: pre\n  remitter_max: -1\n",
            "line 4: clinical: remitter_max: '-1' is negative: the highest follow-up score of a remitter");
        assertProblem("  remitter_max: -Infinity\n",
            "line 3: clinical: remitter_max: '-Infinity' is not a number (a decimal such as 0.5; no NaN or Infinity)");
        for (String ok : List.of("  responder_reduction: 1\n", "  responder_reduction: 0.001\n  remitter_max: 0\n",
            "  responder_reduction: 5e-1\n  remitter_max: 12.5\n")) {
            assertEquals(List.of(), problems(ok), ok);
        }
    }

    @Test
    void sessionsAreLabelsThatDiffer() throws Exception {
        assertProblem("  pre_session: post\n", "line 3: clinical: pre_session and post_session are both 'post': they must differ");
        assertProblem("  pre_session: a\n  post_session: a\n",
            "line 4: clinical: pre_session and post_session are both 'a': they must differ");
        assertProblem("  post_session: ses-post\n", "line 3: clinical: post_session: 'ses-post' must be the label without 'ses-' ('post')");
        assertProblem("  pre_session: pre_1\n", "line 3: clinical: pre_session: 'pre_1' is not a BIDS session label (letters and digits only)");
        assertProblem("  followup_column: madrs_baseline\n",
            "line 3: clinical: baseline_column and followup_column are both 'madrs_baseline': they must differ");
        assertProblem("  baseline_column: ''\n", "line 3: clinical: baseline_column: '' is not a participants.tsv column name");
        assertEquals(List.of(), problems("  pre_session: '1'\n  post_session: '2'\n"));
    }

    /** A run refuses such a pipeline at once, one line naming the file (the participant level used to run it). */
    @Test
    void aRunRefusesABadClinicalBlock() throws Exception {
        Path p = pipeline("  responder_reduction: NaN\n");
        Cli c = Cli.run("test-data/demo-bids", tmp.resolve("out").toString(), "participant", "--pipeline", p.toString(), "--quiet");
        assertEquals(2, c.code, c.err);
        assertEquals("ketaprint: " + p + ": line 3: clinical: responder_reduction: 'NaN' is not a number (a decimal such as 0.5;"
            + " no NaN or Infinity)", c.err.strip());
        Cli v = Cli.run("validate-pipeline", p.toString());
        assertEquals(2, v.code);
        assertEquals(p + ": line 3: clinical: responder_reduction: 'NaN' is not a number (a decimal such as 0.5; no NaN or Infinity)",
            v.err.strip());
    }
}
