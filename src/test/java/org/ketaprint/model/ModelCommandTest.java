package org.ketaprint.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.report.GroupPage;
import org.ketaprint.table.Json;

/** {@code ketaprint model} end to end on planted tables: the outputs, the group page's link, and every guard. */
class ModelCommandTest {
    @TempDir
    Path tmp;

    private Path planted(int n) throws IOException {
        return Planted.write(tmp.resolve("out" + n), n, 0.79, 1);
    }

    /** Rewrites column {@code col} of group/features.tsv: f(participant_id, old value) gives the new value. */
    private static void edit(Path out, String col, BiFunction<String, String, String> f) throws IOException {
        Path t = out.resolve("group/features.tsv");
        List<String> lines = Files.readAllLines(t);
        List<String> head = List.of(lines.get(0).split("\t", -1));
        int c = head.indexOf(col);
        List<String> res = new ArrayList<>(List.of(lines.get(0)));
        for (String l : lines.subList(1, lines.size())) {
            String[] v = l.split("\t", -1);
            v[c] = f.apply(v[0], v[c]);
            res.add(String.join("\t", v));
        }
        Files.write(t, res);
    }

    private static int num(String pid) {
        return Integer.parseInt(pid.substring(4));
    }

    private static void refused(Cli r, String... words) {
        assertEquals(2, r.code, r.err + r.out);
        List<String> errors = r.err.lines().filter(l -> !l.startsWith("ketaprint: warning: ")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err);
        assertTrue(errors.get(0).startsWith("ketaprint: "), r.err);
        for (String w : words) assertTrue(errors.get(0).contains(w), "'" + w + "' not in: " + r.err);
    }

    @Test
    void writesEveryOutputWithSeedsAndHashes() throws Exception {
        Path out = planted(40);
        Cli r = Cli.run("model", out.toString(), "--cv", "kfold:5:2", "--permutations", "3", "--json");
        assertEquals(0, r.code, r.err);
        JsonNode m = r.json();
        Path dir = out.resolve("group/model/responder");
        for (String f : List.of("predictions.tsv", "folds.tsv", "penalties.tsv", "coefficients.tsv", "metrics.tsv", "permutations.tsv",
            "model.json", "provenance.json", "report.html")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals("classification", m.path("kind").asText());
        assertEquals(40, m.path("n").asInt());
        assertTrue(m.path("metrics").path("auc").asDouble() > 0.8, m.toString());
        String top = null;
        double best = -1;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> m.path("final_model").path("coefficients").fields()) {
            if (Math.abs(e.getValue().asDouble()) > best) {
                best = Math.abs(e.getValue().asDouble());
                top = e.getKey();
            }
        }
        assertEquals("hippocampus_l_vol_mm3", top);
        assertEquals(4, Files.readAllLines(dir.resolve("permutations.tsv")).size());
        JsonNode p = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(2, p.path("seeds").path("outer_folds").size());
        assertEquals(10, p.path("seeds").path("inner_folds").size());
        assertEquals(3, p.path("seeds").path("permutations").size());
        assertEquals(org.ketaprint.pipeline.Provenance.Hash.sha256(out.resolve("group/features.tsv")),
            p.path("inputs").get(0).path("sha256").asText());
        // 40 subjects x 5 folds x 2 repeats, plus the final model's 40
        assertEquals(1 + 40 * 5 * 2 + 40, Files.readAllLines(dir.resolve("folds.tsv")).size());
        assertTrue(Files.readString(dir.resolve("report.html")).contains("data-plot=\"roc\""));
        Cli again = Cli.run("model", out.toString(), "--cv", "kfold:5:2", "--permutations", "3", "--json");
        assertEquals(m.path("metrics").toString(), again.json().path("metrics").toString(), "same seed, same numbers");
    }

    @Test
    void regressionWithDummyCodedCovariates() throws Exception {
        Path out = planted(40);
        Cli r = Cli.run("model", out.toString(), "--target", "madrs_pct_change", "--covariates", "age,sex", "--cv", "kfold:5:2",
            "--features", "hippocampus_*,sgacc_alff", "--json");
        assertEquals(0, r.code, r.err);
        assertEquals("regression", r.json().path("kind").asText());
        assertEquals("[\"age\",\"sex[M]\"]", r.json().path("covariates").toString());
        assertEquals("[\"hippocampus_l_vol_mm3\",\"sgacc_alff\"]", r.json().path("features").toString());
        assertTrue(r.json().path("metrics").path("r2").asDouble() > 0.3, r.out);
    }

    @Test
    void theGroupPageListsEveryModel() throws Exception {
        Path out = planted(40);
        String page = GroupPage.html(new GroupPage.Data("Group report", Map.of(), List.of(), "ses-pre", "ses-post", List.of(), Map.of(),
            List.of(), List.of()));
        Files.writeString(out.resolve("group/report.html"), page);
        assertEquals(0, Cli.run("model", out.toString(), "--cv", "kfold:5:1").code);
        assertEquals(0, Cli.run("model", out.toString(), "--cv", "loo", "--name", "responder_loo").code);
        String g = Files.readString(out.resolve("group/report.html"));
        assertTrue(g.contains("href=\"model/responder/report.html\"") && g.contains("href=\"model/responder_loo/report.html\""), g);
        assertEquals(g.indexOf("id=\"models\""), g.lastIndexOf("id=\"models\""), "one Models section");
        assertTrue(g.contains("AUC"), "the summary");
    }

    @Test
    void theModelsSectionIsReplacedOrInserted() {
        List<String[]> one = List.<String[]>of(new String[] {"m", "model/m/report.html", "AUC 0.9"});
        String old = "<body>\n<h2 id=\"features\">Features</h2>\n</body>";
        String a = GroupPage.withModels(old, one);
        assertTrue(a.indexOf("model/m/report.html") < a.indexOf("id=\"features\""), a);
        String b = GroupPage.withModels(a, List.of());
        assertFalse(b.contains("model/m/report.html"), b);
        assertEquals(a, GroupPage.withModels(b, one));
    }

    @Test
    void postTreatmentFeaturesNeedAllowPost() throws Exception {
        Path out = planted(40);
        refused(Cli.run("model", out.toString(), "--features", "hippocampus_l_vol_mm3,hippocampus_l_vol_mm3_change"),
            "hippocampus_l_vol_mm3_change", "--allow-post", "post-treatment");
        refused(Cli.run("model", out.toString(), "--session", "post"), "hippocampus_l_vol_mm3", "ses-post", "--allow-post");
        Cli ok = Cli.run("model", out.toString(), "--session", "post", "--allow-post", "--cv", "kfold:5:1");
        assertEquals(0, ok.code, ok.err);
        assertTrue(ok.err.contains("warning: --allow-post"), ok.err);
    }

    @Test
    void tooFewSubjectsOrTooFewInAClass() throws Exception {
        refused(Cli.run("model", planted(9).toString()), "fewer than 10 subjects");
        Path out = planted(40);
        edit(out, "responder", (pid, v) -> num(pid) <= 2 ? "1" : "0");
        refused(Cli.run("model", out.toString()), "responder", "fewer than 3 in the smaller class");
        edit(out, "hippocampus_l_vol_mm3", (pid, v) -> num(pid) > 9 ? "n/a" : v);
        refused(Cli.run("model", out.toString(), "--target", "madrs_pct_change"), "fewer than 10 subjects");
    }

    @Test
    void badTargets() throws Exception {
        Path out = planted(40);
        refused(Cli.run("model", out.toString(), "--target", "nonesuch"), "nonesuch");
        refused(Cli.run("model", out.toString(), "--target", "sgacc_alff"), "sgacc_alff", "feature column");
        edit(out, "remitter", (pid, v) -> "n/a");
        refused(Cli.run("model", out.toString(), "--target", "remitter"), "remitter", "n/a");
        edit(out, "remitter", (pid, v) -> "0");
        refused(Cli.run("model", out.toString(), "--target", "remitter"), "remitter", "one class only");
        edit(out, "madrs_pct_change", (pid, v) -> num(pid) == 7 ? "large" : v);
        refused(Cli.run("model", out.toString(), "--target", "madrs_pct_change"), "madrs_pct_change", "'large'", "sub-07");
        refused(Cli.run("model", out.toString(), "--target", "sex"), "sex", "not a number");
    }

    @Test
    void textInAFeatureConstantFeaturesAndMissingValues() throws Exception {
        Path out = planted(40);
        edit(out, "sgacc_alff", (pid, v) -> "5");
        edit(out, "accumbens_l_vol_mm3", (pid, v) -> num(pid) <= 3 ? "n/a" : v);
        Cli r = Cli.run("model", out.toString(), "--cv", "kfold:5:1", "--json");
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("sgacc_alff is constant"), r.err);
        assertTrue(r.err.contains("3 of 40 subjects dropped") && r.err.contains("accumbens_l_vol_mm3"), r.err);
        assertFalse(r.json().path("features").toString().contains("sgacc_alff"));
        assertEquals(37, r.json().path("n").asInt());
        edit(out, "cingulum_cg_l_fa", (pid, v) -> num(pid) == 12 ? "0.4x" : v);
        refused(Cli.run("model", out.toString()), "cingulum_cg_l_fa", "'0.4x'", "not a number");
    }

    @Test
    void badOptions() throws Exception {
        Path out = planted(40);
        refused(Cli.run("model", out.toString(), "--cv", "kfold:1"), "--cv");
        refused(Cli.run("model", out.toString(), "--cv", "kfold:50"), "50 folds for 40 subjects");
        refused(Cli.run("model", out.toString(), "--name", "../x"), "--name");
        refused(Cli.run("model", out.toString(), "--features", "nothing_*"), "nothing_*");
        refused(Cli.run("model", out.toString(), "--covariates", "height"), "height");
        refused(Cli.run("model", tmp.resolve("absent").toString()), "absent");
        Files.delete(out.resolve("pipeline.yaml"));
        refused(Cli.run("model", out.toString()), "pipeline.yaml");
    }
}
