package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.bids.BidsLayout;

/**
 * The resubmit selection on outputs built by hand for the demo dataset (3 subjects x 2 sessions): which
 * participants must rerun is known by construction.
 */
class ResubmitTest {
    static final BidsLayout DEMO = BidsLayout.index(Path.of("test-data/demo-bids"), List.of());
    static final List<String> ALL = List.of("01", "02", "03");

    @TempDir
    Path out;

    /** Writes sub/ses outputs: a features table and a provenance with the given stage statuses. */
    void outputs(String sub, String ses, boolean provenance, String... statuses) throws Exception {
        String prefix = "sub-" + sub + "_ses-" + ses;
        Path d = Files.createDirectories(out.resolve("sub-" + sub).resolve("ses-" + ses));
        Files.writeString(d.resolve(prefix + "_features.tsv"), "participant_id\tsession_id\nsub-" + sub + "\tses-" + ses + "\n");
        Files.deleteIfExists(d.resolve(prefix + "_provenance.json"));
        if (!provenance) return;
        StringBuilder st = new StringBuilder();
        for (int i = 0; i < statuses.length; i++) {
            st.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i).append("\",\"status\":\"").append(statuses[i]).append("\"}");
        }
        Files.writeString(d.resolve(prefix + "_provenance.json"), "{\"stages\":[" + st + "]}");
    }

    @BeforeEach
    void complete() throws Exception {
        for (String s : ALL) {
            outputs(s, "pre", true, "ok", "ok");
            outputs(s, "post", true, "ok", "ok");
        }
    }

    List<String> picks(List<String> sessions) {
        return Resubmit.select(DEMO, out, ALL, sessions).stream().map(Resubmit.Pick::participant).toList();
    }

    @Test
    void nothingWhenComplete() {
        assertEquals(List.of(), picks(List.of()));
    }

    @Test
    void missingProvenanceFailedStageOrNoFolder() throws Exception {
        outputs("01", "post", false);
        outputs("03", "pre", true, "ok", "failed");
        assertEquals(List.of("01", "03"), picks(List.of()));
        assertEquals("sub-03_ses-pre: stage s1 failed", Resubmit.select(DEMO, out, ALL, List.of()).get(1).reason());
        Files.walk(out.resolve("sub-02")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertEquals(List.of("01", "02", "03"), picks(List.of()));
    }

    @Test
    void missingInputIsNotRerun() throws Exception {
        outputs("02", "pre", true, "ok", "missing_input");
        assertEquals(List.of(), picks(List.of()));
    }

    @Test
    void onlyTheSelectedSessionsCount() throws Exception {
        outputs("02", "post", false);
        assertEquals(List.of(), picks(List.of("pre")));
        assertEquals(List.of("02"), picks(List.of("ses-post")));
    }

    @Test
    void failuresTableUnlessTheSubjectRanAgainSince() throws Exception {
        Path f = Files.createDirectories(out.resolve("group")).resolve("failures.tsv");
        Files.writeString(f, "participant_id\tsession_id\tstage\tstatus\treason\n"
            + "sub-01\tses-pre\ts1\tfailed\tboom\n"
            + "sub-02\tses-post\ts0\tmissing_input\tno dwi\n");
        Path prov = out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json");
        Files.setLastModifiedTime(prov, FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_100_000L));
        assertEquals(List.of("01"), picks(List.of()), "listed as failed in a table newer than its outputs");
        Files.setLastModifiedTime(prov, FileTime.fromMillis(1_000_000_200_000L));
        assertEquals(List.of(), picks(List.of()), "its outputs were rewritten after the table: complete now");
    }
}
