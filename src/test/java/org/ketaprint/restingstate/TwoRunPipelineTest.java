package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.table.Json;
import org.ketaprint.table.Table;

/**
 * A session with two resting-state runs (test-data/restingstate/two-runs, made with its reference by
 * scripts/make_two_run_reference.py: each run denoised alone by the single-run numpy reference, then XCP-D's
 * per-run z-scoring and concatenation): the default pipeline's resting-state columns equal the reference; the
 * provenance lists the runs; a run without a mask of its own takes the session's; BOLD files in two resolutions
 * fail with a message naming res, and a query with res picks one.
 */
class TwoRunPipelineTest {
    static final Path DATA = Path.of("test-data", "restingstate", "two-runs");
    static final String FUNC = "derivatives/fmriprep/sub-01/ses-1/func/";

    @TempDir
    static Path tmp;
    static JsonNode ref;
    static String stderr;

    @BeforeAll
    static void load() throws Exception {
        ref = Json.MAPPER.readTree(DATA.resolve("reference.json").toFile());
    }

    /** The default pipeline with only its resting-state stage, {@code inputs} (YAML lines) added to it. */
    static Path pipeline(String name, String inputs) throws Exception {
        String all = Files.readString(Path.of("pipelines/ketamine-response.yaml"));
        String rest = all.substring(all.indexOf("  - id: restingstate"));
        int next = rest.indexOf("\n  - id:", 1);
        if (next > 0) rest = rest.substring(0, next + 1);
        if (inputs != null) rest = rest.replace("    type: restingstate\n", "    type: restingstate\n" + inputs);
        Path p = tmp.resolve(name + ".yaml");
        Files.writeString(p, "name: two-runs\nstages:\n" + rest);
        return p;
    }

    static int run(Path bids, Path out, Path pipeline) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(buf, true));
            return Main.run(new String[] {bids.toString(), out.toString(), "participant", "--pipeline", pipeline.toString(),
                "--atlas-dir", "test-data/demo-atlases", "--nthreads", "2"});
        } finally {
            System.setErr(err);
            stderr = buf.toString();
        }
    }

    static Map<String, String> features(Path out) {
        return Table.read(out.resolve("sub-01/ses-1/sub-01_ses-1_features.tsv")).rows().get(0);
    }

    static String provenance(Path out) throws Exception {
        return Files.readString(out.resolve("sub-01/ses-1/sub-01_ses-1_provenance.json"));
    }

    /** Every reference column within 1e-6 (relative above 1). */
    static void assertReference(Map<String, String> got) {
        for (Iterator<Map.Entry<String, JsonNode>> it = ref.get("columns").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double want = e.getValue().asDouble();
            double have = Table.number(got.get(e.getKey()));
            assertEquals(want, have, 1e-6 * Math.max(1, Math.abs(want)), e.getKey() + " in " + got);
        }
    }

    /** A copy of the two-run dataset, each file passed through {@code rename} (null: left out; several: copies). */
    static Path copy(String name, java.util.function.Function<String, List<String>> rename) throws Exception {
        Path dst = tmp.resolve(name);
        List<Path> files;
        try (Stream<Path> s = Files.walk(DATA)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String rel = DATA.relativize(f).toString().replace('\\', '/');
            List<String> names = rel.startsWith(FUNC) ? rename.apply(rel.substring(FUNC.length())) : List.of(rel.substring(rel.lastIndexOf('/') + 1));
            for (String n : names) {
                Path q = dst.resolve(rel).resolveSibling(n);
                Files.createDirectories(q.getParent());
                Files.copy(f, q);
            }
        }
        return dst;
    }

    @Test
    void twoRunsEqualTheReference() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, run(DATA, out, pipeline("default", null)), stderr);
        Map<String, String> got = features(out);
        assertReference(got);
        // planted: each run's clean 24P+gsr sgACC and rdlPFC series correlate with its rho_r exactly (0.3 and 0.5, at
        // signal SDs 8 and 14), so the z-scored concatenations with sum(n_r rho_r) / sum(n_r); concatenating the runs
        // only demeaned would give 0.445 (the louder run weighing more)
        double rho = ref.get("planted").get("r_gsr").asDouble();
        assertEquals(Math.log((1 + rho) / (1 - rho)) / 2, Table.number(got.get("sgacc_rdlpfc_fc_gsr_z")), 1e-4);

        // provenance: both runs, their own masks and confounds, volumes used per run
        JsonNode stage = Json.MAPPER.readTree(provenance(out)).get("stages").get(0);
        assertEquals("ok", stage.get("status").asText());
        JsonNode runs = stage.get("details").get("runs");
        assertEquals(2, runs.size(), stage.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode r = runs.get(i);
            String run = "run-" + (i + 1);
            assertEquals(run, r.get("run").asText());
            assertTrue(r.get("bold").asText().contains("_" + run + "_") && r.get("bold").asText().endsWith("_bold.nii.gz"), r.toString());
            assertTrue(r.get("mask").asText().contains("_" + run + "_"), r.toString());
            assertTrue(r.get("confounds").asText().contains("_" + run + "_"), r.toString());
            assertEquals(ref.get("runs").get(i).get("volumes").asInt(), r.get("volumes").asInt());
            assertEquals(ref.get("runs").get(i).get("volumes_used").asInt(), r.get("volumes_used").asInt());
        }
        for (String f : List.of("run-1_space-MNI152NLin2009cAsym_desc-preproc_bold", "run-2_space-MNI152NLin2009cAsym_desc-preproc_bold",
            "run-1_desc-confounds_timeseries", "run-2_desc-confounds_timeseries", "run-1_space-MNI152NLin2009cAsym_desc-brain_mask",
            "run-2_space-MNI152NLin2009cAsym_desc-brain_mask")) {
            assertTrue(stage.get("inputs").toString().contains(f), f + " in " + stage.get("inputs"));
        }
        // the maps are those of the concatenation (on the first run's grid)
        assertTrue(Files.isRegularFile(out.resolve("sub-01/ses-1/sub-01_ses-1_task-rest_space-MNI152NLin2009cAsym_stat-gbc_boldmap.nii.gz")));
        // the report (issue 17): FD and DVARS per run, every figure drawn
        String report = Files.readString(out.resolve("sub-01/ses-1/sub-01_ses-1_report.html"));
        for (String t : List.of("Framewise displacement (run-1)", "Framewise displacement (run-2)", "DVARS (run-2)", "Seed correlation map")) {
            assertTrue(report.contains("<h3>" + t + "</h3>"), t);
        }
        assertFalse(report.contains("class=\"figfail\""), "a figure was not drawn");
    }

    /** Issue 17: a stage that fails (24P without confounds) still shows its figures; FD says why it is missing. */
    @Test
    void aFailedStageStillShowsItsFigures() throws Exception {
        Path out = tmp.resolve("out-no-confounds");
        run(copy("no-confounds", n -> n.contains("confounds") ? List.of() : List.of(n)), out, pipeline("default", null));
        String report = Files.readString(out.resolve("sub-01/ses-1/sub-01_ses-1_report.html"));
        assertTrue(report.contains("id=\"stage-restingstate\" data-status=\"failed\""), report);
        assertTrue(report.contains("data-volume=\"mean_bold\""));
        assertTrue(report.contains("<h3>Framewise displacement (run-2)</h3>\n<p class=\"figfail\">not drawn: no confounds file"));
    }

    @Test
    void aRunWithoutItsOwnMaskTakesTheSessionMask() throws Exception {
        // run 2's mask renamed to a session-level one (no run-): run 1 keeps its own, run 2 takes the session's
        Path bids = copy("session-mask", n -> List.of(n.contains("run-2_space") && n.endsWith("_mask.nii.gz")
            ? n.replace("_run-2", "") : n));
        Path out = tmp.resolve("out-session-mask");
        assertEquals(0, run(bids, out, pipeline("default", null)), stderr);
        assertReference(features(out));
        JsonNode runs = Json.MAPPER.readTree(provenance(out)).get("stages").get(0).get("details").get("runs");
        assertEquals("sub-01_ses-1_task-rest_run-1_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz", runs.get(0).get("mask").asText());
        assertEquals("sub-01_ses-1_task-rest_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz", runs.get(1).get("mask").asText());
        assertTrue(Files.readString(out.resolve("sub-01/ses-1/sub-01_ses-1_log.txt")).contains("using the session's"));
    }

    @Test
    void twoResolutionsNeedAQueryNamingRes() throws Exception {
        // every BOLD and mask in res-1 and res-2 (the same data): the entity must be picked in the inputs
        Path bids = copy("two-res", n -> n.contains("_space-") && n.endsWith(".nii.gz") || n.endsWith("_bold.json")
            ? List.of(n.replace("_desc-", "_res-1_desc-"), n.replace("_desc-", "_res-2_desc-")) : List.of(n));
        Path out = tmp.resolve("out-two-res");
        assertEquals(1, run(bids, out, pipeline("default", null)));
        JsonNode stage = Json.MAPPER.readTree(provenance(out)).get("stages").get(0);
        String reason = stage.get("reason").asText();
        assertFalse(reason.contains("\n"), reason);
        assertTrue(reason.contains("input 'bold'") && reason.contains("differ in res- (1, 2)")
            && reason.contains("inputs: {bold: {..., res: \"2\"}}"), reason);
        assertTrue(reason.contains("input 'mask'"), "the mask's matches differ in res too: " + reason);
        assertTrue(Double.isNaN(Table.number(features(out).get("sgacc_rdlpfc_fc_z"))));

        // with res in both queries the runs are found again, and give the reference's values
        String inputs = "    inputs:\n"
            + "      bold: {task: rest, desc: preproc, suffix: bold, extension: .nii.gz, res: \"2\"}\n"
            + "      mask: {task: rest, desc: brain, suffix: mask, extension: .nii.gz, res: \"2\"}\n";
        Path out2 = tmp.resolve("out-res-2");
        assertEquals(0, run(bids, out2, pipeline("res2", inputs)), stderr);
        assertReference(features(out2));
        String prov = provenance(out2);
        assertTrue(prov.contains("run-2_space-MNI152NLin2009cAsym_res-2_desc-preproc_bold.nii.gz"), prov);
        assertFalse(prov.contains("_res-1_"), prov);
    }

    @Test
    void theReferenceCoversEveryRestingColumn() {
        List<String> cols = new ArrayList<>();
        ref.get("columns").fieldNames().forEachRemaining(cols::add);
        assertEquals(List.of("sgacc_rdlpfc_fc_z", "sgacc_rdlpfc_fc_gsr_z", "sgacc_alff", "sgacc_falff", "pfc_gbcr_z", "pfc_gbc_z",
            "fd_mean_mm", "n_volumes_censored", "n_volumes_used"), cols, "every resting-state column of the default pipeline");
    }
}
