package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketaprint.KetaprintException;

/**
 * Issue 16, map writing: the block-parallel gzip is one valid member that java.util.zip.GZIPInputStream and the
 * project's own reader ({@link GzipInput}, {@link Images#open}) inflate to exactly the bytes of an uncompressed
 * write, for 0, 1, just under/at/over one block and several blocks, a 4D image, levels 1 and 9 and none, and
 * whatever the thread count.
 */
class ParallelGzipTest {
    private static final int B = ParallelGzip.BLOCK;
    private static ExecutorService pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    /** Half smooth (compressible), half random bytes, so blocks deflate to very different sizes. */
    static byte[] data(int n) {
        byte[] b = new byte[n];
        Random r = new Random(n);
        for (int i = 0; i < n; i++) b[i] = i % 3000 < 1500 ? (byte) (i / 700) : (byte) r.nextInt();
        return b;
    }

    static byte[] gzip(byte[] raw, int level, ExecutorService on, int threads, boolean byteByByte) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ParallelGzip gz = new ParallelGzip(bo, level, on, threads)) {
            if (byteByByte) {
                for (byte x : raw) gz.write(x);
            } else {
                for (int off = 0; off < raw.length; off += 100_003) gz.write(raw, off, Math.min(100_003, raw.length - off));
            }
        }
        return bo.toByteArray();
    }

    static byte[] javaGunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static byte[] ownGunzip(byte[] gz) throws IOException {
        try (InputStream in = new GzipInput(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2 * 1024, B - 1, B, B + 1, 2 * B, 5 * B + 12_345})
    void streamInflatesToItsInput(int n) throws IOException {
        byte[] raw = data(n);
        for (int level : new int[] {1, 6, 9}) {
            byte[] pooled = gzip(raw, level, pool, 3, false);
            assertArrayEquals(raw, javaGunzip(pooled), "GZIPInputStream, level " + level + ", " + n + " bytes");
            assertArrayEquals(raw, ownGunzip(pooled), "GzipInput, level " + level + ", " + n + " bytes");
            assertArrayEquals(pooled, gzip(raw, level, null, 1, false), "same bytes on one thread, level " + level);
        }
    }

    @Test
    void oneMemberWithItsTrailer() throws IOException {
        byte[] raw = data(3 * B + 7);
        byte[] gz = gzip(raw, 9, pool, 3, false);
        assertEquals(0x1f, gz[0] & 0xff);
        assertEquals(0x8b, gz[1] & 0xff);
        assertEquals(8, gz[2]);
        assertEquals(0, gz[3], "no flags");
        assertEquals(2, gz[8], "XFL 2 for level 9");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(raw);
        java.nio.ByteBuffer t = java.nio.ByteBuffer.wrap(gz, gz.length - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals((int) crc.getValue(), t.getInt());
        assertEquals(raw.length, t.getInt());
        // one member: the deflate stream ends exactly before the trailer
        java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
        inf.setInput(gz, 10, gz.length - 10);
        byte[] back = new byte[raw.length + 1];
        try {
            assertEquals(raw.length, inf.inflate(back));
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        }
        assertTrue(inf.finished());
        assertEquals(8, inf.getRemaining());
        inf.end();
    }

    @Test
    void byteByByteWritesAndDictionaryPriming() throws IOException {
        byte[] raw = new byte[2 * B + 10];
        for (int i = 0; i < raw.length; i++) raw[i] = (byte) (i % 97 == 0 ? i / 97 : i % 13);
        byte[] gz = gzip(raw, 6, pool, 2, true);
        assertArrayEquals(raw, javaGunzip(gz));
        assertArrayEquals(gz, gzip(raw, 6, pool, 2, false));
    }

    @Test
    void sharedPoolWritesToo() throws IOException {
        byte[] raw = data(4 * B);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ParallelGzip gz = new ParallelGzip(bo, 1)) {
            gz.write(raw);
        }
        assertArrayEquals(raw, ownGunzip(bo.toByteArray()));
        assertTrue(ParallelGzip.threads() >= 1);
    }

    @Test
    void writeAfterCloseFails() throws IOException {
        ParallelGzip gz = new ParallelGzip(new ByteArrayOutputStream(), 6, null, 1);
        gz.close();
        gz.close();
        assertThrows(IOException.class, () -> gz.write(1));
    }

    /** A float32 image of {@code voxels} values over {@code shape}: zero outside a ball, smooth inside. */
    static float[] map(long[] shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        long nx = shape[0], ny = shape.length > 1 ? shape[1] : 1;
        for (int i = 0; i < n; i++) {
            double x = i % nx - nx / 2.0, y = (i / nx) % ny - ny / 2.0;
            v[i] = x * x + y * y < nx * nx / 5.0 ? (float) (0.3 + 0.2 * Math.sin(0.1 * x) * Math.cos(0.07 * y) + i * 1e-7) : 0f;
        }
        return v;
    }

    /** Files (352-byte header + float32 data) of one voxel, one block - 4, + 0, + 8 bytes, several blocks, 4D. */
    static long[][] shapes() {
        assertEquals(65448, (B - 352) / 4);
        return new long[][] {{1}, {9349, 7}, {808, 81}, {1309, 50}, {64, 64, 40}, {40, 30, 20, 7}};
    }

    @Test
    void imagesReadBackAsTheUncompressedWrite() throws IOException {
        for (long[] shape : shapes()) {
            float[] v = map(shape);
            Path nii = tmp.resolve("plain.nii");
            NiftiWriter.write(nii, NiftiWriter.Spec.of(shape, Affine.identity(), DataType.FLOAT32), v);
            byte[] plain = Files.readAllBytes(nii);
            for (Compression c : new Compression[] {Compression.parse("1"), Compression.parse("9"), Compression.NONE}) {
                Path f = c.file(tmp.resolve("map-" + c).toString());
                NiftiWriter.write(f, NiftiWriter.Spec.of(shape, Affine.identity(), DataType.FLOAT32).compression(c), v);
                byte[] bytes = Files.readAllBytes(f);
                String what = java.util.Arrays.toString(shape) + " compression " + c;
                if (c.gzip()) {
                    assertArrayEquals(plain, javaGunzip(bytes), what);
                    assertArrayEquals(plain, ownGunzip(bytes), what);
                } else {
                    assertArrayEquals(plain, bytes, what);
                }
                Image img = Images.open(f);
                assertArrayEquals(shape, img.shape(), what);
                float[] back = new float[v.length];
                int vol = v.length / (int) img.volumes();
                for (int t = 0; t < img.volumes(); t++) System.arraycopy(img.readVolume(t), 0, back, t * vol, vol);
                assertArrayEquals(v, back, what);
            }
        }
    }

    @Test
    void compressionValues() {
        assertEquals(Compression.NONE, Compression.parse("none"));
        assertEquals(Compression.NONE, Compression.parse(" NONE "));
        assertEquals(1, Compression.parse("1").level());
        assertEquals(9, Compression.parse("9").level());
        for (String bad : new String[] {"0", "10", "11", "-1", "", "fast", "6.0", "1e0", null}) {
            KetaprintException e = assertThrows(KetaprintException.class, () -> Compression.parse(bad), bad);
            assertTrue(e.getMessage().contains("gzip level 1 to 9") && e.getMessage().contains("none"), e.getMessage());
        }
        assertEquals(".nii.gz", Compression.DEFAULT.extension());
        assertEquals(".nii", Compression.NONE.extension());
        assertEquals("none", Compression.NONE.toString());
        assertEquals("1", Compression.DEFAULT.toString());
        assertEquals(Path.of("a_FA.nii"), Compression.NONE.file("a_FA"));
    }
}
