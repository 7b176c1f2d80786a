package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.table.Table;

/**
 * The group level's reading of participants.tsv (issue 14), on a copy of the demo run once at the participant level:
 * each oddity of participants.tsv, then the group level.
 */
class ParticipantsTableTest {
    static final String HEADER = "participant_id\tage\tsex\tmadrs_baseline\tmadrs_24h\n";

    @TempDir
    static Path tmp;
    static Path bids;
    static Path out;

    @BeforeAll
    static void participantLevel() throws Exception {
        bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        out = tmp.resolve("out");
        assertEquals(0, DemoPipelineTest.run(bids.toString(), out.toString(), "participant", "--atlas-dir",
            DemoPipelineTest.ATLASES.toString(), "--nthreads", "2", "--quiet"));
    }

    /** Writes participants.tsv and runs the group level. */
    static Cli group(String participants) throws Exception {
        Files.writeString(bids.resolve("participants.tsv"), participants);
        return Cli.run(bids.toString(), out.toString(), "group");
    }

    static Table features() {
        return Table.read(out.resolve("group/features.tsv"));
    }

    static Map<String, String> row(String pid) {
        return DemoPipelineTest.row(features(), pid, "ses-pre");
    }

    static List<String> warnings(Cli c) {
        return c.err.lines().filter(l -> l.startsWith("ketaprint: warning: ")).toList();
    }

    static List<Map<String, String>> clinicalFailures() {
        return Table.read(out.resolve("group/failures.tsv")).rows().stream().filter(r -> r.get("stage").equals("clinical")).toList();
    }

    @Test
    void theDemoGivesNoWarning() throws Exception {
        Cli c = group(Files.readString(DemoPipelineTest.DEMO.resolve("participants.tsv")));
        assertEquals(0, c.code, c.err);
        assertEquals(List.of(), warnings(c));
        assertEquals("-50", row("sub-01").get("madrs_pct_change"));
        assertEquals(List.of(), clinicalFailures());
    }

    /** Two rows of one participant (also as "01" and "sub-01") used to be joined silently, the last one winning. */
    @Test
    void aParticipantOnTwoRowsIsAnError() throws Exception {
        Path f = bids.resolve("participants.tsv");
        Cli c = group(HEADER + "sub-01\t34\tF\t32\t16\nsub-02\t41\tM\t30\t8\nsub-03\t29\tF\t28\t25\nsub-01\t35\tF\t10\t30\n");
        assertEquals(2, c.code, c.err);
        assertEquals("ketaprint: " + f + ": participant sub-01 on lines 2 and 5: one row per participant (BIDS), merge or remove"
            + " the others", c.err.strip());
        c = group(HEADER + "01\t34\tF\t32\t16\nsub-02\t41\tM\t30\t8\nsub-01\t35\tF\t10\t30\nsub-02\t1\tM\t1\t1\n");
        assertEquals(2, c.code, c.err);
        assertTrue(c.err.strip().endsWith(f + ": participant sub-01 on lines 2 and 4; sub-02 on lines 3 and 5: one row per"
            + " participant (BIDS), merge or remove the others"), c.err);
        assertEquals(1, c.err.strip().lines().filter(l -> !l.contains("warning")).count(), c.err);
    }

    /** A column named twice used to keep the last one's values. */
    @Test
    void aColumnNamedTwiceIsAnError() throws Exception {
        Cli c = group("participant_id\tage\tsex\tmadrs_baseline\tmadrs_24h\tage\nsub-01\t34\tF\t32\t16\t99\n");
        assertEquals(2, c.code, c.err);
        assertEquals("ketaprint: " + bids.resolve("participants.tsv") + ": column named more than once: 'age' (columns 2 and 6)",
            c.err.strip());
    }

    /** The derived columns used to vanish (exit 0, no word) when an outcome column was missing. */
    @Test
    void aMissingOutcomeColumnWarnsAndTheDerivedColumnsAreNa() throws Exception {
        Cli c = group("participant_id\tage\tmadrs_baseline\nsub-01\t34\t32\nsub-02\t41\t30\nsub-03\t29\t28\n");
        assertEquals(0, c.code, c.err);
        assertEquals(List.of("ketaprint: warning: " + bids.resolve("participants.tsv") + ": no column 'madrs_24h' (the pipeline's"
            + " clinical: followup_column): madrs_pct_change, responder and remitter are n/a",
            "ketaprint: warning: " + out.resolve("group/associations.tsv") + ": no subject has madrs_pct_change: every test is n/a"),
            warnings(c));
        Table t = features();
        for (String d : Participants.DERIVED) {
            assertTrue(t.columns().contains(d), d);
            assertTrue(t.rows().stream().allMatch(r -> r.get(d).equals(Table.NA)), d);
        }
        assertEquals("34", row("sub-01").get("age"));
        assertTrue(Table.read(out.resolve("group/features_long.tsv")).columns().containsAll(Participants.DERIVED));
        // no participants.tsv at all: the same columns, n/a, with a warning
        Files.delete(bids.resolve("participants.tsv"));
        c = Cli.run(bids.toString(), out.toString(), "group");
        assertEquals(0, c.code, c.err);
        assertEquals(List.of("ketaprint: warning: no " + bids.resolve("participants.tsv") + ": madrs_pct_change, responder and"
            + " remitter are n/a", "ketaprint: warning: " + out.resolve("group/associations.tsv") + ": no subject has"
            + " madrs_pct_change: every test is n/a"), warnings(c));
        assertEquals(Table.NA, row("sub-02").get("responder"));
    }

    /** Double.parseDouble read "32d" as 32 and "0x1Ep0" as 30: both made sub-01/sub-02 responders. */
    @Test
    void scoresAreStrictDecimals() throws Exception {
        Cli c = group(HEADER + "sub-01\t34\tF\t32d\t16\nsub-02\t41\tM\t0x1Ep0\t8\nsub-03\t29\tF\t28\tNaN\n");
        assertEquals(0, c.code, c.err);
        for (String pid : List.of("sub-01", "sub-02")) {
            assertEquals(Table.NA, row(pid).get("madrs_pct_change"), pid);
            assertEquals(Table.NA, row(pid).get("responder"), pid);
        }
        assertEquals("0", row("sub-01").get("remitter"));
        assertEquals(Table.NA, row("sub-03").get("remitter"));
        List<Map<String, String>> f = clinicalFailures();
        assertEquals(3, f.size(), f.toString());
        Path p = bids.resolve("participants.tsv");
        assertEquals(p + " line 2: madrs_baseline '32d' is not a number: madrs_pct_change and responder are n/a", f.get(0).get("reason"));
        assertEquals(p + " line 3: madrs_baseline '0x1Ep0' is not a number: madrs_pct_change and responder are n/a", f.get(1).get("reason"));
        assertEquals(p + " line 4: madrs_24h 'NaN' is not a number: madrs_pct_change, responder and remitter are n/a", f.get(2).get("reason"));
        assertEquals("unusable_score", f.get(0).get("status"));
        assertEquals(2, warnings(c).size(), c.err);
        assertTrue(warnings(c).get(0).contains("3 participant(s) with unusable outcome scores"), c.err);
        assertTrue(warnings(c).get(1).endsWith("associations.tsv: no subject has madrs_pct_change: every test is n/a"), c.err);
    }

    /** MADRS is 0-60: 30 -> -8 used to be a responder at -126.7 %. */
    @Test
    void scoresOutsideTheScaleAreNa() throws Exception {
        Cli c = group(HEADER + "sub-01\t34\tF\t30\t-8\nsub-02\t41\tM\t61\t8\nsub-03\t29\tF\t0\t4\n");
        assertEquals(0, c.code, c.err);
        Map<String, String> s1 = row("sub-01");
        assertEquals(List.of(Table.NA, Table.NA, Table.NA), List.of(s1.get("madrs_pct_change"), s1.get("responder"), s1.get("remitter")));
        assertEquals(Table.NA, row("sub-02").get("responder"));
        assertEquals("1", row("sub-02").get("remitter"));
        assertEquals(Table.NA, row("sub-03").get("madrs_pct_change"));
        assertEquals("1", row("sub-03").get("remitter"));
        List<String> reasons = clinicalFailures().stream().map(r -> r.get("reason")).toList();
        Path p = bids.resolve("participants.tsv");
        assertEquals(List.of(
            p + " line 2: madrs_24h '-8' is outside MADRS's range 0-60: madrs_pct_change, responder and remitter are n/a",
            p + " line 3: madrs_baseline '61' is outside MADRS's range 0-60: madrs_pct_change and responder are n/a",
            p + " line 4: madrs_baseline is 0: no percent change: madrs_pct_change and responder are n/a"), reasons);
    }

    /** BIDS: participant_id is sub-<label>; "SUB-02" used to join nothing, "01" was taken without a word. */
    @Test
    void participantIdsAreReadAsBidsWrites() throws Exception {
        Cli c = group(HEADER + "01\t34\tF\t32\t16\nSUB-02\t41\tM\t30\t8\nsub-03\t29\tF\t28\t25\n");
        assertEquals(0, c.code, c.err);
        assertEquals("34", row("sub-01").get("age"));
        assertEquals("41", row("sub-02").get("age"));
        assertEquals("1", row("sub-02").get("remitter"));
        assertEquals(List.of("ketaprint: warning: " + bids.resolve("participants.tsv") + ": participant_id holds sub-<label> (BIDS);"
            + " read as sub-<label>: '01' (line 2), 'SUB-02' (line 3)"), warnings(c));
    }

    /** A row that joins no subject, and a subject without a row, used to pass without a word. */
    @Test
    void rowsThatJoinNoSubjectAreReported() throws Exception {
        Path p = bids.resolve("participants.tsv");
        Cli c = group(HEADER + "sub-01\t34\tF\t32\t16\nsub-02\t41\tM\t30\t8\nsub-09\t50\tF\t20\t10\n\nsub-x_1\t1\tF\t1\t1\n");
        assertEquals(0, c.code, c.err);
        assertEquals(List.of(
            "ketaprint: warning: " + p + ": rows that join no subject of the dataset: sub-09 (line 4), sub-x_1 (line 6)",
            "ketaprint: warning: " + p + ": subjects without a row (n/a in its columns): sub-03",
            "ketaprint: warning: " + out.resolve("group/associations.tsv") + ": 2 responder(s) and 0 non-responder(s): the group"
                + " comparisons are n/a"), warnings(c));
        assertEquals(Table.NA, row("sub-03").get("age"));
        assertFalse(features().rows().stream().anyMatch(r -> r.get("participant_id").equals("sub-09")));
    }

    @Test
    void labelsAreCaseSensitiveWithAHint() {
        List<String> w = new java.util.ArrayList<>();
        Participants.read(writeTsv(HEADER + "sub-ab\t1\tF\t1\t1\n"), new java.util.TreeSet<>(List.of("AB")), PipelineSpec.CLINICAL_DEFAULTS, w::add);
        assertTrue(w.stream().anyMatch(x -> x.endsWith("rows that join no subject of the dataset: sub-ab (line 2; labels are"
            + " case-sensitive: sub-AB?)")), w.toString());
    }

    private static Path writeTsv(String text) {
        try {
            Path d = Files.createDirectories(tmp.resolve("case"));
            Files.writeString(d.resolve("participants.tsv"), text);
            return d;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
