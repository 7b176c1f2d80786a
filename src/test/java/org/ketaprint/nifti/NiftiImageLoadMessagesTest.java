package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NiftiImage.load's one-line errors (magic against file layout, which transform is unusable, short plain data),
 * readMasked's index range, the element type named by the memory budget, stats over more than one 2^20 chunk, and
 * the affine checks behind them (Affine.problem). Issue 15.
 */
class NiftiImageLoadMessagesTest {
    static final Path DIR = Path.of("test-data/nifti");

    @TempDir
    Path tmp;

    private static byte[] f32() throws IOException {
        return Files.readAllBytes(DIR.resolve("dtype_float32.nii"));   // 5x4x3 float32, vox_offset 352, 592 bytes
    }

    private Path save(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private String loadError(Path p) {
        return assertThrows(NiftiException.class, () -> NiftiImage.load(p)).getMessage();
    }

    @Test
    void magicMustMatchTheFileLayout() throws IOException {
        byte[] ni1 = f32();
        ni1[345] = 'i';
        String m = loadError(save("pairmagic.nii", ni1));
        assertTrue(m.endsWith("NIfTI pair magic (ni1) in a single file"), m);
        byte[] none = f32();
        Arrays.fill(none, 344, 348, (byte) 0);
        m = loadError(save("nomagic.nii", none));
        assertTrue(m.endsWith("no NIfTI magic: an Analyze header must be a .hdr with an .img"), m);
        byte[] b = f32();
        save("single.hdr", Arrays.copyOf(b, 348));
        save("single.img", Arrays.copyOfRange(b, 352, b.length));
        m = loadError(tmp.resolve("single.hdr"));
        assertTrue(m.endsWith("single-file NIfTI magic in a .hdr/.img pair"), m);
        assertEquals(60, NiftiImage.load(DIR.resolve("dtype_float32.nii").toString()).readFloat().length);
    }

    @Test
    void unusableTransformIsNamed() throws IOException {
        byte[] q = f32();
        le(q).putShort(252, (short) 1).putShort(254, (short) 0).putFloat(268, Float.NaN);
        String m = loadError(save("q.nii", q));
        assertTrue(m.contains("the affine (qform) has a non-finite entry"), m);
        byte[] s = f32();
        le(s).putShort(252, (short) 0).putShort(254, (short) 1).putFloat(280, Float.NaN);
        m = loadError(save("s.nii", s));
        assertTrue(m.contains("the affine (sform) has a non-finite entry"), m);
    }

    @Test
    void shortPlainDataSaysFileAndHeaderSizes() throws IOException {
        Path p = save("short.nii", Arrays.copyOf(f32(), 500));
        String m = loadError(p);
        assertTrue(m.endsWith("data shorter than the header promises: file has 500 bytes, header needs 592"), m);
    }

    @Test
    void readMaskedAcceptsExactlyZeroToVoxelsMinusOne() {
        NiftiImage img = NiftiImage.load(DIR.resolve("dtype_float32.nii"));
        float[] all = img.readFloat();
        assertArrayEquals(new float[] {all[0], all[59]}, img.readMasked(new int[] {0, 59}));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> img.readMasked(new int[] {60}));
        assertEquals("voxel index 60 outside 0..59", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> img.readMasked(new int[] {-1}));
        assertEquals("voxel index -1 outside 0..59", e.getMessage());
    }

    @Test
    void budgetMessageNamesTheElementType() {
        String saved = System.getProperty(MemoryBudget.PROPERTY);
        System.setProperty(MemoryBudget.PROPERTY, "100");
        try {
            NiftiImage img = NiftiImage.load(DIR.resolve("dtype_float32.nii"));
            String f = assertThrows(NiftiException.class, img::readFloat).getMessage();
            assertTrue(f.contains("(5x4x3 float32 voxels, as float32)"), f);
            String d = assertThrows(NiftiException.class, img::readDouble).getMessage();
            assertTrue(d.contains("(5x4x3 float32 voxels, as float64)"), d);
        } finally {
            if (saved == null) System.clearProperty(MemoryBudget.PROPERTY);
            else System.setProperty(MemoryBudget.PROPERTY, saved);
        }
    }

    /** 1 100 000 voxels: stats reads 2^20, then the remaining 51 424. */
    @Test
    void statsOverMoreThanOneChunk() {
        int n = 1_100_000;
        float[] v = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            v[i] = i % 7;
            sum += i % 7;
        }
        Path p = tmp.resolve("many.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {1100, 1000}, Affine.identity(), DataType.UINT8), v);
        NiftiImage.Stats s = NiftiImage.load(p).stats();
        assertEquals(n, s.finite);
        assertEquals(0, s.nonfinite);
        assertEquals(0, s.min, 0.0);
        assertEquals(6, s.max, 0.0);
        assertEquals(sum, s.sum(), 0.0);
    }

    private static Affine lin(double[][] a) {
        return new Affine(new double[][] {
            {a[0][0], a[0][1], a[0][2], 0}, {a[1][0], a[1][1], a[1][2], 0}, {a[2][0], a[2][1], a[2][2], 0}, {0, 0, 0, 1}});
    }

    @Test
    void affineProblemsAreJudgedOnUnitColumns() {
        double c = Math.sqrt(0.5);
        assertNull(lin(new double[][] {{1e-4, 0, 0}, {0, 1e-4, 0}, {0, 0, 1e-4}}).problem(), "tiny voxels are fine");
        assertNull(lin(new double[][] {{c, c, 0}, {-c, c, 0}, {0, 0, 1}}).problem(), "45 degrees about z");
        assertNull(lin(new double[][] {{c, 0, c}, {0, 1, 0}, {-c, 0, c}}).problem(), "45 degrees about y");
        assertNull(lin(new double[][] {{0, 2, 0}, {3, 0, 0}, {0, 0, 4}}).problem(), "swapped axes");
        assertTrue(lin(new double[][] {{1, 1, 0}, {1, 1 + 1e-12, 0}, {0, 0, 1}}).problem().startsWith("is singular"));
        String big = lin(new double[][] {{1e300, 0, 0}, {0, 1e300, 0}, {0, 0, 1e300}}).problem();
        assertEquals("gives a voxel volume of Infinity mm^3 (out of double range)", big);
    }
}
