package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ketaprint.cli.Cli;
import org.ketaprint.pipeline.DemoPipelineTest;
import org.ketaprint.table.Table;

/**
 * A copy of the demo dataset that needs every option of the pipeline dialogs: its derivatives moved out of the
 * BIDS folder (so they must be given), sub-01's derivative files without their space- entity (so the space must
 * be given), and a pipeline whose atlases exist only under new names in an atlas folder of their own. The CLI run
 * with the same options is the reference for the ImageJ doors.
 */
final class PipelineLayout {
    static final String SPACE = "MNI152NLin2009cAsym";
    final Path bids;
    final Path fmriprep;
    final Path qsiprep;
    final Path atlases;
    final Path pipeline;

    PipelineLayout(Path dir) throws IOException {
        bids = DemoPipelineTest.copyDemo(dir.resolve("bids"));
        Path deriv = dir.resolve("deriv");
        Files.move(bids.resolve("derivatives"), deriv);
        fmriprep = deriv.resolve("fmriprep");
        qsiprep = deriv.resolve("qsiprep");
        try (Stream<Path> s = Files.walk(deriv)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("sub-01_") && n.contains("_space-")) Files.move(p, p.resolveSibling(n.replaceAll("_space-[A-Za-z0-9]+", "")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        atlases = Files.createDirectories(dir.resolve("atlases"));
        Path demo = Path.of("test-data", "demo-atlases");
        Files.copy(demo.resolve("aal.nii.gz"), atlases.resolve("myaal.nii.gz"));
        Files.copy(demo.resolve("aal.nii.txt"), atlases.resolve("myaal.nii.txt"));
        Files.copy(demo.resolve("JHU-WhiteMatter-labels-1mm.nii.gz"), atlases.resolve("myjhu.nii.gz"));
        Files.copy(demo.resolve("JHU-WhiteMatter-labels-1mm.nii.txt"), atlases.resolve("myjhu.nii.txt"));
        String yaml = Files.readString(Path.of("pipelines", "ketamine-response.yaml"))
            .replace("atlas: JHU-WhiteMatter-labels-1mm", "atlas: myjhu").replace("atlas: aal", "atlas: myaal");
        assertTrue(yaml.contains("atlas: myjhu") && yaml.contains("atlas: myaal"));
        pipeline = dir.resolve("renamed-atlases.yaml");
        Files.writeString(pipeline, yaml);
    }

    /** The group features table of the CLI run with the same options (participant 01, session pre). */
    Table cli(Path out) {
        Cli p = Cli.run(bids.toString(), out.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--derivatives", fmriprep.toString(), qsiprep.toString(), "--atlas-dir", atlases.toString(), "--space", SPACE,
            "--pipeline", pipeline.toString(), "--quiet");
        assertEquals(0, p.code, p.err);
        Cli g = Cli.run(bids.toString(), out.toString(), "group", "--pipeline", pipeline.toString(),
            "--derivatives", fmriprep.toString(), qsiprep.toString());
        assertTrue(g.code == 0 || g.code == 1, g.err);
        return Table.read(out.resolve("group/features.tsv"));
    }

    /** The ImageJ run's table equals the CLI's, and sub-01's pre-session features exist (they need every option). */
    void check(Table imagej, Table cli) {
        assertEquals(cli.rows(), imagej.rows());
        List<Map<String, String>> pre = imagej.rows().stream()
            .filter(r -> r.get("participant_id").endsWith("01") && r.get("session_id").endsWith("pre")).toList();
        assertEquals(1, pre.size(), imagej.rows().toString());
        assertTrue(imagej.rows().stream().noneMatch(r -> r.get("session_id").endsWith("post")
            && !Table.NA.equals(r.get("hippocampus_l_vol_mm3"))), "only the pre session was run");
        for (String c : List.of("hippocampus_l_vol_mm3", "cingulum_cg_l_fa", "sgacc_rdlpfc_fc_z", "pfc_gbc_z")) {
            assertNotEquals(Table.NA, pre.get(0).get(c), c);
        }
    }
}
