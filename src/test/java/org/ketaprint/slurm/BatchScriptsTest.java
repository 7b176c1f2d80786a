package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated scripts are run with bash against a fake launcher that records its folder and arguments:
 * the task index selects the list line, every path is absolute and quoted, the cwd does not matter.
 */
class BatchScriptsTest {
    @TempDir
    Path tmp;

    /** A launcher that writes its cwd and then its arguments, one per line, to calls.txt, then exits $FAKE_RC. */
    Path fakeLauncher() throws Exception {
        return Sh.script(tmp.resolve("bin/ketaprint"),
            "{ pwd; for a in \"$@\"; do printf '%s\\n' \"$a\"; done; } > " + tmp.resolve("calls.txt") + "\nexit ${FAKE_RC:-0}\n");
    }

    ClusterRun run(Path out) throws Exception {
        return new ClusterRun(fakeLauncher(), Path.of("test-data/demo-bids"), out, Path.of("pipelines/ketamine-response.yaml"),
            List.of(Path.of("test-data/demo-atlases")), List.of(), List.of());
    }

    List<String> calls() throws Exception {
        return Files.readAllLines(tmp.resolve("calls.txt"));
    }

    @Test
    void taskIndexPicksTheListLineAndRunsTheParticipantLevel() throws Exception {
        Path out = tmp.resolve("out dir with 'quote'");
        BatchSettings s = new BatchSettings();
        s.cpusPerTask = 2;
        SlurmBatch.Prepared p = new SlurmBatch(run(out), s).write(List.of("01", "02", "03"), List.of("resubmit"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Sh.Result r = Sh.bash(p.arrayScript(), elsewhere, Map.of("SLURM_ARRAY_TASK_ID", "2"));
        assertEquals(0, r.code(), r.err());
        List<String> c = calls();
        assertEquals(out.toAbsolutePath().toRealPath().toString(), c.get(0), "the task runs in OUTPUT_DIR, not the caller's folder");
        List<String> expected = new ArrayList<>(List.of(
            Path.of("test-data/demo-bids").toAbsolutePath().toString(), out.toAbsolutePath().toString(), "participant",
            "--pipeline", Path.of("pipelines/ketamine-response.yaml").toAbsolutePath().toString(),
            "--atlas-dir", Path.of("test-data/demo-atlases").toAbsolutePath().toString(),
            "--nthreads", "2", "--skip-existing", "--quiet", "--participant-label", "02"));
        assertEquals(expected, c.subList(1, c.size()));
        assertTrue(r.out().contains("task 2: sub-02"), r.out());
        // sbatch splits #SBATCH lines at blanks unless quoted
        assertTrue(Files.readString(p.arrayScript()).contains("#SBATCH --chdir=\"" + out.toAbsolutePath() + "\"\n"));
    }

    @Test
    void exitCodeOfTheTaskIsTheParticipantLevel() throws Exception {
        SlurmBatch.Prepared p = new SlurmBatch(run(tmp.resolve("out")), new BatchSettings()).write(List.of("01"), List.of());
        Sh.Result r = Sh.bash(p.arrayScript(), tmp, Map.of("SLURM_ARRAY_TASK_ID", "1", "FAKE_RC", "7"));
        assertEquals(7, r.code());
    }

    @Test
    void otherSchedulersIndexVariable() throws Exception {
        BatchSettings s = new BatchSettings();
        s.indexVar = "SGE_TASK_ID";
        SlurmBatch.Prepared p = new SlurmBatch(run(tmp.resolve("out")), s).write(List.of("01", "02", "03"), List.of());
        Sh.Result r = Sh.bash(p.arrayScript(), tmp, Map.of("SGE_TASK_ID", "3", "SLURM_ARRAY_TASK_ID", "1"));
        assertEquals(0, r.code(), r.err());
        List<String> c = calls();
        assertEquals("03", c.get(c.size() - 1));
    }

    @Test
    void missingOrOutOfRangeIndexIsAClearError() throws Exception {
        SlurmBatch.Prepared p = new SlurmBatch(run(tmp.resolve("out")), new BatchSettings()).write(List.of("01", "02"), List.of());
        Sh.Result none = Sh.bash(p.arrayScript(), tmp, Map.of());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("SLURM_ARRAY_TASK_ID is ''"), none.err());
        Sh.Result beyond = Sh.bash(p.arrayScript(), tmp, Map.of("SLURM_ARRAY_TASK_ID", "3"));
        assertEquals(2, beyond.code());
        assertTrue(beyond.err().contains("no participant on line 3"), beyond.err());
        assertTrue(Files.notExists(tmp.resolve("calls.txt")), "ketaprint must not run");
    }

    @Test
    void sbatchDirectives() throws Exception {
        BatchSettings s = new BatchSettings();
        s.partition = "short";
        s.account = "lab42";
        s.time = "2-00:00:00";
        s.mem = "8G";
        s.arrayLimit = 20;
        s.sbatchArgs = List.of("--qos=long", "--mail-type=FAIL");
        Path out = tmp.resolve("out");
        String a = BatchScripts.arrayScript(run(out), s, out.resolve("list.txt"), 250);
        List<String> d = a.lines().filter(l -> l.startsWith("#SBATCH ")).map(l -> l.substring(8)).toList();
        String abs = out.toAbsolutePath().toString();
        assertEquals(List.of("--job-name=ketaprint-participant", "--array=1-250%20", "--time=2-00:00:00", "--mem=8G",
            "--cpus-per-task=1", "--ntasks=1", "--partition=short", "--account=lab42",
            "--output=" + abs + "/logs/participant_%A_%a.log", "--chdir=" + abs, "--qos=long", "--mail-type=FAIL"), d);
        // 8G = 8192 MB, heap 75% = 6144 MB
        assertTrue(a.contains("KETAPRINT_JAVA_OPTS:--Xmx6144m"), a);
        String g = BatchScripts.groupScript(run(out), s, List.of("x"));
        assertTrue(g.contains("#SBATCH --output=" + abs + "/logs/group_%j.log"), g);
        assertTrue(g.lines().noneMatch(l -> l.startsWith("#SBATCH --array")), g);
    }

    @Test
    void groupScriptReportsFailuresWithTheResubmitCommand() throws Exception {
        Path out = tmp.resolve("out");
        Path launcher = Sh.script(tmp.resolve("bin/ketaprint"), "mkdir -p " + out + "/group\n"
            + "printf 'participant_id\\tsession_id\\tstage\\tstatus\\treason\\nsub-02\\tses-pre\\t(all)\\tmissing_outputs\\tno complete outputs\\n' > "
            + out + "/group/failures.tsv\nexit 1\n");
        ClusterRun r = new ClusterRun(launcher, Path.of("test-data/demo-bids"), out, Path.of("pipelines/ketamine-response.yaml"),
            List.of(), List.of(), List.of());
        SlurmBatch.Prepared p = new SlurmBatch(r, new BatchSettings()).write(List.of("02"),
            List.of("/opt/ketaprint/bin/ketaprint", "slurm", "a b", "--resubmit-failed"));
        Sh.Result res = Sh.bash(p.groupScript(), tmp, Map.of());
        assertEquals(1, res.code());
        assertTrue(res.out().contains("sub-02\tses-pre\t(all)\tmissing_outputs"), res.out());
        assertTrue(res.out().contains("/opt/ketaprint/bin/ketaprint slurm 'a b' --resubmit-failed"), res.out());
    }

    @Test
    void eachBatchGetsItsOwnFolderAndLogsExist() throws Exception {
        SlurmBatch b = new SlurmBatch(run(tmp.resolve("out")), new BatchSettings());
        SlurmBatch.Prepared p1 = b.write(List.of("01", "02"), List.of());
        SlurmBatch.Prepared p2 = b.write(List.of("03"), List.of());
        assertTrue(!p1.dir().equals(p2.dir()), "a resubmission must not overwrite a list pending tasks still read");
        assertEquals(List.of("01", "02"), Files.readAllLines(p1.participantsList()));
        assertEquals(List.of("03"), Files.readAllLines(p2.participantsList()));
        assertTrue(Files.isDirectory(tmp.resolve("out/logs")), "SLURM does not create the log folder itself");
        assertTrue(!Files.readString(p2.groupScript()).contains("to rerun"), "no resubmit hint without a command");
    }
}
