package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Main;

/**
 * Issue 14, gzip: every member's CRC32 and ISIZE are checked by a full read (NIfTI and MGZ), so a flipped bit, a
 * missing or truncated trailer, a wrong ISIZE or trailing garbage is one line naming the file, never other values;
 * multi-member files still read. The files are made here from a small label image.
 */
class GzipIntegrityTest {
    @TempDir
    Path tmp;

    /** gzip of {@code raw} as one member, at a deflate level (0 = stored blocks: the data appear as they are). */
    static byte[] gzip(byte[] raw, int level) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo, 1 << 17) {   // stored blocks of up to 64 KB
            {
                def.setLevel(level);
            }
        }) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bo.toByteArray();
    }

    /** {@code raw} as several gzip members, split at the given offsets (as pigz or cat a.gz b.gz make them). */
    static byte[] members(byte[] raw, int... cuts) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : raw.length;
            bo.writeBytes(gzip(Arrays.copyOfRange(raw, from, to), Deflater.DEFAULT_COMPRESSION));
            from = to;
        }
        return bo.toByteArray();
    }

    static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    /** A 16^3 uint8 label image, background 0, a block of 17 (Left-Hippocampus) and one of 53, as .nii bytes. */
    byte[] labelNii() throws IOException {
        double[] v = new double[16 * 16 * 16];
        for (int z = 4; z < 12; z++) {
            for (int y = 4; y < 12; y++) {
                for (int x = 2; x < 8; x++) v[x + 16 * (y + 16 * z)] = 17;
                for (int x = 9; x < 14; x++) v[x + 16 * (y + 16 * z)] = 53;
            }
        }
        Path p = tmp.resolve("labels-src.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {16, 16, 16}, Affine.identity(), DataType.UINT8), v);
        return Files.readAllBytes(p);
    }

    /** A 4D float32 series 8x8x8x5 as .nii bytes. */
    byte[] seriesNii() throws IOException {
        float[] v = new float[8 * 8 * 8 * 5];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.37) * 100 + i % 7;
        Path p = tmp.resolve("series-src.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {8, 8, 8, 5}, Affine.identity(), DataType.FLOAT32), v);
        return Files.readAllBytes(p);
    }

    /** A small 3x3x3x2 int16 image as .nii bytes (about 150 bytes gzipped: every bit of it is flipped below). */
    byte[] tinyNii() throws IOException {
        double[] v = new double[3 * 3 * 3 * 2];
        for (int i = 0; i < v.length; i++) v[i] = (i * 7919) % 1000 - 300;
        Path p = tmp.resolve("tiny-src.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {3, 3, 3, 2}, Affine.identity(), DataType.INT16), v);
        return Files.readAllBytes(p);
    }

    Path put(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** Runs the CLI: {exit code, stdout, stderr}. */
    static String[] cli(String... args) {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            rc = Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new String[] {String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /** Exit 2 and one stderr line naming the file and saying each word, no stack trace. */
    static void assertOneLine(String[] r, Path file, String... words) {
        String err = r[2];
        assertEquals("2", r[0], "exit code; stdout: " + r[1] + " stderr: " + err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line on stderr:\n" + err);
        String line = lines.get(0);
        assertTrue(line.startsWith("ketaprint: " + file), "names the file: " + line);
        for (String w : words) assertTrue(line.contains(w), "says '" + w + "': " + line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), line);
    }

    @Test
    void multiMemberNiftiReadsLikeOneMember() throws IOException {
        byte[] raw = seriesNii();
        Path one = put("one.nii.gz", gzip(raw, 6));
        // a member ending inside the header, one inside a volume, an empty one, and a small last one (its ISIZE is
        // not the file's size, so load() counts the bytes)
        Path many = put("many.nii.gz", members(raw, 100, 2000, 2000, raw.length - 40));
        NiftiImage a = NiftiImage.load(one);
        NiftiImage b = NiftiImage.load(many);
        assertArrayEquals(a.readDouble(), b.readDouble());
        for (long t = 0; t < a.volumes(); t++) assertArrayEquals(a.readVolume(t), b.readVolume(t));
        assertEquals(a.stats().sum(), b.stats().sum());
        String[] ra = cli("info", "--stats", "--json", one.toString());
        String[] rb = cli("info", "--stats", "--json", many.toString());
        assertEquals("0", rb[0], rb[2]);
        assertEquals(ra[1].replace(one.toString(), "F"), rb[1].replace(many.toString(), "F"));
        // zero bytes after the last member are padding (gzip -d and Python's gzip accept them)
        byte[] padded = Arrays.copyOf(Files.readAllBytes(many), (int) Files.size(many) + 512);
        assertArrayEquals(a.readDouble(), NiftiImage.load(put("padded.nii.gz", padded)).readDouble());
    }

    @Test
    void multiMemberMgzReads() throws IOException {
        // short.mgz: data then footer and tags; as three members, the last (the tags) far smaller than the data,
        // which the old trailer check took for short data
        Path src = MghReadTest.DIR.resolve("short.mgz");
        byte[] raw = gunzip(src);
        Path many = put("many.mgz", members(raw, 90, raw.length / 2, raw.length - 20));
        Image a = Images.open(src);
        Image b = Images.open(many);
        for (long t = 0; t < a.volumes(); t++) assertArrayEquals(a.readVolumeDouble(t), b.readVolumeDouble(t));
        assertArrayEquals(((MghImage) a).footer(), ((MghImage) b).footer());
        String[] r = cli("info", "--stats", many.toString());
        assertEquals("0", r[0], r[2]);
    }

    @Test
    void flippedBitInTheDataIsAnErrorNotAnotherLabel() throws IOException {
        byte[] raw = labelNii();
        byte[] gz = gzip(raw, Deflater.NO_COMPRESSION);   // stored: the voxel bytes are in the file as they are
        Path good = put("aseg.nii.gz", gz);
        String[] ok = cli("volumes", good.toString());
        assertEquals("0", ok[0], ok[2]);
        assertFalse(ok[1].contains("Brain-Stem"), ok[1]);
        int at = -1;
        for (int i = 20; i < gz.length - 8; i++) {
            if (gz[i] == 17) {
                at = i;
                break;
            }
        }
        assertTrue(at > 0);
        byte[] bad = gz.clone();
        bad[at] ^= 1;   // 17 Left-Hippocampus -> 16 Brain-Stem
        Path p = put("aseg_flipped.nii.gz", bad);
        assertOneLine(cli("volumes", p.toString()), p, "corrupt gzip: CRC mismatch");
        assertOneLine(cli("info", "--stats", p.toString()), p, "corrupt gzip: CRC mismatch");
        assertOneLine(cli("convert", p.toString(), tmp.resolve("o.nii").toString()), p, "corrupt gzip: CRC mismatch");
        KetaprintException e = assertThrows(KetaprintException.class, () -> NiftiImage.load(p).readVolumeDouble(0));
        assertTrue(e.getMessage().startsWith(p + ": corrupt gzip: CRC mismatch"), e.getMessage());
    }

    /**
     * Every single-bit flip of a compressed image: a full read either fails with one line naming the file, or gives
     * exactly the original data (bits gzip does not protect: MTIME, XFL, OS, FTEXT, padding after the last block).
     * A flip in the trailer (CRC32, ISIZE) is always an error.
     */
    @Test
    void everyBitFlipIsCaughtOrHarmless() throws IOException {
        byte[] raw = tinyNii();
        byte[] gz = gzip(raw, 6);
        double[] want = NiftiImage.load(put("clean.nii.gz", gz)).readDouble();
        Path p = tmp.resolve("flip.nii.gz");
        int caught = 0;
        for (int bit = 16; bit < gz.length * 8; bit++) {   // from byte 2 on: a flipped magic is "not gzip"
            byte[] b = gz.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(p, b);
            double[] got;
            try {
                got = NiftiImage.load(p).readDouble();
            } catch (KetaprintException e) {
                assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                caught++;
                continue;
            }
            assertTrue(bit / 8 < gz.length - 8, "a flip of trailer bit " + bit + " went unnoticed");
            assertArrayEquals(want, got, "bit " + bit + " of " + gz.length * 8 + " changed the data unnoticed");
        }
        assertTrue(caught > (gz.length - 20) * 8 * 9 / 10, caught + " of " + gz.length * 8 + " flips caught");
    }

    @Test
    void missingOrTruncatedTrailerWrongIsizeOrCrcAndGarbageAreErrors() throws IOException {
        byte[] gz = gzip(seriesNii(), 6);
        int n = gz.length;
        Path missing = put("missing_trailer.nii.gz", Arrays.copyOf(gz, n - 8));
        Path truncated = put("truncated_trailer.nii.gz", Arrays.copyOf(gz, n - 3));
        byte[] isize = gz.clone();
        isize[n - 4] ^= 0x10;
        Path wrongSize = put("wrong_isize.nii.gz", isize);
        byte[] crc = gz.clone();
        crc[n - 8] ^= 0x01;
        Path wrongCrc = put("wrong_crc.nii.gz", crc);
        byte[] garbage = Arrays.copyOf(gz, n + 5);
        System.arraycopy("junk\n".getBytes(StandardCharsets.US_ASCII), 0, garbage, n, 5);
        Path trailing = put("trailing_garbage.nii.gz", garbage);
        Object[][] cases = {
            {missing, "corrupt gzip: missing trailer"}, {truncated, "corrupt gzip: truncated trailer"},
            {wrongSize, "corrupt gzip: ISIZE mismatch"}, {wrongCrc, "corrupt gzip: CRC mismatch"},
            {trailing, "corrupt gzip: bytes after the end of member 1"}};
        for (Object[] c : cases) {
            Path p = (Path) c[0];
            assertOneLine(cli("info", "--stats", p.toString()), p, (String) c[1]);
            assertOneLine(cli("convert", p.toString(), tmp.resolve("out.nii").toString()), p, (String) c[1]);
            KetaprintException e = assertThrows(KetaprintException.class, () -> NiftiImage.load(p).readFloat());
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }

    @Test
    void partialReadsStopEarlyFullReadsCheck() throws IOException {
        byte[] gz = gzip(seriesNii(), 6);
        gz[gz.length - 8] ^= 0x01;   // CRC
        Path p = put("series_bad_crc.nii.gz", gz);
        NiftiImage img = NiftiImage.load(p);                 // header only: cannot know
        assertEquals(5, img.volumes());
        img.readVolume(0);                                    // one volume of a 4D file: the stream stops after it
        assertThrows(NiftiException.class, () -> img.readVolume(4));   // the last volume reads to the end
        assertThrows(NiftiException.class, () -> img.forEachVolume((t, v) -> { }));
        assertThrows(NiftiException.class, () -> img.readMasked(new int[] {0, 5}));
        assertThrows(NiftiException.class, img::stats);
        assertThrows(NiftiException.class, () -> img.forEachVolumeDouble((t, v) -> { }));
        assertEquals("0", cli("info", p.toString())[0], "header-only info reads no data");
    }

    @Test
    void corruptMgzIsAnError() throws IOException {
        byte[] raw = gunzip(MghReadTest.DIR.resolve("labels_oblique.mgz"));   // 3D int16 labels
        byte[] gz = gzip(raw, Deflater.NO_COMPRESSION);
        gz[10 + 5 + 284 + 2001] ^= 0x04;   // a data byte: gzip header, stored block header, MGH header, data
        Path p = put("flipped.mgz", gz);
        KetaprintException e = assertThrows(KetaprintException.class, () -> Images.open(p).readVolumeDouble(0));
        assertTrue(e.getMessage().startsWith(p + ": corrupt gzip: CRC mismatch"), e.getMessage());
        assertOneLine(cli("info", "--stats", p.toString()), p, "corrupt gzip: CRC mismatch");
        assertOneLine(cli("convert", p.toString(), tmp.resolve("o.nii.gz").toString()), p, "corrupt gzip: CRC mismatch");
        byte[] cut = gzip(raw, 6);
        Path q = put("no_trailer.mgz", Arrays.copyOf(cut, cut.length - 8));
        assertOneLine(cli("volumes", q.toString()), q, "corrupt gzip: missing trailer");
    }

    @Test
    void gzipInputChecksEveryMemberAndSkips() throws IOException {
        byte[] raw = new byte[300_000];
        for (int i = 0; i < raw.length; i++) raw[i] = (byte) (i * 31 % 251);
        byte[] many = members(raw, 1, 70_000, 70_000, 200_000);
        try (GzipInput in = new GzipInput(new java.io.ByteArrayInputStream(many))) {
            assertEquals(raw[0] & 0xff, in.read());
            assertEquals(150_000, in.skip(150_000));
            byte[] rest = in.readAllBytes();
            assertArrayEquals(Arrays.copyOfRange(raw, 150_001, raw.length), rest);
            assertEquals(-1, in.read());
        }
        byte[] bad = many.clone();
        bad[bad.length - 5] ^= 1;   // the last member's CRC
        try (GzipInput in = new GzipInput(new java.io.ByteArrayInputStream(bad))) {
            assertEquals(200_000, in.readNBytes(200_000).length);
            IOException e = assertThrows(IOException.class, in::verifyRest);
            assertTrue(e.getMessage().startsWith("corrupt gzip: CRC mismatch in member 5 (trailer "), e.getMessage());
        }
        // FNAME, FCOMMENT, FEXTRA and FHCRC headers (as gzip -N, or some writers, make them)
        byte[] body = Arrays.copyOfRange(gzip(raw, 6), 10, gzip(raw, 6).length);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        h.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        h.writeBytes("name.nii\0".getBytes(StandardCharsets.US_ASCII));
        h.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(h.toByteArray());
        h.write((int) c.getValue() & 0xff);
        h.write((int) (c.getValue() >> 8) & 0xff);
        h.writeBytes(body);
        try (GzipInput in = new GzipInput(new java.io.ByteArrayInputStream(h.toByteArray()))) {
            assertArrayEquals(raw, in.readAllBytes());
        }
    }
}
