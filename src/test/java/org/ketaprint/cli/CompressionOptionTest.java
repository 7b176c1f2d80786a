package org.ketaprint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: --compression on the commands that write NIfTI (one mixin, one parser): a level for .nii.gz, none for
 * .nii (file names from a prefix follow it), a bad value or a contradicting output name a one-line error (exit 2).
 */
class CompressionOptionTest {
    static final Path DWI = Path.of("test-data/diffusion/small_25");
    static final Path SRC = Path.of("test-data/diffusion/roi_fa.nii.gz");

    @TempDir
    Path tmp;

    static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    @Test
    void convertTakesTheLevelAndChecksTheName() throws IOException {
        Path plain = tmp.resolve("fa.nii");
        assertEquals(0, Cli.run("convert", SRC.toString(), plain.toString()).code);
        for (String level : new String[] {"1", "9"}) {
            Path gz = tmp.resolve("fa" + level + ".nii.gz");
            Cli c = Cli.run("convert", SRC.toString(), gz.toString(), "--compression", level);
            assertEquals(0, c.code, c.err);
            assertArrayEquals(Files.readAllBytes(plain), gunzip(gz));
        }
        assertTrue(Files.size(tmp.resolve("fa9.nii.gz")) <= Files.size(tmp.resolve("fa1.nii.gz")));
        Cli none = Cli.run("convert", SRC.toString(), tmp.resolve("n.nii").toString(), "--compression", "none");
        assertEquals(0, none.code, none.err);
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(tmp.resolve("n.nii")));
        Cli bad = Cli.run("convert", SRC.toString(), tmp.resolve("x.nii.gz").toString(), "--compression", "none");
        assertEquals(2, bad.code);
        assertTrue(bad.err.strip().endsWith("--compression none writes uncompressed .nii: name the output .nii"), bad.err);
        bad = Cli.run("convert", SRC.toString(), tmp.resolve("x.nii").toString(), "--compression", "9");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("--compression 9 gzips: name the output .nii.gz"), bad.err);
        assertFalse(Files.exists(tmp.resolve("x.nii")));
    }

    @Test
    void dtiWritesNiiWithNone() {
        String pre = tmp.resolve("d").toString();
        Cli c = Cli.run("dti", DWI + ".nii.gz", "--bval", DWI + ".bval", "--bvec", DWI + ".bvec", "--out", pre,
            "--compression", "none", "--write-maps", "true");
        assertEquals(0, c.code, c.err);
        for (String m : new String[] {"FA", "MD", "AD", "RD", "V1", "S0", "mask"}) {
            assertTrue(Files.isRegularFile(Path.of(pre + "_" + m + ".nii")), m);
            byte[] head = readHead(Path.of(pre + "_" + m + ".nii"));
            assertFalse(head[0] == (byte) 0x1f && head[1] == (byte) 0x8b, m + ": gzip bytes in a .nii");
            assertEquals(348, java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(), m + ": sizeof_hdr");
            assertFalse(Files.exists(Path.of(pre + "_" + m + ".nii.gz")), m);
        }
    }

    @Test
    void badValuesAreOneLine() {
        String[][] lines = {
            {"dti", DWI + ".nii.gz", "--bval", DWI + ".bval", "--bvec", DWI + ".bvec", "--out", tmp.resolve("d").toString()},
            {"convert", SRC.toString(), tmp.resolve("c.nii.gz").toString()},
            {"apply-transform", SRC.toString(), "-r", SRC.toString(), "-o", tmp.resolve("a.nii.gz").toString()},
            {"run", "test-data/demo-bids", tmp.resolve("out").toString(), "participant"}};
        for (String[] line : lines) {
            String[] args = java.util.Arrays.copyOf(line, line.length + 2);
            args[line.length] = "--compression";
            args[line.length + 1] = "11";
            Cli c = Cli.run(args);
            assertEquals(2, c.code, line[0] + ": " + c.err);
            assertEquals("ketaprint: --compression: '11' is not a gzip level 1 to 9 (1 fastest, 9 smallest) nor none"
                + " (uncompressed .nii)", c.err.strip(), line[0]);
        }
        assertFalse(Files.exists(tmp.resolve("d_FA.nii.gz")));
    }

    @Test
    void everyMapWritingCommandHasTheOption() {
        for (String cmd : new String[] {"run", "dti", "alff", "seedcorr", "gbc", "convert", "apply-transform"}) {
            Cli c = Cli.run(cmd, "-h");
            assertTrue(c.out.contains("--compression=1-9|none"), cmd + ": " + c.out);
        }
    }

    private static byte[] readHead(Path f) {
        try (java.io.InputStream in = Files.newInputStream(f)) {
            return in.readNBytes(4);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
