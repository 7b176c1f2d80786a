package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;

/** {@code ketaprint slurm} end to end with a fake sbatch and a fake launcher. */
class SlurmCommandTest {
    static final String DEMO = "test-data/demo-bids";

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream o = System.out;
        PrintStream e = System.err;
        ByteArrayOutputStream ob = new ByteArrayOutputStream();
        ByteArrayOutputStream eb = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(ob, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(eb, true, StandardCharsets.UTF_8));
            int c = Main.run(args);
            return new Run(c, ob.toString(StandardCharsets.UTF_8), eb.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    Path sbatch() throws Exception {
        Path n = tmp.resolve("n");
        return Sh.script(tmp.resolve("fake/sbatch"), "echo \"$*\" >> " + tmp.resolve("args.txt") + "\n"
            + "n=$(cat " + n + " 2>/dev/null || echo 100); n=$((n+1)); echo $n > " + n + "; echo $n\n");
    }

    Path launcher() throws Exception {
        return Sh.script(tmp.resolve("bin/ketaprint"), "exit 0\n");
    }

    @Test
    void helpFormatsCleanly() {
        Run r = run("slurm", "-h");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("75% of it") && !r.err().contains("WARN"), r.err());
    }

    @Test
    void dryRunPrintsAndWritesNothing() throws Exception {
        Path out = tmp.resolve("out");
        Run r = run("slurm", DEMO, out.toString(), "--dry-run", "--ketaprint", launcher().toString(), "--participant-label", "sub-03", "01");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("#SBATCH --array=1-2\n"), r.out());
        assertTrue(r.out().contains("participants.txt\n03\n01\n"), r.out());
        assertTrue(Files.notExists(out), "dry run writes nothing");
    }

    @Test
    void submitThenResubmitOnlyTheIncomplete() throws Exception {
        Path out = tmp.resolve("out");
        String sb = sbatch().toString();
        String l = launcher().toString();
        Run r = run("slurm", DEMO, out.toString(), "--submit", "--sbatch", sb, "--ketaprint", l);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Submitted participant array job 101 (3 tasks)"), r.out());
        assertTrue(r.out().contains("Submitted group job 102 (--dependency=afterany:101)"), r.out());
        // the "tasks" complete sub-01 and sub-03 only (by hand)
        for (String s : List.of("01", "03")) {
            for (String ses : List.of("pre", "post")) {
                Path d = Files.createDirectories(out.resolve("sub-" + s).resolve("ses-" + ses));
                String p = "sub-" + s + "_ses-" + ses;
                Files.writeString(d.resolve(p + "_features.tsv"), "participant_id\nsub-" + s + "\n");
                Files.writeString(d.resolve(p + "_provenance.json"), "{\"stages\":[{\"id\":\"a\",\"status\":\"ok\"}]}");
            }
        }
        r = run("slurm", DEMO, out.toString(), "--submit", "--resubmit-failed", "--sbatch", sb, "--ketaprint", l);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resubmit sub-02: sub-02_ses-post: no features table"), r.out());
        assertTrue(r.out().contains("Submitted participant array job 103 (1 tasks)"), r.out());
        List<Path> batches;
        try (var s = Files.list(out.resolve("slurm"))) {
            batches = s.sorted().toList();
        }
        assertEquals(2, batches.size());
        assertEquals(List.of("02"), Files.readAllLines(batches.get(1).resolve("participants.txt")));
        // sub-02 done too: nothing left, sbatch not called again
        for (String ses : List.of("pre", "post")) {
            Path d = Files.createDirectories(out.resolve("sub-02").resolve("ses-" + ses));
            Files.writeString(d.resolve("sub-02_ses-" + ses + "_features.tsv"), "participant_id\nsub-02\n");
            Files.writeString(d.resolve("sub-02_ses-" + ses + "_provenance.json"), "{\"stages\":[]}");
        }
        r = run("slurm", DEMO, out.toString(), "--submit", "--resubmit-failed", "--sbatch", sb, "--ketaprint", l);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Nothing to resubmit: all 3 participants"), r.out());
        assertEquals(4, Files.readAllLines(tmp.resolve("args.txt")).size());
    }

    @Test
    void badInputIsOneLineAndExit2() throws Exception {
        String l = launcher().toString();
        Run r = run("slurm", DEMO, tmp.resolve("o").toString(), "--participant-label", "99", "--ketaprint", l);
        assertEquals(2, r.code());
        assertEquals("ketaprint: participant '99' is not in " + Path.of(DEMO).toAbsolutePath().normalize(), r.err().strip().replace(
            Path.of(DEMO).toString(), Path.of(DEMO).toAbsolutePath().normalize().toString()));
        r = run("slurm", DEMO, tmp.resolve("o").toString(), "--mem", "lots", "--ketaprint", l);
        assertEquals(2, r.code());
        assertEquals("ketaprint: --mem 'lots': use a size such as 4G or 4000M", r.err().strip());
        r = run("slurm", DEMO, tmp.resolve("o").toString(), "--dependency", "afterwards", "--ketaprint", l);
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("ketaprint: --dependency 'afterwards'"), r.err());
        r = run("slurm", DEMO, tmp.resolve("o").toString(), "--ketaprint", tmp.resolve("nope").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the ketaprint launcher is missing"), r.err());
    }
}
