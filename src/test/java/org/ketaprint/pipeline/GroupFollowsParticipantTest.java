package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.table.Table;

/**
 * Issue 13: the group level takes the pipeline the participant level ran (OUTPUT_DIR/pipeline.yaml), refuses
 * another --pipeline (unless --force) and sessions run with different pipelines. OUTPUT_DIR is relative, as typed.
 */
class GroupFollowsParticipantTest {
    @TempDir
    Path tmp;

    /** A relative output folder (tests run in the repository). */
    final Path out = Path.of("target", "group-follows-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void clean() throws Exception {
        if (!Files.exists(out)) return;
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    /** A structural-only pipeline with its own column names (fast; not the default's columns). */
    static Path pipeline(Path dir, String name, String column) throws Exception {
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, String.join("\n",
            "name: " + name,
            "stages:",
            "  - type: structural",
            "    features:",
            "      - {column: " + column + ", measure: volume, label: Left-Hippocampus}",
            "      - {column: icv_mm3, measure: icv}",
            ""));
        return p;
    }

    String[] participant(Path bids, Path pipeline, String... more) {
        String[] base = {bids.toString(), out.toString(), "participant", "--pipeline", pipeline.toString(), "--quiet"};
        String[] a = new String[base.length + more.length];
        System.arraycopy(base, 0, a, 0, base.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    @Test
    void groupWithoutPipelineUsesTheParticipantLevelsOne() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path custom = pipeline(tmp, "hippo-only", "hippo_l_custom");
        Cli p = Cli.run(participant(bids, custom));
        assertEquals(0, p.code, p.err);
        // the pipeline's text is kept in OUTPUT_DIR, its SHA-256 in dataset_description.json and the provenance
        assertEquals(Files.readString(custom), Files.readString(out.resolve("pipeline.yaml")));
        String sha = PipelineSpec.load(custom).sha256;
        assertTrue(Files.readString(out.resolve("dataset_description.json")).contains(sha));
        assertTrue(Files.readString(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json")).contains(sha));

        Cli g = Cli.run(bids.toString(), out.toString(), "group");
        assertEquals(0, g.code, g.err);
        Table t = Table.read(out.resolve("group/features.tsv"));
        assertTrue(t.columns().contains("hippo_l_custom"), t.columns().toString());
        assertFalse(t.columns().contains("cingulum_cg_l_fa"), "not the default pipeline's columns: " + t.columns());
        String truth = DemoPipelineTest.row(Table.read(DemoPipelineTest.TRUTH), "sub-01", "ses-pre").get("hippocampus_l_vol_mm3");
        DemoPipelineTest.assertClose("custom column", truth, DemoPipelineTest.row(t, "sub-01", "ses-pre").get("hippo_l_custom"));

        // the same file given again: fine; a second participant run with it leaves pipeline.yaml alone
        assertEquals(0, Cli.run(bids.toString(), out.toString(), "group", "--pipeline", custom.toString()).code);
    }

    @Test
    void anotherPipelineAtTheGroupLevelIsAnErrorNamingBothUnlessForced() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path custom = pipeline(tmp, "hippo-only", "hippo_l_custom");
        assertEquals(0, Cli.run(participant(bids, custom)).code);
        Path other = pipeline(tmp, "hippo-other", "hippo_l_other");
        String shaCustom = PipelineSpec.load(custom).sha256.substring(0, 12);
        String shaOther = PipelineSpec.load(other).sha256.substring(0, 12);

        Cli g = Cli.run(bids.toString(), out.toString(), "group", "--pipeline", other.toString());
        assertEquals(2, g.code, g.err);
        assertEquals(1, g.err.strip().lines().count(), g.err);
        assertTrue(g.err.contains("hippo-only") && g.err.contains(shaCustom), g.err);
        assertTrue(g.err.contains("hippo-other") && g.err.contains(shaOther), g.err);
        assertTrue(g.err.contains("--force"), g.err);
        assertFalse(Files.exists(out.resolve("group/features.tsv")), "no tables written");

        // the default pipeline by name is another pipeline too
        Cli d = Cli.run(bids.toString(), out.toString(), "group", "--pipeline", "ketamine-response");
        assertEquals(2, d.code, d.err);
        assertTrue(d.err.contains("ketamine-response") && d.err.contains(shaCustom), d.err);

        Cli f = Cli.run(bids.toString(), out.toString(), "group", "--pipeline", other.toString(), "--force");
        assertEquals(0, f.code, f.err);
        assertTrue(f.err.contains("warning") && f.err.contains(shaOther), f.err);
        assertTrue(Table.read(out.resolve("group/features.tsv")).columns().contains("hippo_l_other"));
    }

    @Test
    void sessionsRunWithDifferentPipelinesAreAnErrorListingThem() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path a = pipeline(tmp, "pipeline-a", "hippo_l");
        Path b = tmp.resolve("pipeline-b.yaml");
        Files.writeString(b, Files.readString(a).replace("name: pipeline-a", "name: pipeline-b"));
        assertEquals(0, Cli.run(participant(bids, a, "--participant-label", "01", "02")).code);
        Cli second = Cli.run(participant(bids, b, "--participant-label", "03"));
        assertEquals(0, second.code, second.err);
        assertTrue(second.err.contains("warning") && second.err.contains("one pipeline"), "the participant level warns: " + second.err);

        String shaA = PipelineSpec.load(a).sha256.substring(0, 12);
        String shaB = PipelineSpec.load(b).sha256.substring(0, 12);
        Cli g = Cli.run(bids.toString(), out.toString(), "group");
        assertEquals(2, g.code, g.err);
        assertEquals(1, g.err.strip().lines().count(), g.err);
        String err = g.err;
        int ia = err.indexOf(shaA);
        int ib = err.indexOf(shaB);
        assertTrue(ia > 0 && ib > 0, err);
        // the sessions listed after each SHA: sub-01 and sub-02 with A, sub-03 with B
        String afterA = err.substring(ia, ia < ib ? ib : err.length());
        String afterB = err.substring(ib, ib < ia ? ia : err.length());
        assertTrue(afterA.contains("sub-01_ses-pre") && afterA.contains("sub-02_ses-post") && !afterA.contains("sub-03"), err);
        assertTrue(afterB.contains("sub-03_ses-pre") && afterB.contains("sub-03_ses-post") && !afterB.contains("sub-01"), err);

        Cli f = Cli.run(bids.toString(), out.toString(), "group", "--force");
        assertEquals(0, f.code, f.err);
        assertTrue(f.err.contains("warning"), f.err);
        assertEquals(6, Table.read(out.resolve("group/features.tsv")).rows().size());
    }
}
