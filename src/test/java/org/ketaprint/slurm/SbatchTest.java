package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** Job id parsing and submission through a fake sbatch that records its arguments. */
class SbatchTest {
    @TempDir
    Path tmp;

    @Test
    void parsesJobIds() {
        assertEquals("123", Sbatch.parseJobId("123\n"));
        assertEquals("4567", Sbatch.parseJobId("4567;cluster2\n"));
        assertEquals("89", Sbatch.parseJobId("Submitted batch job 89\n"));
        assertEquals("77", Sbatch.parseJobId("sbatch: warning: something\n77\n"));
        assertNull(Sbatch.parseJobId(""));
        assertNull(Sbatch.parseJobId("sbatch: error: invalid partition\n"));
        assertNull(Sbatch.parseJobId("12a\n"));
    }

    /** A fake sbatch: appends one line of arguments per call to args.txt and prints the next id (41, 42 ...). */
    Path fakeSbatch() throws Exception {
        Path n = tmp.resolve("n");
        return Sh.script(tmp.resolve("fake/sbatch"), "echo \"$*\" >> " + tmp.resolve("args.txt") + "\n"
            + "n=$(cat " + n + " 2>/dev/null || echo 40); n=$((n+1)); echo $n > " + n + "\n"
            + "echo \"$n;testcluster\"\n");
    }

    SlurmBatch batch(BatchSettings s) throws Exception {
        Path l = Sh.script(tmp.resolve("bin/ketaprint"), "exit 0\n");
        return new SlurmBatch(new ClusterRun(l, Path.of("test-data/demo-bids"), tmp.resolve("out"),
            Path.of("pipelines/ketamine-response.yaml"), List.of(), List.of(), List.of()), s);
    }

    @Test
    void submitsArrayThenGroupWithAfterany() throws Exception {
        SlurmBatch b = batch(new BatchSettings());
        SlurmBatch.Prepared p = b.write(List.of("01", "02"), List.of());
        SlurmBatch.Submitted j = b.submit(p, new Sbatch(fakeSbatch().toString()));
        assertEquals(new SlurmBatch.Submitted("41", "42"), j);
        assertEquals(List.of("--parsable " + p.arrayScript(), "--parsable --dependency=afterany:41 " + p.groupScript()),
            Files.readAllLines(tmp.resolve("args.txt")));
        assertEquals(List.of("step\tjob_id", "participant\t41", "group\t42"), Files.readAllLines(p.dir().resolve("jobs.tsv")));
    }

    @Test
    void afterokKillsTheGroupStepOnAFailedTask() throws Exception {
        BatchSettings s = new BatchSettings();
        s.dependency = BatchSettings.Dependency.AFTEROK;
        SlurmBatch b = batch(s);
        SlurmBatch.Prepared p = b.write(List.of("01"), List.of());
        b.submit(p, new Sbatch(fakeSbatch().toString()));
        assertEquals("--parsable --dependency=afterok:41 --kill-on-invalid-dep=yes " + p.groupScript(),
            Files.readAllLines(tmp.resolve("args.txt")).get(1));
    }

    @Test
    void sbatchErrorIsOneLineNamingTheScript() throws Exception {
        Path bad = Sh.script(tmp.resolve("fake/sbatch"),
            "echo 'sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified' >&2\nexit 1\n");
        SlurmBatch b = batch(new BatchSettings());
        SlurmBatch.Prepared p = b.write(List.of("01"), List.of());
        KetaprintException e = assertThrows(KetaprintException.class, () -> b.submit(p, new Sbatch(bad.toString())));
        assertTrue(e.getMessage().startsWith(p.arrayScript() + ": sbatch failed (exit 1): sbatch: error: Batch job submission failed: Invalid account"),
            e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void missingSbatchIsAClearError() throws Exception {
        SlurmBatch b = batch(new BatchSettings());
        SlurmBatch.Prepared p = b.write(List.of("01"), List.of());
        KetaprintException e = assertThrows(KetaprintException.class,
            () -> b.submit(p, new Sbatch(tmp.resolve("no/sbatch").toString())));
        assertTrue(e.getMessage().contains("is SLURM installed"), e.getMessage());
    }
}
