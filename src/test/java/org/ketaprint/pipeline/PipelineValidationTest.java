package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineValidationTest {
    @TempDir
    Path tmp;

    List<String> problems(String yaml) throws Exception {
        Path p = tmp.resolve("p.yaml");
        Files.writeString(p, yaml);
        Problems pr = new Problems();
        PipelineSpec.parse(p, pr);
        return pr.errors();
    }

    @Test
    void defaultPipelineIsValid() {
        PipelineSpec s = PipelineSpec.load(Path.of("pipelines/ketamine-response.yaml"));
        assertTrue(s.columns().size() >= 9);
    }

    @Test
    void reportsEachProblemWithItsLine() throws Exception {
        List<String> e = problems(String.join("\n",
            "name: broken",
            "stages:",
            "  - type: structral",                                  // line 3: unknown stage
            "  - type: structural",
            "    params: {colour: red}",                            // line 5: unknown parameter
            "    features:",
            "      - {column: a_vol, measure: volume, label: Left-Hipocampus}",      // line 7: bad ROI label
            "      - {column: a_vol, measure: volume, label: 17}",                   // line 8: duplicate column
            "      - {column: b_vol, label: 17, measure: area}",    // line 9: unknown measure
            ""));
        assertEquals(5, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("line 3: unknown stage 'structral'"), e.get(0));
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 5:") && x.contains("unknown parameter 'colour'")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 7:") && x.contains("Left-Hipocampus")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 8:") && x.contains("duplicate column 'a_vol'")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("line 9:") && x.contains("unknown measure 'area'")), e.toString());
    }

    @Test
    void yamlSyntaxErrorHasALine() throws Exception {
        List<String> e = problems("name: x\nstages:\n  - type: structural\n   bad indent: [\n");
        assertEquals(1, e.size());
        assertTrue(e.get(0).matches("line \\d+: YAML syntax.*"), e.get(0));
    }

    @Test
    void validatePipelineCommandExitsTwoOnErrors() throws Exception {
        Path p = tmp.resolve("bad.yaml");
        Files.writeString(p, "stages:\n  - type: nosuchstage\n");
        assertEquals(2, DemoPipelineTest.run("validate-pipeline", p.toString()));
        assertEquals(0, DemoPipelineTest.run("validate-pipeline", "pipelines/ketamine-response.yaml"));
    }
}
