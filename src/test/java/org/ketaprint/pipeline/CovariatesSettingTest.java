package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clinical: covariates:} is a list of participants.tsv columns; each problem at its line. */
class CovariatesSettingTest {
    @TempDir
    Path tmp;

    PipelineSpec spec(String clinical, Problems pr) throws Exception {
        Path p = tmp.resolve("p.yaml");
        Files.writeString(p, "name: x\nclinical:\n" + clinical + "stages:\n  - type: structural\n");
        return PipelineSpec.parse(p, pr);
    }

    List<String> problems(String clinical) throws Exception {
        Problems pr = new Problems();
        spec(clinical, pr);
        return pr.errors();
    }

    @Test
    void aListOfColumns() throws Exception {
        Problems pr = new Problems();
        assertEquals(List.of("age", "sex"), spec("  covariates: [age, sex]\n", pr).covariates);
        assertEquals(List.of(), pr.errors());
        assertEquals(List.of("age"), spec("  covariates:\n    - age\n", pr).covariates);
        assertEquals(List.of(), spec("  covariates: []\n", pr).covariates);
        assertEquals(List.of(), spec("  pre_session: pre\n", pr).covariates);
        assertEquals(List.of(), pr.errors());
    }

    @Test
    void eachProblemAtItsLine() throws Exception {
        assertEquals(List.of("line 3: clinical: covariates: a list of participants.tsv columns, such as [age, sex]"),
            problems("  covariates: age\n"));
        assertEquals(List.of("line 5: clinical: covariates: 'age' is listed twice",
                "line 7: clinical: covariates: 'madrs_24h' is an outcome score column (the outcome cannot be its own covariate)",
                "line 8: clinical: covariates: 'responder' is derived from the outcome (the outcome cannot be its own covariate)",
                "line 9: clinical: covariates: 'participant_id' is the subject's id, not a covariate",
                "line 10: clinical: covariates: each item is one participants.tsv column name"),
            problems("  covariates:\n    - age\n    - age\n    - sex\n    - madrs_24h\n    - responder\n    - participant_id\n"
                + "    - [a, b]\n"));
        assertEquals(List.of("line 3: unknown clinical setting 'covariate' (allowed: [baseline_column, followup_column,"
            + " responder_reduction, remitter_max, pre_session, post_session, covariates])"), problems("  covariate: [age]\n"));
    }
}
