package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.table.Json;

/**
 * Issue 15: how each run of a two-run session finds its mask and confounds (test-data/restingstate/two-runs, files
 * renamed or left out): a run with neither its own nor a session-level mask, or without its own confounds, fails
 * naming the run's BOLD, the candidates and what they lack; a mask whose other entities disagree with the BOLD's
 * (dir-PA for a dir-AP run) is not the run's. Each fails before any voxel is read.
 */
class RunCompanionTest {
    static final Path DATA = Path.of("test-data", "restingstate", "two-runs");
    static final String FUNC = "derivatives/fmriprep/sub-01/ses-1/func/";
    static final String SPACE = "space-MNI152NLin2009cAsym";

    @TempDir
    Path tmp;

    /** A copy of the two-run dataset, each func file renamed by {@code rename} (null: left out). */
    Path copy(Function<String, String> rename) throws Exception {
        Path dst = tmp.resolve("bids");
        List<Path> files;
        try (Stream<Path> s = Files.walk(DATA)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String rel = DATA.relativize(f).toString().replace('\\', '/');
            String name = rel.startsWith(FUNC) ? rename.apply(rel.substring(FUNC.length())) : rel.substring(rel.lastIndexOf('/') + 1);
            if (name == null) continue;
            Path q = dst.resolve(rel).resolveSibling(name);
            Files.createDirectories(q.getParent());
            Files.copy(f, q);
        }
        return dst;
    }

    /** The stage's failure reason when the restingstate stage of the default pipeline runs on {@code bids}. */
    String reason(Path bids) throws Exception {
        String all = Files.readString(Path.of("pipelines/ketamine-response.yaml"));
        String rest = all.substring(all.indexOf("  - id: restingstate"));
        int next = rest.indexOf("\n  - id:", 1);
        if (next > 0) rest = rest.substring(0, next + 1);
        JsonNode stage = run(bids, "name: companions\nstages:\n" + rest, 1);
        return stage.get("reason").asText();
    }

    /** The provenance of the one stage of {@code pipelineText} run on {@code bids}, which exits with {@code want}. */
    JsonNode run(Path bids, String pipelineText, int want) throws Exception {
        Path pipeline = tmp.resolve("p.yaml");
        Files.writeString(pipeline, pipelineText);
        Path out = tmp.resolve("out");
        PrintStream err = System.err;
        int code;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
            code = Main.run(new String[] {bids.toString(), out.toString(), "participant", "--pipeline", pipeline.toString(),
                "--atlas-dir", "test-data/demo-atlases", "--nthreads", "1"});
        } finally {
            System.setErr(err);
        }
        assertEquals(want, code);
        return Json.MAPPER.readTree(out.resolve("sub-01/ses-1/sub-01_ses-1_provenance.json").toFile()).get("stages").get(0);
    }

    @Test
    void aSingleRunTakesItsOnlyConfoundsAsIs() throws Exception {
        // run 2 left out; run 1's confounds without run-: the one candidate of the one run is taken as it is
        Path bids = copy(n -> n.contains("run-2") ? null : n.startsWith("sub-01_ses-1_task-rest_run-1_desc-confounds")
            ? n.replace("_run-1", "") : n);
        JsonNode stage = run(bids, String.join("\n",
            "name: single",
            "stages:",
            "  - id: restingstate",
            "    type: restingstate",
            "    params: {strategy: 6P, fd_threshold: 0.5, min_seconds: 0, band: none}",
            "    features:",
            "      - {column: n_used, measure: quality, value: n_used}",
            ""), 0);
        assertEquals("ok", stage.get("status").asText(), stage.toString());
        assertTrue(stage.get("inputs").toString().contains("sub-01_ses-1_task-rest_desc-confounds_timeseries.tsv"), stage.toString());
    }

    @Test
    void aRunWithoutAnyMaskFailsNamingTheCandidates() throws Exception {
        String r = reason(copy(n -> n.contains("run-2_" + SPACE) && n.endsWith("_mask.nii.gz") ? null : n));
        assertTrue(r.contains("no single mask file for sub-01_ses-1_task-rest_run-2_" + SPACE + "_desc-preproc_bold.nii.gz: none of 1 "
            + "candidates (sub-01_ses-1_task-rest_run-1_" + SPACE + "_desc-brain_mask.nii.gz) has its entities "
            + "(or is a session-level mask without run-)"), r);
    }

    @Test
    void aRunWithoutItsOwnConfoundsFailsNamingTheCandidates() throws Exception {
        String r = reason(copy(n -> n.startsWith("sub-01_ses-1_task-rest_run-2_desc-confounds") ? null : n));
        assertTrue(r.contains("no single confounds file for sub-01_ses-1_task-rest_run-2_" + SPACE + "_desc-preproc_bold.nii.gz: none "
            + "of 1 candidates (sub-01_ses-1_task-rest_run-1_desc-confounds_timeseries.tsv) has its entities"), r);
        assertFalse(r.contains("session-level"), r);
    }

    @Test
    void aMaskWhoseEntitiesDisagreeIsNotTheRuns() throws Exception {
        String r = reason(copy(n -> n.endsWith("_mask.nii.gz") ? n.replace("_run-", "_dir-PA_run-")
            : n.contains("_bold.") ? n.replace("_run-", "_dir-AP_run-") : n));
        assertTrue(r.contains("no single mask file for sub-01_ses-1_task-rest_dir-AP_run-1_" + SPACE + "_desc-preproc_bold.nii.gz: "
            + "none of 2 candidates (sub-01_ses-1_task-rest_dir-PA_run-1_" + SPACE + "_desc-brain_mask.nii.gz, "
            + "sub-01_ses-1_task-rest_dir-PA_run-2_" + SPACE + "_desc-brain_mask.nii.gz) has its entities"), r);
    }
}
