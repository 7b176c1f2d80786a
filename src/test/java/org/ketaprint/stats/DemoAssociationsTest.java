package org.ketaprint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.pipeline.DemoPipelineTest;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.table.Json;
import org.ketaprint.table.Table;

/**
 * The group level on the demo writes group/associations.tsv and .json. The sessions' outputs are planted from
 * test-data/demo-truth.tsv (the values the participant level computes), so only the group level runs.
 */
class DemoAssociationsTest {
    static final Path DEMO = Path.of("test-data/demo-bids");
    static final Path TRUTH = Path.of("test-data/demo-truth.tsv");
    static final Path PIPELINE = Path.of("pipelines/ketamine-response.yaml");

    @TempDir
    Path tmp;

    /** One _features.tsv and a _provenance.json (no failed stage) per row of the truth. */
    static void plant(Path out) throws Exception {
        Table truth = Table.read(TRUTH);
        for (Map<String, String> r : truth.rows()) {
            String sub = r.get("participant_id");
            String ses = r.get("session_id");
            Path dir = Files.createDirectories(out.resolve(sub).resolve(ses));
            Table t = new Table(truth.columns());
            t.add(r);
            t.write(dir.resolve(sub + "_" + ses + "_features.tsv"));
            Files.writeString(dir.resolve(sub + "_" + ses + "_provenance.json"), "{\"stages\": []}\n");
        }
    }

    static List<String> warnings(Cli c) {
        return c.err.lines().filter(l -> l.startsWith("ketaprint: warning: ")).toList();
    }

    @Test
    void oneRowPerFeatureAndFamily() throws Exception {
        Path out = tmp.resolve("out");
        plant(out);
        Cli c = Cli.run(DEMO.toString(), out.toString(), "group", "--pipeline", PIPELINE.toString(),
            "--no-report");
        assertEquals(0, c.code, c.err);
        assertEquals(List.of(), warnings(c));
        List<String> features = PipelineSpec.load(PIPELINE).columns().stream().map(x -> x.column()).toList();
        Table t = Table.read(out.resolve("group/associations.tsv"));
        assertEquals(Associations.columns(false), t.columns());
        assertEquals(2 * features.size(), t.rows().size());
        Set<String> seen = new HashSet<>();
        for (Map<String, String> r : t.rows()) {
            assertTrue(features.contains(r.get("feature")), r.get("feature"));
            assertTrue(seen.add(r.get("feature") + " " + r.get("family")), "once: " + r);
        }
        assertEquals(2 * features.size(), seen.size());
        JsonNode dict = Json.MAPPER.readTree(out.resolve("group/associations.json").toFile());
        List<String> keys = new ArrayList<>();
        dict.fieldNames().forEachRemaining(keys::add);
        assertEquals(t.columns(), keys);
        for (String k : keys) assertTrue(dict.get(k).get("Description").asText().length() > 20, k);
        // three subjects (-50 %, -73 %, -11 %): on 1 df p = 1 - 2 asin(|r|) / pi; 2 responders and 1 non-responder
        Map<String, String> h = t.rows().get(features.indexOf("hippocampus_l_vol_mm3"));
        assertEquals("baseline", h.get("family"));
        assertEquals("3", h.get("n"));
        double r = Double.parseDouble(h.get("pearson_r"));
        assertEquals(1 - 2 * Math.asin(Math.abs(r)) / Math.PI, Double.parseDouble(h.get("pearson_p")), 1e-12);
        assertEquals("2", h.get("n_responders"));
        assertEquals("1", h.get("n_nonresponders"));
        assertEquals(Table.NA, h.get("hedges_g"));
        assertEquals("pearson: CI: n = 3 < 4; groups: 2 and 1 values: at least 2 per group", h.get("note"));
        // the change family: post - pre of every subject, +172.8 mm3 each: constant
        Map<String, String> ch = t.rows().get(features.size() + features.indexOf("hippocampus_l_vol_mm3"));
        assertEquals("change", ch.get("family"));
        assertTrue(ch.get("note").startsWith("correlations: constant values"), ch.get("note"));
    }

    @Test
    void noOutcomeColumnStillWritesTheTableWithAWarning() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Files.writeString(bids.resolve("participants.tsv"), "participant_id\tage\tsex\tmadrs_baseline\n"
            + "sub-01\t34\tF\t32\nsub-02\t41\tM\t30\nsub-03\tn/a\tF\t28\n");
        String text = Files.readString(PIPELINE).replace("  post_session: post\n",
            "  post_session: post\n  covariates: [age, sex, site]\n");
        Path pipeline = Files.writeString(tmp.resolve("p.yaml"), text);
        Path out = tmp.resolve("out");
        plant(out);
        Cli c = Cli.run(bids.toString(), out.toString(), "group", "--pipeline", pipeline.toString(), "--no-report");
        assertEquals(0, c.code, c.err);
        Path tsv = out.resolve("group/associations.tsv");
        assertTrue(warnings(c).contains("ketaprint: warning: " + tsv + ": no subject has madrs_pct_change: every test is n/a"), c.err);
        assertTrue(warnings(c).contains("ketaprint: warning: " + tsv + ": no column 'site' in participants.tsv (the pipeline's"
            + " clinical: covariates): the adjusted tests are n/a"), c.err);
        Table t = Table.read(tsv);
        assertEquals(Associations.columns(true), t.columns());
        for (Map<String, String> r : t.rows()) {
            assertEquals("0", r.get("n"));
            assertEquals("0", r.get("n_adjusted"));
            assertEquals(Table.NA, r.get("pearson_r"));
            assertEquals(Table.NA, r.get("ols_q"));
        }
        JsonNode dict = Json.MAPPER.readTree(out.resolve("group/associations.json").toFile());
        assertTrue(dict.get("partial_r").get("Description").asText().contains("(age, sex, site)"));
    }

    /** Without sessions, the one session is the baseline; the change family is there, n/a. */
    @Test
    void withoutSessionsTheOneSessionIsTheBaseline() throws Exception {
        Path bids = Files.createDirectories(tmp.resolve("bids"));
        Path out = tmp.resolve("out");
        StringBuilder part = new StringBuilder("participant_id\tmadrs_baseline\tmadrs_24h\n");
        double[] x = {1, 2, 3, 4};
        double[] follow = {20, 10, 15, 5};   // from 30: -33.3, -66.7, -50, -83.3 %
        for (int i = 0; i < 4; i++) {
            String s = "sub-0" + (i + 1);
            Files.createDirectories(bids.resolve(s + "/anat"));
            Files.writeString(bids.resolve(s + "/anat/" + s + "_T1w.nii.gz"), "");
            part.append(s).append("\t30\t").append((int) follow[i]).append("\n");
            Path d = Files.createDirectories(out.resolve(s));
            Files.writeString(d.resolve(s + "_features.tsv"), "participant_id\tsession_id\tf1\n" + s + "\tn/a\t" + x[i] + "\n");
            Files.writeString(d.resolve(s + "_provenance.json"), "{\"stages\": []}\n");
        }
        Files.writeString(bids.resolve("participants.tsv"), part);
        Path p = Files.writeString(tmp.resolve("p.yaml"), "name: x\nstages:\n  - type: structural\n    features:\n"
            + "      - {column: f1, measure: volume, label: Left-Hippocampus}\n");
        Cli c = Cli.run(bids.toString(), out.toString(), "group", "--pipeline", p.toString(), "--no-report");
        assertEquals(0, c.code, c.err);
        Table t = Table.read(out.resolve("group/associations.tsv"));
        assertEquals(2, t.rows().size());
        Map<String, String> b = t.rows().get(0);
        assertEquals("4", b.get("n"));
        // y = 100 (follow - 30) / 30 is (-1, -2, -1.5, -2.5) x 100 / 3: ranks (4, 2, 3, 1) against x's (1, 2, 3, 4)
        assertEquals(-0.8, Double.parseDouble(b.get("spearman_rho")), 1e-12);
        assertEquals("0", t.rows().get(1).get("n"));
        assertEquals("change", t.rows().get(1).get("family"));
    }
}
