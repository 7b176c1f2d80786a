package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;
import org.ketaprint.pipeline.DemoPipelineTest;
import org.ketaprint.table.Json;
import org.ketaprint.table.Table;

/**
 * Issue 13: confound expansions the file lacks ({@code _derivative1}, {@code _power2}, {@code _derivative1_power2})
 * are derived from their base column as fMRIPrep defines them. References: scripts/make_confound_expansions_reference.py
 * (the demo's sub-01 ses-pre confounds without expansion columns, and the expansions computed plainly in pandas).
 */
class ConfoundExpansionTest {
    static final Path D = Path.of("test-data/restingstate");
    static final Path BASE_ONLY = D.resolve("confounds_base_only.tsv");
    static final Path REFERENCE = D.resolve("confounds_expanded_reference.tsv");
    static final Path DEMO_FUNC = Path.of("test-data/demo-bids/derivatives/fmriprep/sub-01/ses-pre/func");
    static final Path DEMO_CONFOUNDS = DEMO_FUNC.resolve("sub-01_ses-pre_task-rest_desc-confounds_timeseries.tsv");
    static final List<String> BASES = List.of("trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z",
        "white_matter", "csf", "global_signal");

    @TempDir
    Path tmp;

    /** A TSV's columns as written: n/a is NaN, no first-row rule. */
    static Map<String, double[]> raw(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        String[] head = lines.get(0).split("\t");
        Map<String, double[]> cols = new java.util.LinkedHashMap<>();
        for (String h : head) cols.put(h, new double[lines.size() - 1]);
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split("\t", -1);
            for (int c = 0; c < head.length; c++) {
                cols.get(head[c])[r - 1] = cells[c].equals("n/a") ? Double.NaN : Double.parseDouble(cells[c]);
            }
        }
        return cols;
    }

    static void assertClose(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what);
        for (int t = 0; t < expected.length; t++) {
            if (Double.isNaN(expected[t])) {
                assertTrue(Double.isNaN(actual[t]), what + " row " + t + ": n/a expected, got " + actual[t]);
            } else {
                assertEquals(expected[t], actual[t], tol * Math.max(1, Math.abs(expected[t])), what + " row " + t);
            }
        }
    }

    @Test
    void derivedExpansionsMatchThePandasReference() throws IOException {
        Map<String, double[]> ref = raw(REFERENCE);
        Map<String, double[]> base = raw(BASE_ONLY);
        assertEquals(27, ref.size());
        Confounds c = Confounds.read(BASE_ONLY);
        Confounds withRef = Confounds.read(REFERENCE); // the same first-row rule applied to the reference's n/a
        for (Map.Entry<String, double[]> e : ref.entrySet()) {
            String name = e.getKey();
            String baseName = Confounds.baseOf(name);
            assertTrue(BASES.contains(baseName), name);
            assertFalse(c.has(name), name);
            assertTrue(c.derives(name), name);
            // as fMRIPrep writes them: n/a where the reference has n/a (the first row of the derivatives)
            assertClose(name, e.getValue(), Confounds.expansion(base.get(baseName), Confounds.suffixOf(name)), 1e-12);
            // as the design uses them: that n/a is 0, as for a derivative column in the file
            double[] used = c.column(name);
            assertClose(name + " (used)", withRef.column(name), used, 1e-12);
            if (name.contains("derivative")) assertEquals(0.0, used[0], name);
        }
        // the matrix of 36P's columns: every expansion derived, nothing else
        Strategy s36 = Strategy.parse("36P");
        List<String> derived = c.derived(s36.columns());
        assertEquals(new ArrayList<>(ref.keySet()).stream().sorted().toList(), derived.stream().sorted().toList());
        double[][] m = c.matrix(s36.columns());
        for (int j = 0; j < s36.columns().size(); j++) {
            String name = s36.columns().get(j);
            double[] col = new double[m.length];
            for (int t = 0; t < m.length; t++) col[t] = m[t][j];
            assertClose(name + " (matrix)", withRef.has(name) ? withRef.column(name) : c.column(name), col, 1e-12);
        }
    }

    @Test
    void theDemosOwnExpansionsFollowTheSameDefinition() {
        // so a base-only copy of the demo must give the demo's resting-state values (see below)
        Confounds full = Confounds.read(DEMO_CONFOUNDS);
        Confounds base = Confounds.read(BASE_ONLY);
        for (String name : full.names()) {
            if (Confounds.baseOf(name) == null) continue;
            assertClose(name, full.column(name), base.column(name), 1e-12);
        }
    }

    @Test
    void columnsInTheFileAreUsedAsTheyAre() throws IOException {
        // a file whose trans_x_power2 is not the square of trans_x, and with trans_x_derivative1 only
        List<String> lines = Files.readAllLines(BASE_ONLY);
        List<String> out = new ArrayList<>();
        for (int r = 0; r < lines.size(); r++) {
            out.add(lines.get(r) + "\t" + (r == 0 ? "trans_x_power2\ttrans_x_derivative1" : "7\t" + (r == 1 ? "n/a" : "0.5")));
        }
        Path tsv = tmp.resolve("partial.tsv");
        Files.write(tsv, out);
        Confounds c = Confounds.read(tsv);
        assertFalse(c.derives("trans_x_power2"));
        assertTrue(Arrays.stream(c.column("trans_x_power2")).allMatch(v -> v == 7));
        assertEquals(List.of("trans_x_derivative1_power2", "trans_y_derivative1"),
            c.derived(List.of("trans_x", "trans_x_power2", "trans_x_derivative1", "trans_x_derivative1_power2", "trans_y_derivative1")));
        // the square of the derivative the design uses: the file's
        double[] d2 = c.column("trans_x_derivative1_power2");
        assertEquals(0.0, d2[0]);
        for (int t = 1; t < d2.length; t++) assertEquals(0.25, d2[t]);
    }

    @Test
    void aMissingBaseColumnIsNamedWithTheFile() throws IOException {
        Path tsv = dropColumn(BASE_ONLY, "csf", tmp.resolve("nocsf.tsv"));
        Confounds c = Confounds.read(tsv);
        KetaprintException e = assertThrows(KetaprintException.class, () -> c.matrix(Strategy.parse("36P").columns()));
        assertTrue(e.getMessage().startsWith(tsv.toString() + ": missing confound column csf "), e.getMessage());
        assertTrue(e.getMessage().contains("csf_derivative1, csf_power2, csf_derivative1_power2"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // the file's expansions present, the base absent: the base is still needed
        Path full = dropColumn(D.resolve("confounds.tsv"), "csf", tmp.resolve("nocsf_full.tsv"));
        KetaprintException e2 = assertThrows(KetaprintException.class,
            () -> Confounds.read(full).matrix(Strategy.parse("36P").columns()));
        assertEquals(full + ": missing confound column csf", e2.getMessage());
    }

    @Test
    void theCommandsRecordTheDerivedColumns() {
        String bold = DEMO_FUNC.resolve("sub-01_ses-pre_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz").toString();
        String mask = DEMO_FUNC.resolve("sub-01_ses-pre_task-rest_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz").toString();
        String[] roi = {"--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10", "--json"};
        Cli orig = Cli.run(concat(new String[] {"seedcorr", bold, "--mask", mask, "--confounds", DEMO_CONFOUNDS.toString()}, roi));
        Cli based = Cli.run(concat(new String[] {"seedcorr", bold, "--mask", mask, "--confounds", BASE_ONLY.toString()}, roi));
        assertEquals(0, orig.code, orig.err);
        assertEquals(0, based.code, based.err);
        JsonNode o = orig.json();
        JsonNode b = based.json();
        assertEquals(0, o.at("/parameters/confounds_derived").size());
        List<String> derived = new ArrayList<>();
        b.at("/parameters/confounds_derived").forEach(n -> derived.add(n.asText()));
        assertEquals(18, derived.size(), derived.toString());
        assertTrue(derived.containsAll(List.of("trans_x_derivative1", "trans_x_power2", "rot_z_derivative1_power2")));
        assertEquals(o.get("z").asDouble(), b.get("z").asDouble(), 1e-12);
        assertEquals(o.at("/parameters/confound_columns"), b.at("/parameters/confound_columns"));
        // alff and gbc share the record
        Cli alff = Cli.run("alff", bold, "--mask", mask, "--confounds", BASE_ONLY.toString(), "--roi", "sphere:6,16,-10,10", "--json");
        assertEquals(0, alff.code, alff.err);
        assertEquals(18, alff.json().at("/parameters/confounds_derived").size());
    }

    static String[] concat(String[] a, String[] b) {
        String[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    static Path dropColumn(Path from, String column, Path to) throws IOException {
        List<String> lines = Files.readAllLines(from);
        int k = Arrays.asList(lines.get(0).split("\t", -1)).indexOf(column);
        assertTrue(k >= 0, column);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            List<String> cells = new ArrayList<>(Arrays.asList(l.split("\t", -1)));
            cells.remove(k);
            out.add(String.join("\t", cells));
        }
        Files.write(to, out);
        return to;
    }

    /** Rewrites every confounds TSV under {@code root} without its expansion columns (cells kept as text). */
    static List<Path> baseOnly(Path root) throws IOException {
        List<Path> tsvs;
        try (Stream<Path> s = Files.walk(root)) {
            tsvs = s.filter(p -> p.getFileName().toString().endsWith("_task-rest_desc-confounds_timeseries.tsv")).toList();
        }
        for (Path p : tsvs) {
            List<String> lines = Files.readAllLines(p);
            String[] head = lines.get(0).split("\t", -1);
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < head.length; i++) if (Confounds.baseOf(head[i]) == null) keep.add(i);
            List<String> out = new ArrayList<>();
            for (String l : lines) {
                String[] cells = l.split("\t", -1);
                out.add(String.join("\t", keep.stream().map(i -> cells[i]).toList()));
            }
            Files.write(p, out);
        }
        return tsvs;
    }

    /** The default pipeline with only its resting-state stage, and {@code strategy} for it. */
    static Path restingPipeline(Path dir, String strategy) throws IOException {
        String y = Files.readString(Path.of("pipelines/ketamine-response.yaml"));
        int stages = y.indexOf("stages:\n");
        int rest = y.indexOf("  - id: restingstate");
        String p = y.substring(0, stages + "stages:\n".length()) + y.substring(rest);
        p = p.replace("strategy: 24P ", "strategy: " + strategy + " ");
        assertTrue(p.contains("strategy: " + strategy + " "));
        Path f = dir.resolve("rest-" + strategy + ".yaml");
        Files.writeString(f, p);
        return f;
    }

    static Cli participant(Path bids, Path out, Path pipeline) {
        return Cli.run(bids.toString(), out.toString(), "participant", "--pipeline", pipeline.toString(),
            "--atlas-dir", "test-data/demo-atlases", "--session-label", "pre", "--quiet");
    }

    static Path session(Path out, String sub, String file) {
        return out.resolve("sub-" + sub + "/ses-pre/sub-" + sub + "_ses-pre_" + file);
    }

    @Test
    void aBaseOnlyDemoGivesTheDemosRestingStateValues() throws IOException {
        Path pipeline = restingPipeline(tmp, "24P");
        Path orig = DemoPipelineTest.copyDemo(tmp.resolve("orig"));
        Path based = DemoPipelineTest.copyDemo(tmp.resolve("based"));
        assertEquals(3, baseOnly(based).size());
        Cli a = participant(orig, tmp.resolve("out-orig"), pipeline);
        Cli b = participant(based, tmp.resolve("out-based"), pipeline);
        assertEquals(0, a.code, a.err);
        assertEquals(0, b.code, b.err);
        int compared = 0;
        for (String sub : List.of("01", "02", "03")) {
            Table ta = Table.read(session(tmp.resolve("out-orig"), sub, "features.tsv"));
            Table tb = Table.read(session(tmp.resolve("out-based"), sub, "features.tsv"));
            assertEquals(ta.columns(), tb.columns());
            assertTrue(ta.columns().containsAll(List.of("sgacc_rdlpfc_fc_z", "sgacc_rdlpfc_fc_gsr_z", "sgacc_alff",
                "sgacc_falff", "pfc_gbcr_z", "pfc_gbc_z")), ta.columns().toString());
            Map<String, String> ra = ta.rows().get(0);
            Map<String, String> rb = tb.rows().get(0);
            for (String col : ta.columns()) {
                double va = Table.number(ra.get(col));
                double vb = Table.number(rb.get(col));
                if (Double.isNaN(va)) {
                    assertEquals(ra.get(col), rb.get(col), "sub-" + sub + " " + col);
                } else {
                    assertEquals(va, vb, 1e-12 * Math.max(1, Math.abs(va)), "sub-" + sub + " " + col);
                    compared++;
                }
            }
            JsonNode pb = Json.MAPPER.readTree(session(tmp.resolve("out-based"), sub, "provenance.json").toFile());
            JsonNode pa = Json.MAPPER.readTree(session(tmp.resolve("out-orig"), sub, "provenance.json").toFile());
            List<String> derived = new ArrayList<>();
            pb.findValues("confounds_derived").forEach(n -> n.forEach(x -> derived.add(x.asText())));
            assertEquals(18, derived.size(), pb.toString());
            assertTrue(derived.containsAll(List.of("trans_x_derivative1", "trans_x_power2", "trans_x_derivative1_power2")));
            assertTrue(pa.findValues("confounds_derived").isEmpty(), "nothing derived from the full file");
            String log = Files.readString(session(tmp.resolve("out-based"), sub, "log.txt"));
            assertTrue(log.contains("derived from the base columns") && log.contains("rot_z_derivative1_power2"), log);
        }
        assertTrue(compared >= 3 * 6, "compared " + compared);
    }

    @Test
    void aMissingBaseColumnFailsThatSessionNamingColumnAndFile() throws IOException {
        Path pipeline = restingPipeline(tmp, "36P");
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        baseOnly(bids);
        Path bad = bids.resolve("derivatives/fmriprep/sub-02/ses-pre/func/sub-02_ses-pre_task-rest_desc-confounds_timeseries.tsv");
        Path tmpTsv = dropColumn(bad, "csf", tmp.resolve("x.tsv"));
        Files.copy(tmpTsv, bad, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path out = tmp.resolve("out");
        Cli c = participant(bids, out, pipeline);
        assertEquals(1, c.code, c.err);
        // the others run with 36P, every expansion derived (wm, csf and global signal's too)
        JsonNode p1 = Json.MAPPER.readTree(session(out, "01", "provenance.json").toFile());
        List<String> derived = new ArrayList<>();
        p1.findValues("confounds_derived").forEach(n -> n.forEach(x -> derived.add(x.asText())));
        assertEquals(27, derived.size(), derived.toString());
        assertTrue(Double.isFinite(Table.number(Table.read(session(out, "01", "features.tsv")).rows().get(0).get("sgacc_rdlpfc_fc_z"))));
        // sub-02 failed, the reason naming csf and the file
        String log = Files.readString(session(out, "02", "log.txt"));
        String line = log.lines().filter(l -> l.contains("missing confound column")).findFirst().orElse("");
        assertTrue(line.contains("csf") && line.contains("sub-02_ses-pre_task-rest_desc-confounds_timeseries.tsv"), log);
        JsonNode p2 = Json.MAPPER.readTree(session(out, "02", "provenance.json").toFile());
        assertTrue(p2.toString().contains("missing confound column csf"), p2.toString());
    }
}
