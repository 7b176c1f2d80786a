package org.ketaprint.doors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.pipeline.DemoPipelineTest;
import org.ketaprint.table.Table;

/**
 * Issue 13, paths: relative --work-dir, --atlas-dir and OUTPUT_DIR; derivatives folders that are symbolic links
 * (in BIDS_DIR/derivatives or given with --derivatives), with a link loop in them; OUTPUT_DIR inside BIDS_DIR; a
 * BIDS_DIR without subjects; input paths in the provenance relative to their root.
 */
class PathRulesTest {
    @TempDir
    Path tmp;

    /** Relative folders (tests run in the repository). */
    final Path out = Path.of("target", "path-rules-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    final Path work = Path.of("target", "path-rules-work-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void clean() throws Exception {
        for (Path d : new Path[] {out, work}) {
            if (!Files.exists(d)) continue;
            try (Stream<Path> s = Files.walk(d)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
            }
        }
    }

    /** Structural and diffusion (atlas) stages: fast, and both kinds of derivatives folder. */
    Path pipeline() throws Exception {
        Path p = tmp.resolve("seg-dwi.yaml");
        Files.writeString(p, String.join("\n",
            "name: seg-dwi",
            "stages:",
            "  - type: structural",
            "    features:",
            "      - {column: hippocampus_l_vol_mm3, measure: volume, label: Left-Hippocampus}",
            "  - type: diffusion",
            "    features:",
            "      - {column: cingulum_cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L, map: fa}",
            ""));
        return p;
    }

    static final Map<String, String> TRUTH = DemoTruth.sub01pre();

    /** The planted values of sub-01 ses-pre. */
    static final class DemoTruth {
        static Map<String, String> sub01pre() {
            return Table.read(Path.of("test-data/demo-truth.tsv")).rows().stream()
                .filter(r -> r.get("participant_id").equals("sub-01") && r.get("session_id").equals("ses-pre")).findFirst().orElseThrow();
        }
    }

    void assertPlanted(Path outDir) {
        Map<String, String> row = Table.read(outDir.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")).rows().get(0);
        for (String c : new String[] {"hippocampus_l_vol_mm3", "cingulum_cg_l_fa"}) {
            assertEquals(Table.number(TRUTH.get(c)), Table.number(row.get(c)), 1e-6 * Math.abs(Table.number(TRUTH.get(c))), c);
        }
    }

    String[] run(Path bids, Path outDir, String... more) throws Exception {
        String[] base = {bids.toString(), outDir.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--pipeline", pipeline().toString(), "--quiet"};
        String[] a = new String[base.length + more.length];
        System.arraycopy(base, 0, a, 0, base.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    @Test
    void relativeWorkDirAtlasDirAndOutputDir() throws Exception {
        Cli c = Cli.run(run(Path.of("test-data/demo-bids"), out, "--atlas-dir", "test-data/demo-atlases",
            "--work-dir", work.toString()));
        assertEquals(0, c.code, c.err);
        assertPlanted(out);
        JsonNode prov = new ObjectMapper().readTree(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json").toFile());
        // input paths relative to their root, and the roots once, absolute
        JsonNode roots = prov.path("roots");
        assertEquals(Path.of("test-data/demo-bids").toAbsolutePath().toString(), roots.path("bids").asText());
        assertEquals(Path.of("test-data/demo-bids/derivatives/fmriprep").toAbsolutePath().toString(), roots.path("fmriprep").asText());
        assertTrue(prov.path("inputs").has("fmriprep:sub-01/ses-pre/anat/sub-01_ses-pre_desc-aseg_dseg.nii.gz"), prov.path("inputs").toString());
        assertTrue(prov.path("inputs").has("qsiprep:sub-01/ses-pre/dwi/sub-01_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi.nii.gz"));
        // the atlas (outside the roots) by its absolute path, though --atlas-dir was relative
        String atlas = Path.of("test-data/demo-atlases/JHU-WhiteMatter-labels-1mm.nii.gz").toAbsolutePath().toString();
        boolean found = false;
        for (JsonNode s : prov.path("stages")) found |= s.path("inputs").has(atlas);
        assertTrue(found, prov.path("stages").toString());

        Cli bad = Cli.run(run(Path.of("test-data/demo-bids"), out, "--atlas-dir", "test-data/no-such-atlases"));
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("no-such-atlases") && bad.err.contains("--atlas-dir"), bad.err);
    }

    @Test
    void symlinkedDerivativesAreFollowedAndLoopsAreNot() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path store = Files.createDirectories(tmp.resolve("store"));
        // BIDS_DIR/derivatives/fmriprep a link to where fMRIPrep wrote it, with a link back up inside it
        Files.move(bids.resolve("derivatives/fmriprep"), store.resolve("fmriprep"));
        Files.createSymbolicLink(bids.resolve("derivatives/fmriprep"), store.resolve("fmriprep"));
        Files.createSymbolicLink(store.resolve("fmriprep/sub-01/loop"), store.resolve("fmriprep"));
        // QSIPrep's folder elsewhere, given with --derivatives as a link
        Files.move(bids.resolve("derivatives/qsiprep"), store.resolve("qsiprep"));
        Path link = Files.createSymbolicLink(tmp.resolve("qsiprep-link"), store.resolve("qsiprep"));
        Cli c = Cli.run(run(bids, out, "--atlas-dir", "test-data/demo-atlases", "--derivatives", link.toString()));
        assertEquals(0, c.code, c.err);
        assertPlanted(out);
        assertTrue(c.err.contains("loop"), "the loop is reported: " + c.err);
    }

    @Test
    void outputDirInsideBidsDirIsRefusedExceptUnderDerivatives() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        for (Path o : new Path[] {bids, bids.resolve("out"), bids.resolve("sub-01/out"), bids.resolve("derivatives")}) {
            Cli c = Cli.run(run(bids, o, "--atlas-dir", "test-data/demo-atlases"));
            assertEquals(2, c.code, o + ": " + c.err);
            assertEquals(1, c.err.strip().lines().count(), c.err);
            assertTrue(c.err.contains("OUTPUT_DIR") && c.err.contains(o.toString()), c.err);
        }
        assertFalse(Files.exists(bids.resolve("out")));
        // a link to inside BIDS_DIR is inside it too
        Path link = Files.createSymbolicLink(tmp.resolve("bids-link"), bids);
        assertEquals(2, Cli.run(run(bids, link.resolve("out"), "--atlas-dir", "test-data/demo-atlases")).code);

        // under derivatives/: allowed, and a second run does not take its own outputs (tensor maps) for inputs
        Path ok = bids.resolve("derivatives/ketaprint");
        for (int i = 0; i < 2; i++) {
            Cli c = Cli.run(run(bids, ok, "--atlas-dir", "test-data/demo-atlases"));
            assertEquals(0, c.code, c.err);
            assertPlanted(ok);
        }
        String prov = Files.readString(ok.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json"));
        assertFalse(prov.contains("\"ketaprint:"), prov);
    }

    @Test
    void aBidsDirWithoutSubjectsExitsTwo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("dataset_description.json"), "{\"Name\": \"x\", \"BIDSVersion\": \"1.9.0\"}");
        for (String level : new String[] {"participant", "group"}) {
            Cli c = Cli.run(empty.toString(), out.toString(), level);
            assertEquals(2, c.code, c.err);
            assertTrue(c.err.contains(empty.toString()) && c.err.contains("no subjects"), c.err);
        }
    }
}
