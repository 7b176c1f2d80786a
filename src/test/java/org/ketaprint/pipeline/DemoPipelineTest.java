package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.cli.Main;
import org.ketaprint.table.Table;

/** End to end on the demo dataset: values against the ground truth planted by scripts/make_demo.py. */
public class DemoPipelineTest {
    static final Path DEMO = Path.of("test-data/demo-bids");
    static final Path ATLASES = Path.of("test-data/demo-atlases");
    static final Path TRUTH = Path.of("test-data/demo-truth.tsv");
    static final Path PIPELINE = Path.of("pipelines/ketamine-response.yaml");

    @TempDir
    Path tmp;

    static int run(String... args) {
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream()));
            return Main.run(args);
        } finally {
            System.setErr(err);
        }
    }

    static Map<String, String> row(Table t, String pid, String ses) {
        return t.rows().stream().filter(r -> r.get("participant_id").equals(pid) && r.get("session_id").equals(ses))
            .findFirst().orElseThrow(() -> new AssertionError("no row " + pid + " " + ses));
    }

    /** Removes a session's demo MNI -> T1w transform (the PET demo's identity), for tests that need none. */
    public static void dropMniToT1w(Path bids, String sub, String ses) throws IOException {
        Files.deleteIfExists(bids.resolve("derivatives/fmriprep/" + sub + "/" + ses + "/anat/" + sub + "_" + ses
            + "_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"));
    }

    static void assertClose(String what, String expected, String actual) {
        assertClose(what, expected, actual, 1e-6 * Math.max(1, Math.abs(Table.number(expected))));
    }

    static void assertClose(String what, String expected, String actual, double tolerance) {
        double e = Table.number(expected);
        double a = Table.number(actual);
        if (Double.isNaN(e)) {
            assertEquals(Table.NA, actual, what);
            return;
        }
        assertTrue(Math.abs(e - a) <= tolerance, what + ": expected " + e + " got " + a);
    }

    @Test
    void demoMatchesPlantedValues() {
        Path out = tmp.resolve("out");
        assertEquals(0, run(DEMO.toString(), out.toString(), "participant", "--pipeline", PIPELINE.toString(),
            "--atlas-dir", ATLASES.toString(), "--nthreads", "2", "--quiet"));
        assertEquals(0, run(DEMO.toString(), out.toString(), "group", "--pipeline", PIPELINE.toString()));
        Table got = Table.read(out.resolve("group/features.tsv"));
        Table truth = Table.read(TRUTH);
        int checked = 0;
        for (Map<String, String> t : truth.rows()) {
            Map<String, String> g = row(got, t.get("participant_id"), t.get("session_id"));
            for (String c : truth.columns()) {
                if (c.endsWith("_id")) continue;
                assertTrue(got.columns().contains(c), "column " + c + " of the truth is in the group table");
                String what = t.get("participant_id") + " " + t.get("session_id") + " " + c;
                if (c.endsWith("_suvr_pvc")) {
                    // GTM on the demo's noisy PET: 4.5-5 SD of the recovered ratio over 400 noise draws (make_demo.py)
                    double tol = c.startsWith("habenula") ? 0.12 : c.startsWith("pfc") ? 0.06 : 0.03;
                    assertClose(what, t.get(c), g.get(c), tol);
                } else if (c.equals("racc_fearful_gt_neutral_beta")) {
                    // the planted amplitude, recovered within noise: the ROI mean of 40 AR(1) GLS betas has SD ~0.033 %
                    // (make_demo.py); 0.15 is ~4.5 SD and still fails a wrong events file (-0.8) or no spikes (+0.32)
                    assertClose(what, t.get(c), g.get(c), 0.15);
                } else {
                    assertClose(what, t.get(c), g.get(c));
                }
                checked++;
            }
        }
        assertEquals(6 * (truth.columns().size() - 2), checked, "every planted value checked");
        // participants.tsv joined, MADRS derived: sub-01 32 -> 16 is -50 %, a responder, not a remitter
        Map<String, String> s1 = row(got, "sub-01", "ses-pre");
        assertEquals("34", s1.get("age"));
        assertEquals("-50", s1.get("madrs_pct_change"));
        assertEquals("1", s1.get("responder"));
        assertEquals("0", s1.get("remitter"));
        Map<String, String> s2 = row(got, "sub-02", "ses-post");
        assertEquals("1", s2.get("remitter"));
        // change table: post - pre from the truth
        Table ch = Table.read(out.resolve("group/features_change.tsv"));
        Map<String, String> c1 = ch.rows().stream().filter(r -> r.get("participant_id").equals("sub-01")).findFirst().orElseThrow();
        double pre = Table.number(row(truth, "sub-01", "ses-pre").get("hippocampus_l_vol_mm3"));
        double post = Table.number(row(truth, "sub-01", "ses-post").get("hippocampus_l_vol_mm3"));
        assertClose("change", Double.toString(post - pre), c1.get("hippocampus_l_vol_mm3_change"));
        assertClose("pct change", Double.toString(100 * (post - pre) / pre), c1.get("hippocampus_l_vol_mm3_pct_change"));
        // long table: one row per subject-session and feature, with participants columns
        Table lng = Table.read(out.resolve("group/features_long.tsv"));
        assertEquals(got.rows().size() * (long) new PipelineSpecHolder().columns(), lng.rows().size());
        assertTrue(lng.columns().contains("madrs_baseline"));
        // per-subject outputs: TSV, dictionary, provenance, log; dataset_description names the pipeline
        Path d = out.resolve("sub-01/ses-pre");
        for (String f : List.of("features.tsv", "features.json", "provenance.json", "log.txt")) {
            assertTrue(Files.isRegularFile(d.resolve("sub-01_ses-pre_" + f)), f);
        }
        assertTrue(read(out.resolve("dataset_description.json")).contains("ketamine-response"));
        String prov = read(d.resolve("sub-01_ses-pre_provenance.json"));
        assertTrue(prov.contains(sha256(DEMO.resolve(
            "derivatives/fmriprep/sub-01/ses-pre/anat/sub-01_ses-pre_desc-aseg_dseg.nii.gz"))), "input checksum in provenance");
        assertTrue(read(d.resolve("sub-01_ses-pre_features.json")).contains("\"Units\""));
        stageUsageRecorded(out);
    }

    /** Every session's provenance gives each stage wall_s, cpu_s and heap_peak_mb; the log says them per stage. */
    static void stageUsageRecorded(Path out) {
        int stages = 0;
        for (String sub : List.of("sub-01", "sub-02", "sub-03")) {
            for (String ses : List.of("ses-pre", "ses-post")) {
                String prefix = sub + "_" + ses;
                try {
                    var prov = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(out.resolve(sub + "/" + ses + "/" + prefix + "_provenance.json").toFile());
                    assertEquals(6, prov.path("stages").size(), prov.toString());
                    for (var s : prov.path("stages")) {
                        assertTrue(s.path("wall_s").asDouble() > 0, s.toString());
                        assertTrue(s.path("cpu_s").isNumber() && s.path("cpu_s").asDouble() >= 0, s.toString());
                        assertTrue(s.path("heap_peak_mb").asDouble() > 0, s.toString());
                        assertTrue(s.path("seconds").isMissingNode(), s.toString());
                        stages++;
                    }
                    String log = read(out.resolve(sub + "/" + ses + "/" + prefix + "_log.txt"));
                    assertTrue(log.matches("(?s).*\\[structural\\] ok in [0-9.]+ s \\(CPU [0-9.]+ s, heap peak [0-9]+ MB\\).*"), log);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertEquals(36, stages);
    }

    /** The number of columns of the default pipeline. */
    static final class PipelineSpecHolder {
        int columns() {
            return PipelineSpec.load(PIPELINE).columns().size();
        }
    }

    static String sha256(Path p) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static Path copyDemo(Path to) throws IOException {
        try (Stream<Path> s = Files.walk(DEMO)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(DEMO.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    static Path find(Path root, String nameEnd) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(nameEnd)).findFirst().orElseThrow();
        }
    }

    @Test
    void missingInputAndFailingSubjectDoNotStopTheOthers() throws Exception {
        Path bids = copyDemo(tmp.resolve("bids"));
        Files.delete(find(bids, "sub-02_ses-pre_desc-aseg_dseg.nii.gz"));
        Path bad = find(bids, "sub-03_ses-pre_desc-aseg_dseg.nii.gz");
        Files.writeString(bad, "not an image");
        Path out = tmp.resolve("out");
        assertEquals(1, run(bids.toString(), out.toString(), "participant", "--pipeline", PIPELINE.toString(),
            "--atlas-dir", ATLASES.toString(), "--quiet"));
        assertEquals(1, run(bids.toString(), out.toString(), "group", "--pipeline", PIPELINE.toString()));
        Table got = Table.read(out.resolve("group/features.tsv"));
        assertEquals(6, got.rows().size());
        assertEquals(Table.NA, row(got, "sub-02", "ses-pre").get("hippocampus_l_vol_mm3"));
        assertEquals(Table.NA, row(got, "sub-03", "ses-pre").get("hippocampus_l_vol_mm3"));
        assertClose("good subject", row(Table.read(TRUTH), "sub-01", "ses-pre").get("hippocampus_l_vol_mm3"),
            row(got, "sub-01", "ses-pre").get("hippocampus_l_vol_mm3"));
        Table f = Table.read(out.resolve("group/failures.tsv"));
        Map<String, String> miss = f.rows().stream().filter(r -> r.get("participant_id").equals("sub-02")).findFirst().orElseThrow();
        assertEquals("missing_input", miss.get("status"));
        Map<String, String> fail = f.rows().stream().filter(r -> r.get("participant_id").equals("sub-03")).findFirst().orElseThrow();
        assertEquals("failed", fail.get("status"));
        assertTrue(fail.get("reason").contains("sub-03_ses-pre_desc-aseg_dseg.nii.gz"), fail.get("reason"));
        // nothing half-written: no temporary files left behind
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void skipExistingRecomputesOnlyWhatChanged() throws Exception {
        Path bids = copyDemo(tmp.resolve("bids"));
        Path out = tmp.resolve("out");
        PipelineSpec spec = PipelineSpec.load(PIPELINE);
        ParticipantRunner.Options o = new ParticipantRunner.Options();
        o.skipExisting = true;
        List<String> first = statuses(spec, bids, out, o);
        assertTrue(first.stream().allMatch(s -> s.equals("ok")), first.toString());
        List<String> second = statuses(spec, bids, out, o);
        assertTrue(second.stream().allMatch(s -> s.equals("skipped")), second.toString());
        // change one input: a different label image for sub-01 pre
        Path seg = find(bids, "sub-01_ses-pre_desc-aseg_dseg.nii.gz");
        Files.copy(find(bids, "sub-01_ses-post_desc-aseg_dseg.nii.gz"), seg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> third = statuses(spec, bids, out, o);
        assertEquals(1, third.stream().filter(s -> s.equals("ok")).count(), third.toString());
        assertEquals(5, third.stream().filter(s -> s.equals("skipped")).count(), third.toString());
    }

    private static List<String> statuses(PipelineSpec spec, Path bids, Path out, ParticipantRunner.Options o) throws Exception {
        BidsLayout layout = BidsLayout.index(bids, List.of());
        List<String> st = new ArrayList<>();
        for (ParticipantRunner.Outcome r : new ParticipantRunner(spec, layout, new Atlases(List.of(ATLASES)), out, o,
            Progress.silent()).run()) {
            st.add(r.status());
        }
        return st;
    }
}
