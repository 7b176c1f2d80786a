package org.ketaprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.cli.Main;
import org.ketaprint.diffusion.Gradients;
import org.ketaprint.nifti.Images;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.restingstate.Confounds;
import org.ketaprint.spaces.TransformReader;
import org.ketaprint.structural.AsegStats;
import org.ketaprint.table.Table;

/**
 * Issue 14, special files: a FIFO, device or directory given where a file is read is refused before anything opens
 * it (a FIFO used to block every image command for ever), with one line naming it; links to regular files still
 * read. Each case runs under a timeout, so a hang fails instead of stalling the build.
 */
class SpecialFilesTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    /** A FIFO at {@code name}, or the test is skipped where mkfifo is missing. */
    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = tmp.resolve(name);
        int rc;
        try {
            rc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            rc = -1;
        }
        assumeTrue(rc == 0 && Files.exists(p), "no mkfifo on this system");
        return p;
    }

    /** Runs the CLI under the time limit: {exit code, stderr}. */
    private static Object[] cli(String... args) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            PrintStream oldErr = System.err, oldOut = System.out;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                rc = Main.run(args);
            } finally {
                System.setErr(oldErr);
                System.setOut(oldOut);
            }
            return new Object[] {rc, err.toString(StandardCharsets.UTF_8)};
        }, "hangs: " + String.join(" ", args));
    }

    private static void assertRefused(Object[] r, Path p, String what) {
        String err = (String) r[1];
        assertEquals(2, r[0], err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("ketaprint: " + p + ": " + what), lines.get(0));
    }

    /** The reader throws "p: what..." within the time limit. */
    private static void assertThrowsNaming(Path p, String what, Executable read) {
        KetaprintException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(KetaprintException.class, read),
            "hangs on " + p);
        assertTrue(e.getMessage().startsWith(p + ": " + what), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void fifoAsImageIsRefusedByEveryImageCommand() throws Exception {
        Path f = fifo("bold.nii.gz");
        Path good = Path.of("test-data", "nifti", "dtype_uint8.nii");
        String fifo = "is a FIFO, device or socket, not a regular file";
        assertRefused(cli("info", f.toString()), f, fifo);
        assertRefused(cli("info", "--stats", f.toString()), f, fifo);
        assertRefused(cli("convert", f.toString(), tmp.resolve("o.nii").toString()), f, fifo);
        assertRefused(cli("volumes", f.toString()), f, fifo);
        assertRefused(cli("roistats", f.toString(), "--atlas", good.toString()), f, fifo);
        assertRefused(cli("roistats", good.toString(), "--atlas", f.toString()), f, fifo);
        assertRefused(cli("bench-read", f.toString()), f, fifo);
        String d = "test-data/diffusion/small_25";
        assertRefused(cli("bench-mask", f.toString(), "--bval", d + ".bval", "--bvec", d + ".bvec"), f, fifo);
        assertRefused(cli("apply-transform", f.toString(), "-r", good.toString(), "-o", tmp.resolve("a.nii").toString()), f, fifo);
        Path m = fifo("aseg.mgz");
        assertRefused(cli("volumes", m.toString()), m, fifo);
        // an Analyze/NIfTI pair whose .img is a FIFO
        Files.copy(Path.of("test-data", "nifti", "pair_nifti1.hdr"), tmp.resolve("pair.hdr"));
        Path img = fifo("pair.img");
        assertRefused(cli("info", "--stats", tmp.resolve("pair.hdr").toString()), img, fifo);
    }

    @Test
    void directoriesAndLinks() throws Exception {
        Path d = Files.createDirectory(tmp.resolve("t1w.nii"));
        assertRefused(cli("info", d.toString()), d, "is a directory, not an image file");
        Path src = Files.copy(Path.of("test-data", "nifti", "dtype_uint8.nii"), tmp.resolve("real.nii"));
        Path link = tmp.resolve("link.nii");
        try {
            Files.createSymbolicLink(link, src);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here");
        }
        assertEquals(0, cli("info", "--stats", link.toString())[0]);   // links are followed
        Path f = fifo("pipe");
        Path toFifo = Files.createSymbolicLink(tmp.resolve("pipe.nii"), f);
        assertRefused(cli("info", toFifo.toString()), toFifo, "is a FIFO");
        Path broken = Files.createSymbolicLink(tmp.resolve("broken.nii"), tmp.resolve("gone.nii"));
        assertRefused(cli("info", broken.toString()), broken, "broken symbolic link");
        assertThrowsNaming(d, "is a directory", () -> LabelTable.read(d));
        assertThrowsNaming(d, "is a directory", () -> Table.read(d));
    }

    @Test
    void fifoAsAnyOtherInputFileIsRefused() throws Exception {
        String fifo = "is a FIFO, device or socket, not a regular file";
        Path f = fifo("input.txt");
        assertThrowsNaming(f, fifo, () -> Confounds.read(f));
        assertThrowsNaming(f, fifo, () -> Gradients.read(f, f, null));
        assertThrowsNaming(f, fifo, () -> LabelTable.read(f));
        assertThrowsNaming(f, fifo, () -> TransformReader.read(f));
        assertThrowsNaming(f, fifo, () -> PipelineSpec.load(f));
        assertThrowsNaming(f, fifo, () -> Table.read(f));
        assertThrowsNaming(f, fifo, () -> AsegStats.read(f));
        assertThrowsNaming(f, fifo, () -> Images.open(f));
        assertRefused(cli("transform-point", "--points", f.toString(), "-t",
            Path.of("test-data", "nifti", "dtype_uint8.nii").toString()), f, fifo);
    }
}
