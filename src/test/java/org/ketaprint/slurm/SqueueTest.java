package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs still queued in an output folder: parsing, and the refusal to resubmit over them. */
class SqueueTest {
    @TempDir
    Path tmp;

    @Test
    void parsesIdsOfJobsInTheFolder() {
        Path out = tmp.resolve("out");
        String sq = "101|" + out + "\n102|" + out + "/\n101|" + out + "\n200|/elsewhere\n|\ngarbage\n";
        assertEquals(List.of("101", "102"), Squeue.parse(sq, out));
        assertEquals(List.of(), Squeue.parse("", out));
    }

    @Test
    void missingSqueueMeansNoJobs() {
        assertEquals(List.of(), Squeue.jobsIn(tmp.resolve("none/squeue").toString(), tmp));
        assertEquals(tmp.resolve("squeue").toString(), Squeue.besides(tmp.resolve("sbatch").toString()));
        assertEquals("squeue", Squeue.besides("sbatch"));
    }

    @Test
    void resubmitOverQueuedJobsIsRefused() throws Exception {
        Path out = tmp.resolve("out");
        Sh.script(tmp.resolve("fake/squeue"), "echo '77|" + out + "'\n");
        Path sb = Sh.script(tmp.resolve("fake/sbatch"), "echo 1\n");
        Path l = Sh.script(tmp.resolve("bin/ketaprint"), "exit 0\n");
        SlurmCommandTest.Run r = SlurmCommandTest.run("slurm", "test-data/demo-bids", out.toString(), "--resubmit-failed",
            "--submit", "--sbatch", sb.toString(), "--ketaprint", l.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("jobs 77 are still queued or running"), r.err());
        r = SlurmCommandTest.run("slurm", "test-data/demo-bids", out.toString(), "--submit", "--sbatch", sb.toString(),
            "--ketaprint", l.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: jobs 77"), r.err());
    }
}
