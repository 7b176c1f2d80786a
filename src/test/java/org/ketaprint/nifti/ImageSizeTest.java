package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ketaprint.nifti.GzipIntegrityTest.assertOneLine;
import static org.ketaprint.nifti.GzipIntegrityTest.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/**
 * Issue 14, resources: what a header claims is checked against the file and against the memory budget before any
 * array is made; sizes never overflow; a genuine OutOfMemoryError is one line naming the -Xmx to use.
 */
class ImageSizeTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearBudget() {
        System.clearProperty(MemoryBudget.PROPERTY);
    }

    /** A NIfTI-1 header (from dtype_uint8.nii) claiming nx x ny x nz uint8 voxels, then {@code data}, gzipped. */
    private Path claiming(String name, int nx, int ny, int nz, byte[] data, boolean forgeIsize) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(NiftiReference.DIR.resolve("dtype_uint8.nii")), 352);
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(40, (short) 3).putShort(42, (short) nx).putShort(44, (short) ny).putShort(46, (short) nz);
        h.putShort(48, (short) 1);
        byte[] raw = new byte[352 + data.length];
        System.arraycopy(head, 0, raw, 0, 352);
        System.arraycopy(data, 0, raw, 352, data.length);
        byte[] gz = GzipIntegrityTest.gzip(raw, Deflater.BEST_SPEED);
        if (forgeIsize) {   // the trailer claims what the header promises, so load() takes it without inflating
            long need = 352L + (long) nx * ny * nz;
            ByteBuffer.wrap(gz).order(ByteOrder.LITTLE_ENDIAN).putInt(gz.length - 4, (int) need);
        }
        Path p = tmp.resolve(name);
        Files.write(p, gz);
        return p;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(14).nextBytes(b);
        return b;
    }

    @Test
    void twoMegabyteGzipClaiming1024CubedIsOneLineNotOutOfMemory() throws IOException {
        Path p = claiming("huge_claim.nii.gz", 1024, 1024, 1024, random(2 << 20), true);
        assertTrue(Files.size(p) < 3 << 20);
        // a label count reads the volume as float64: 8 GB, over the budget (3/4 of the test JVM's 2 GB)
        assertOneLine(cli("volumes", p.toString()), p, "1024x1024x1024", "uint8", "8192 MB", "memory budget", "-Xmx");
        assertOneLine(cli("roistats", p.toString(), "--atlas", p.toString()), p, "1024x1024x1024", "memory budget");
        // streamed commands make no such array; they find the data missing
        assertOneLine(cli("info", "--stats", p.toString()), p, "corrupt gzip: ISIZE mismatch");
        assertOneLine(cli("convert", p.toString(), tmp.resolve("o.nii").toString()), p, "corrupt gzip: ISIZE mismatch");
        assertFalse(Files.exists(tmp.resolve("o.nii")));
        // without the forged trailer load() counts the bytes: short data, before any command runs
        Path q = claiming("huge_claim_plain.nii.gz", 1024, 1024, 1024, random(2 << 20), false);
        assertOneLine(cli("volumes", q.toString()), q, "data shorter than the header promises");
    }

    @Test
    void mgzClaimingTooMuchIsOneLine() throws IOException {
        byte[] raw = new byte[284 + (2 << 20)];
        ByteBuffer b = ByteBuffer.wrap(raw);
        b.putInt(0, 1).putInt(4, 1024).putInt(8, 1024).putInt(12, 1024).putInt(16, 1).putInt(20, 0);
        System.arraycopy(random(2 << 20), 0, raw, 284, 2 << 20);
        byte[] gz = GzipIntegrityTest.gzip(raw, Deflater.BEST_SPEED);
        ByteBuffer.wrap(gz).order(ByteOrder.LITTLE_ENDIAN).putInt(gz.length - 4, 284 + (1 << 30));
        Path p = tmp.resolve("huge_claim.mgz");
        Files.write(p, gz);
        assertOneLine(cli("volumes", p.toString()), p, "1024x1024x1024", "memory budget");
    }

    @Test
    void budgetComesFromThePropertyOrEnvironment() throws IOException {
        Path f = NiftiReference.DIR.resolve("dtype_int16.nii");
        NiftiImage img = NiftiImage.load(f);
        img.readVolume(0);
        System.setProperty(MemoryBudget.PROPERTY, "100");
        KetaprintException e = assertThrows(KetaprintException.class, () -> img.readVolume(0));
        assertTrue(e.getMessage().startsWith(f + ": one volume ("), e.getMessage());
        assertTrue(e.getMessage().contains("over the memory budget of 100 bytes (set by -Dketaprint.maxImageBytes)"),
            e.getMessage());
        assertThrows(KetaprintException.class, img::readFloat);
        assertThrows(KetaprintException.class, () -> img.forEachVolume((t, v) -> { }));
        assertThrows(KetaprintException.class, () -> Images.open(MghReadTest.DIR.resolve("short.mgz")).readVolumeDouble(0));
        img.stats();   // streamed in chunks: no image-sized array
        System.setProperty(MemoryBudget.PROPERTY, "2k");
        assertEquals(2048, MemoryBudget.bytes());
        img.readVolume(0);
        assertEquals(4L << 30, MemoryBudget.parse("4g", "X"));
        assertEquals(123, MemoryBudget.parse("123", "X"));
        assertEquals(5L << 20, MemoryBudget.parse("5M", "X"));
        for (String bad : new String[] {"lots", "-1", "0", "9999999999t"}) {
            KetaprintException x = assertThrows(KetaprintException.class, () -> MemoryBudget.parse(bad, MemoryBudget.ENV));
            assertTrue(x.getMessage().startsWith("KETAPRINT_MAX_IMAGE_BYTES=" + bad + ": not a size"), x.getMessage());
        }
        System.clearProperty(MemoryBudget.PROPERTY);
        assertEquals(Runtime.getRuntime().maxMemory() / 4 * 3, MemoryBudget.bytes());
    }

    @Test
    void genuineOutOfMemoryIsOneLineNamingXmx() throws IOException {
        Path p = claiming("oom.nii.gz", 1024, 1024, 1024, random(1 << 20), true);
        System.setProperty(MemoryBudget.PROPERTY, "1t");   // no budget: the 8 GB array is attempted
        String[] r = cli("volumes", p.toString());
        assertEquals("2", r[0], r[2]);
        assertEquals(1, r[2].lines().count(), r[2]);
        assertTrue(r[2].startsWith("ketaprint: out of memory: the Java heap (max "), r[2]);
        assertTrue(r[2].contains("KETAPRINT_JAVA_OPTS=-Xmx"), r[2]);
    }

    @Test
    void nifti2SizeThatOverflowsIsRefused() throws IOException {
        byte[] b = Files.readAllBytes(NiftiReference.DIR.resolve("nifti2_single.nii"));
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(540, h.getInt(0));
        // 2^60 - 1 voxels of float64: 2^63 - 8 bytes, past Long.MAX_VALUE with the offset
        h.putShort(12, (short) 64).putShort(14, (short) 64);
        h.putLong(16, 2).putLong(24, (1L << 30) - 1).putLong(32, (1L << 30) + 1);
        for (int i = 3; i < 8; i++) h.putLong(16 + 8 * i, 1);
        Path p = tmp.resolve("overflow2.nii");
        Files.write(p, b);
        KetaprintException e = assertThrows(KetaprintException.class, () -> NiftiImage.load(p));
        assertTrue(e.getMessage().startsWith(p + ": image dimensions overflow: 1073741823x1073741825 voxels of float64"),
            e.getMessage());
        assertOneLine(cli("info", p.toString()), p, "overflow");
    }

    @Test
    void mghSizeThatOverflowsIsRefused() throws IOException {
        byte[] raw = new byte[400];
        ByteBuffer.wrap(raw).putInt(0, 1).putInt(4, 65536).putInt(8, 65536).putInt(12, 65536).putInt(16, 65536).putInt(20, 0);
        Path p = tmp.resolve("overflow.mgh");
        Files.write(p, raw);
        // 2^64 bytes wrapped to 0 before: the file seemed to hold them
        KetaprintException e = assertThrows(KetaprintException.class, () -> Images.open(p));
        assertTrue(e.getMessage().startsWith(p + ": image size overflows"), e.getMessage());
    }
}
