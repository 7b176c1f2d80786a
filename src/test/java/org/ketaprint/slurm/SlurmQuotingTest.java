package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the printed "Submit with:" hint is shell-quoted (pasted, it passes exactly the script paths to sbatch,
 * whatever OUTPUT_DIR holds); participant folders whose names hold control characters are refused; every refusal
 * is one line, control characters shown escaped.
 */
class SlurmQuotingTest {
    static final String DEMO = "test-data/demo-bids";

    @TempDir
    Path tmp;

    Path launcher() throws Exception {
        return Sh.script(tmp.resolve("bin/ketaprint"), "exit 0\n");
    }

    /** A fake sbatch: each argument on its own line of args.txt, then "--"; prints job id 101, 102, ... */
    Path sbatch() throws Exception {
        Path n = tmp.resolve("n");
        return Sh.script(tmp.resolve("fake/sbatch"), "for a in \"$@\"; do printf '%s\\n' \"$a\" >> " + tmp.resolve("args.txt")
            + "; done\necho -- >> " + tmp.resolve("args.txt") + "\n"
            + "n=$(cat " + n + " 2>/dev/null || echo 100); n=$((n+1)); echo $n > " + n + "; echo $n\n");
    }

    /** The hint line printed after "Submit with:". */
    static String hint(String out) {
        List<String> lines = out.lines().toList();
        int i = lines.indexOf("Submit with:");
        assertTrue(i >= 0 && i + 1 < lines.size(), out);
        return lines.get(i + 1).strip();
    }

    static void assertOneLine(SlurmCommandTest.Run r, String... parts) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("ketaprint: "), r.err());
        for (String p : parts) assertTrue(r.err().contains(p), "'" + p + "' not in: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void theSubmitHintRoundTripsThroughTheShell() throws Exception {
        for (String dep : List.of("afterany", "afterok")) {
            Path out = tmp.resolve("out " + dep + " $(touch pwned-" + dep + ") `touch tick` 'q' ; & * ~");
            String sb = sbatch().toString();
            SlurmCommandTest.Run r = SlurmCommandTest.run("slurm", DEMO, out.toString(), "--sbatch", sb,
                "--ketaprint", launcher().toString(), "--dependency", dep);
            assertEquals(0, r.code(), r.err());
            String hint = hint(r.out());
            Files.deleteIfExists(tmp.resolve("args.txt"));
            Files.deleteIfExists(tmp.resolve("n"));
            // sh -n: it parses; then run as pasted, in a folder where the injected commands would leave files
            assertEquals(0, Sh.bash(Sh.script(tmp.resolve("check.sh"), "sh -n -c " + BatchScripts.q(hint) + "\n"), tmp,
                Map.of()).code(), hint);
            Sh.Result run = Sh.bash(Sh.script(tmp.resolve("paste.sh"), "sh -c " + BatchScripts.q(hint) + "\n"), tmp, Map.of());
            assertEquals(0, run.code(), run.err());
            Path batch;
            try (Stream<Path> s = Files.list(out.resolve("slurm"))) {
                batch = s.findFirst().orElseThrow();
            }
            List<String> want = new java.util.ArrayList<>(List.of("--parsable", batch.resolve("participant.sbatch").toString(), "--",
                "--dependency=" + dep + ":101"));
            if (dep.equals("afterok")) want.add("--kill-on-invalid-dep=yes");
            want.addAll(List.of(batch.resolve("group.sbatch").toString(), "--"));
            assertEquals(want, Files.readAllLines(tmp.resolve("args.txt")), hint);
            assertFalse(Files.exists(tmp.resolve("pwned-" + dep)) || Files.exists(tmp.resolve("tick")), "the hint ran a command: " + hint);
        }
    }

    @Test
    void theDryRunLineIsQuotedToo() throws Exception {
        Path out = tmp.resolve("o $(x)");
        SlurmCommandTest.Run r = SlurmCommandTest.run("slurm", DEMO, out.toString(), "--dry-run", "--ketaprint", launcher().toString());
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("jid=$(sbatch --parsable '" + out), last);
    }

    @Test
    void participantFoldersWithControlCharactersAreSkippedWithAWarning() throws Exception {
        for (String bad : List.of("02\nx", "03\tz", "04\u001b[31m", "05\r")) {
            Path bids = tmp.resolve("bids-" + (int) bad.charAt(2));
            Files.createDirectories(bids.resolve("sub-01/anat"));
            Files.writeString(bids.resolve("dataset_description.json"), "{\"Name\": \"x\", \"BIDSVersion\": \"1.8.0\"}");
            Files.createDirectories(bids.resolve("sub-" + bad).resolve("anat"));
            String shown = bad.replace("\n", "\\n").replace("\t", "\\t").replace("\u001b", "\\x1b").replace("\r", "\\r");
            // the layout skips it (a BIDS label is letters and digits) with a one-line, escaped warning; the others run
            SlurmCommandTest.Run r = SlurmCommandTest.run("slurm", bids.toString(), tmp.resolve("o").toString(), "--dry-run",
                "--ketaprint", launcher().toString());
            assertTrue(r.err().lines().anyMatch(x -> x.contains("sub-" + shown + " skipped: a BIDS label is letters and digits only")),
                r.err());
            assertTrue(r.err().chars().noneMatch(c -> c != '\n' && Character.isISOControl(c)), r.err());
            assertEquals(0, r.code(), r.err());
        }
    }

    @Test
    void refusalsAreOneLineWithControlCharactersEscaped() throws Exception {
        String l = launcher().toString();
        String o = tmp.resolve("o").toString();
        assertOneLine(SlurmCommandTest.run("slurm", DEMO, o, "--ketaprint", l, "--participant-label", "9\n9"),
            "participant '9\\n9' is not in");
        assertOneLine(SlurmCommandTest.run("slurm", DEMO, o, "--ketaprint", l, "--setup", "module load a\nrm -rf b"),
            "--setup 'module load a\\nrm -rf b': one line per --setup");
        assertOneLine(SlurmCommandTest.run("slurm", DEMO, o, "--ketaprint", l, "--sbatch-arg", "--qos=long\r"),
            "--sbatch-arg '--qos=long\\r'");
        assertOneLine(SlurmCommandTest.run("slurm", DEMO, o, "--ketaprint", l, "--time", "1:00\n"), "--time '1:00\\n'");
        assertOneLine(SlurmCommandTest.run("slurm", tmp.resolve("no\nbids").toString(), o, "--ketaprint", l),
            "no\\nbids: no such BIDS folder");
        assertOneLine(SlurmCommandTest.run("slurm", DEMO, tmp.resolve("out\nput").toString(), "--ketaprint", l),
            "out\\nput");
        assertOneLine(SlurmCommandTest.run("slurm", DEMO, o, "--ketaprint", l, "--partition", "gpu\u2028x"), "'gpu\\u2028x'");
    }

    @Test
    void escapedShowsControlCharacters() {
        assertEquals("a\\nb\\tc\\rd\\x1b\\x7f\\x85\\u2028é", BatchScripts.escaped("a\nb\tc\rd\u001b\u007f\u0085\u2028é"));
        assertEquals("plain $(x) 'q'", BatchScripts.escaped("plain $(x) 'q'"));
    }
}
