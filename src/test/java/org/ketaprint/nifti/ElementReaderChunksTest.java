package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ElementReader over more than one buffer (a gzip stream is read 1 MiB at a time), the full-read check at the last
 * element, scaled float32, and uint64 values of 2^63 and above. Issue 15.
 */
class ElementReaderChunksTest {
    static final Path DIR = Path.of("test-data/nifti");

    @TempDir
    Path tmp;

    /** 200 000 float64 voxels (1.6 MB, two gzip buffers) in 4 volumes; voxel i holds i / 2 - 1000, exact. */
    private static final long[] SHAPE = {50, 50, 20, 4};

    private static double value(int i) {
        return i * 0.5 - 1000;
    }

    private Path bigGzip() {
        double[] v = new double[200_000];
        for (int i = 0; i < v.length; i++) v[i] = value(i);
        Path p = tmp.resolve("big.nii.gz");
        NiftiWriter.write(p, NiftiWriter.Spec.of(SHAPE, Affine.identity(), DataType.FLOAT64), v);
        return p;
    }

    @Test
    void readsSpanningSeveralBuffersPutEveryValueInPlace() {
        NiftiImage img = NiftiImage.load(bigGzip());
        double[] d = img.readDouble();
        float[] f = img.readFloat();
        assertEquals(200_000, d.length);
        for (int i = 0; i < d.length; i++) {
            assertEquals(value(i), d[i], 0.0, "double " + i);
            assertEquals((float) value(i), f[i], 0.0f, "float " + i);
        }
        double[] last = img.readVolumeDouble(3);
        for (int i = 0; i < last.length; i++) assertEquals(value(150_000 + i), last[i], 0.0, "volume 3, " + i);
    }

    /** A wrong CRC is found by a full read and by reading the last volume (read on to the end), not by volume 0. */
    @Test
    void theLastElementChecksTheTrailer() throws IOException {
        Path p = bigGzip();
        byte[] b = Files.readAllBytes(p);
        b[b.length - 8] ^= 1;   // CRC32 of the (only) member
        Files.write(p, b);
        NiftiImage img = NiftiImage.load(p);
        NiftiException all = assertThrows(NiftiException.class, img::readDouble);
        assertTrue(all.getMessage().contains("corrupt gzip: CRC mismatch"), all.getMessage());
        NiftiException last = assertThrows(NiftiException.class, () -> img.readVolumeDouble(3));
        assertTrue(last.getMessage().contains("corrupt gzip: CRC mismatch"), last.getMessage());
        assertThrows(NiftiException.class, () -> img.readVolume(3));
        assertEquals(value(7), img.readVolume(0)[7], 0.0, "a partial read stops before the trailer");
    }

    /**
     * The data end in the first member; an empty second member with a wrong CRC follows (cat a.gz empty.gz). Only
     * reading on past the last element (the full-read check) finds it: a full read and a read of the last volume do.
     */
    @Test
    void theLastElementReadsOnThroughLaterMembers() throws IOException {
        Path p = bigGzip();
        byte[] raw = FileChangedAfterLoadTest.Gunzip.inflate(Files.readAllBytes(p));
        byte[] empty = GzipIntegrityTest.gzip(new byte[0], 6);
        empty[empty.length - 8] ^= 1;   // its CRC (0 for no data)
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.writeBytes(GzipIntegrityTest.gzip(raw, 6));
        o.writeBytes(empty);
        Files.write(p, o.toByteArray());
        NiftiImage img = NiftiImage.load(p);
        NiftiException all = assertThrows(NiftiException.class, img::readDouble);
        assertTrue(all.getMessage().contains("corrupt gzip: CRC mismatch in member 2"), all.getMessage());
        NiftiException last = assertThrows(NiftiException.class, () -> img.readVolumeDouble(3));
        assertTrue(last.getMessage().contains("corrupt gzip: CRC mismatch in member 2"), last.getMessage());
        assertEquals((float) value(100_000 + 7), img.readVolume(2)[7], 0.0f, "an earlier volume stops before member 2");
    }

    private Path rewritten(String name, java.util.function.Consumer<ByteBuffer> edit) throws IOException {
        byte[] b = Files.readAllBytes(DIR.resolve(name));
        edit.accept(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    @Test
    void scaledFloat32IsScaled() throws IOException {
        float[] raw = NiftiImage.load(DIR.resolve("dtype_float32.nii")).readFloat();
        Path p = rewritten("dtype_float32.nii", w -> {
            w.putFloat(112, 2f);
            w.putFloat(116, 1f);
        });
        NiftiImage img = NiftiImage.load(p);
        float[] f = img.readFloat();
        double[] d = img.readDouble();
        for (int i = 0; i < raw.length; i++) {
            assertEquals((float) (raw[i] * 2.0 + 1), f[i], 0.0f, "float " + i);
            assertEquals(raw[i] * 2.0 + 1, d[i], 0.0, "double " + i);
        }
    }

    /** uint64 values at and above 2^63 read as the nearest double to the unsigned value. */
    @Test
    void uint64AboveTwoToThe63() throws IOException {
        long[] stored = {-1L, Long.MIN_VALUE, Long.MIN_VALUE + 2, Long.MIN_VALUE + 4097, -4096L, Long.MAX_VALUE, 0, 5};
        Path p = rewritten("dtype_uint64.nii", w -> {
            for (int i = 0; i < stored.length; i++) w.putLong(352 + 8 * i, stored[i]);
        });
        double[] d = NiftiImage.load(p).readDouble();
        for (int i = 0; i < stored.length; i++) {
            double expect = new BigInteger(Long.toUnsignedString(stored[i])).doubleValue();
            assertEquals(expect, d[i], 0.0, "uint64 " + Long.toUnsignedString(stored[i]));
        }
    }
}
