package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MGH files built here from the format (big-endian 284-byte header, data, optional footer TR/flip/TE/TI and tags):
 * dimension checks, exact sizes, TR 0, the frame range, volumes larger than the 1 MB read buffer, and the gzip
 * checks of .mgz (size at load, CRC when the footer is read). Issue 15.
 */
class MghLimitsTest {
    @TempDir
    Path tmp;

    /** Header + data (value(i) per voxel) + footer (null: none) + {@code tags} zero bytes. */
    private static byte[] mgh(int[] dims, int type, int dof, float[] footer, int tags) {
        int bpv = type == 0 ? 1 : type == 4 ? 2 : 4;
        long n = (long) dims[0] * dims[1] * dims[2] * dims[3];
        ByteBuffer b = ByteBuffer.allocate((int) (284 + n * bpv + (footer == null ? 0 : 16) + tags));
        b.putInt(1);
        for (int d : dims) b.putInt(d);
        b.putInt(type);
        b.putInt(dof);
        b.putShort((short) 0);
        b.position(284);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case 0 -> b.put((byte) (i % 251));
                case 1 -> b.putInt(i - 5);
                case 3 -> b.putFloat(i * 0.25f);
                default -> b.putShort((short) (i % 3000 - 7));
            }
        }
        if (footer != null) for (float f : footer) b.putFloat(f);
        return b.array();
    }

    private Path save(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        if (name.endsWith(".mgz")) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                gz.write(b);
            }
            b = bo.toByteArray();
        }
        Files.write(p, b);
        return p;
    }

    @Test
    void everyDimensionMustBePositive() throws IOException {
        for (int k = 0; k < 4; k++) {
            int[] dims = {2, 2, 2, 1};
            dims[k] = 0;
            Path p = save("zero" + k + ".mgh", mgh(new int[] {2, 2, 2, 1}, 0, 0, null, 0));
            byte[] b = Files.readAllBytes(p);
            ByteBuffer.wrap(b).putInt(4 + 4 * k, 0);
            Files.write(p, b);
            NiftiException e = assertThrows(NiftiException.class, () -> MghImage.load(p));
            assertTrue(e.getMessage().endsWith("bad MGH dimensions " + Arrays.toString(dims)), e.getMessage());
        }
    }

    @Test
    void exactSizeWithoutFooterReads() throws IOException {
        Path p = save("exact.mgh", mgh(new int[] {2, 3, 2, 1}, 0, 7, null, 0));
        assertEquals(284 + 12, Files.size(p));
        MghImage m = MghImage.load(p);
        double[] v = m.readVolumeDouble(0);
        for (int i = 0; i < 12; i++) assertEquals(i, v[i], 0.0);
        assertEquals(0, m.typeCode());
        assertEquals(7, m.dof());
        assertFalse(m.floatingPoint());
        assertArrayEquals(new double[4], m.footer(), 0.0);
        assertTrue(Double.isNaN(m.repetitionTime()));
        Path short1 = save("short.mgh", Arrays.copyOf(mgh(new int[] {2, 3, 2, 1}, 0, 7, null, 0), 284 + 11));
        NiftiException e = assertThrows(NiftiException.class, () -> MghImage.load(short1));
        assertTrue(e.getMessage().endsWith("data shorter than the header promises: file has 295 bytes, header needs 296"),
            e.getMessage());
    }

    @Test
    void framesAndRepetitionTime() throws IOException {
        MghImage zero = MghImage.load(save("tr0.mgh", mgh(new int[] {2, 2, 1, 2}, 3, 0, new float[] {0, 1, 2, 3}, 0)));
        assertTrue(zero.floatingPoint());
        assertEquals(3, zero.typeCode());
        assertTrue(Double.isNaN(zero.repetitionTime()), "TR 0 is no TR");
        MghImage two = MghImage.load(save("tr2.mgh", mgh(new int[] {2, 2, 1, 2}, 3, 0, new float[] {2000, 1, 2, 3}, 0)));
        assertEquals(2.0, two.repetitionTime(), 0.0);
        assertArrayEquals(new double[] {1, 1.25, 1.5, 1.75}, two.readVolumeDouble(1), 0.0);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> two.readVolumeDouble(2));
        assertEquals("volume 2 of 2", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> two.readVolumeDouble(-1));
    }

    /** 70^3 float32 = 1.37 MB and 90^3 int16 = 1.46 MB: more than one 1 MB buffer per volume. */
    @Test
    void volumesLargerThanTheBuffer() throws IOException {
        MghImage f = MghImage.load(save("big.mgh", mgh(new int[] {70, 70, 70, 1}, 3, 0, null, 0)));
        double[] v = f.readVolumeDouble(0);
        assertEquals(343_000, v.length);
        for (int i = 0; i < v.length; i++) assertEquals(i * 0.25f, v[i], 0.0, "float voxel " + i);
        MghImage s = MghImage.load(save("bigs.mgh", mgh(new int[] {90, 90, 90, 1}, 4, 0, null, 0)));
        double[] w = s.readVolumeDouble(0);
        for (int i = 0; i < w.length; i++) assertEquals(i % 3000 - 7, w[i], 0.0, "short voxel " + i);
    }

    @Test
    void mgzIsCheckedAtLoadAndWhenTheFooterIsRead() throws IOException {
        byte[] raw = mgh(new int[] {4, 4, 4, 2}, 1, 0, new float[] {1500, 0, 0, 0}, 2000);
        Path cut = save("cut.mgz", Arrays.copyOf(raw, 284 + 100));
        NiftiException e = assertThrows(NiftiException.class, () -> MghImage.load(cut));
        assertTrue(e.getMessage().contains("data shorter than the header promises"), e.getMessage());
        Path p = save("crc.mgz", raw);
        byte[] b = Files.readAllBytes(p);
        b[b.length - 8] ^= 1;
        Files.write(p, b);
        MghImage m = MghImage.load(p);
        NiftiException f = assertThrows(NiftiException.class, m::footer);
        assertTrue(f.getMessage().contains("corrupt gzip: CRC mismatch"), f.getMessage());
    }
}
