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
        assertEquals(0, DemoPipelineTest.run("validate-pipeline", "pipelines/ketamine-response.yaml", "--atlas-dir", "test-data/demo-atlases"));
    }

    /**
     * validate-pipeline finds every atlas as the run does (--atlas-dir first) and looks every label name up in its
     * table: rois: entries, atlas: text ROIs of features, tensor_roi labels of the diffusion atlas; each error with
     * the line of the label, an atlas found nowhere once with the line that names it.
     */
    @Test
    void labelsMustBeInTheAtlasTables() throws Exception {
        Path p = tmp.resolve("labels.yaml");
        Files.writeString(p, String.join("\n",
            "name: labels",                                                                        // 1
            "stages:",                                                                             // 2
            "  - type: diffusion",                                                                 // 3
            "    params: {atlas: JHU-WhiteMatter-labels-1mm}",                                     // 4
            "    features:",                                                                       // 5
            "      - {column: cg_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L}",     // 6
            "      - {column: xx_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) X}",     // 7: no such label
            "      - {column: n35_fa, measure: tensor_roi, roi: 35}",                              // 8
            "  - type: restingstate",                                                              // 9
            "    rois:",                                                                           // 10
            "      pfc:",                                                                          // 11
            "        atlas: aal",                                                                  // 12
            "        labels: [Frontal_Sup_L,",                                                     // 13
            "                 Frontal_Nowhere_R, 7]",                                              // 14: no such label
            "      other: {atlas: no_such_atlas, labels: [A, B]}",                                 // 15: no atlas
            "    features:",                                                                       // 16
            "      - {column: pfc_gbc_z, measure: gbc, roi: pfc}",                                 // 17
            "      - {column: rect_alff, measure: alff, roi: 'atlas:aal:Rectus_L+Rectus_Q'}",      // 18: Rectus_Q
            "      - {column: other_alff, measure: alff, roi: other}",                             // 19
            ""));
        org.ketaprint.cli.Cli c = org.ketaprint.cli.Cli.run("validate-pipeline", p.toString(), "--atlas-dir", "test-data/demo-atlases");
        assertEquals(2, c.code, c.out + c.err);
        List<String> e = c.err.strip().lines().toList();
        assertEquals(4, e.size(), c.err);
        assertTrue(e.stream().anyMatch(x -> x.contains(": line 7: stage 'diffusion': feature 'xx_fa'")
            && x.contains("JHU-WhiteMatter-labels-1mm.nii.txt") && x.contains("no label named 'Cingulum (cingulate gyrus) X'")), c.err);
        assertTrue(e.stream().anyMatch(x -> x.contains(": line 14: stage 'restingstate': ROI 'pfc'")
            && x.contains("aal.nii.txt") && x.contains("'Frontal_Nowhere_R'")), c.err);
        assertTrue(e.stream().anyMatch(x -> x.contains(": line 15: stage 'restingstate': ROI 'other'")
            && x.contains("atlas 'no_such_atlas' not found") && x.contains("--atlas-dir")), c.err);
        assertTrue(e.stream().anyMatch(x -> x.contains(": line 18: stage 'restingstate': feature 'rect_alff'")
            && x.contains("'Rectus_Q'")), c.err);

        // fixed, it lists the atlases it found
        Files.writeString(p, Files.readString(p).replace("(cingulate gyrus) X", "(hippocampus) R").replace("Frontal_Nowhere_R", "Frontal_Mid_R")
            .replace("Rectus_Q", "Rectus_R").replace("no_such_atlas", "aal").replace("[A, B]", "[Rectus_R]"));
        c = org.ketaprint.cli.Cli.run("validate-pipeline", p.toString(), "--atlas-dir", "test-data/demo-atlases");
        assertEquals(0, c.code, c.err);
        assertTrue(c.out.contains("atlas aal: test-data/demo-atlases/aal.nii.gz") || c.out.contains("demo-atlases/aal.nii.gz"), c.out);
        assertTrue(c.out.contains("names: ") && c.out.contains("aal.nii.txt"), c.out);
    }

    /** Atlases given as files: a BIDS-named atlas takes its names from the dseg.tsv that applies by inheritance. */
    @Test
    void atlasFilesAndInheritedTables() throws Exception {
        Path atlas = tmp.resolve("tpl-MNI152NLin6Asym_atlas-Demo_res-2_dseg.nii.gz");
        Files.copy(Path.of("test-data/restingstate/atlas.nii.gz"), atlas);
        Files.writeString(tmp.resolve("atlas-Demo_dseg.tsv"), "index\tname\n1\tFrontal\n2\tSubgenual\n");
        Path p = tmp.resolve("files.yaml");
        Files.writeString(p, String.join("\n",
            "stages:",
            "  - type: restingstate",
            "    rois:",
            "      sg: {atlas: " + atlas + ", labels: [Subgenual]}",
            "    features:",
            "      - {column: sg_alff, measure: alff, roi: sg}",
            "      - {column: fr_alff, measure: alff, roi: 'atlas:" + atlas + ":Frontal+Parietal'}",   // line 7
            ""));
        org.ketaprint.cli.Cli c = org.ketaprint.cli.Cli.run("validate-pipeline", p.toString());
        assertEquals(2, c.code, c.out + c.err);
        assertEquals(1, c.err.strip().lines().count(), c.err);
        assertTrue(c.err.contains("line 7:") && c.err.contains("atlas-Demo_dseg.tsv") && c.err.contains("'Parietal'"), c.err);
    }
}
