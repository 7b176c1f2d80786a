package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NiftiWriter.Spec.like, rule by rule (its javadoc): a NIfTI source keeps its codes, units and pixdim; an Analyze
 * source, or a NIfTI one with neither transform whose spatial shape changes, gets its affine with codes 2 and 2.
 * Issue 15.
 */
class SpecLikeTest {
    static final Path DIR = Path.of("test-data/nifti");

    @TempDir
    Path tmp;

    /** A rotated, shifted affine: its srow differs from the pixdim-only affine a header with codes 0 gives. */
    private static Affine rotated() {
        return new Affine(new double[][] {{0, -2, 0, 10}, {1.5, 0, 0, -20}, {0, 0, 3, 5}, {0, 0, 0, 1}});
    }

    /** A NIfTI-1 file of {@code shape} with sform/qform codes 0 (only pixdim and units are meaningful). */
    private NiftiImage noTransform(String name, long... shape) {
        Path p = tmp.resolve(name);
        long n = 1;
        for (long d : shape) n *= d;
        NiftiWriter.write(p, NiftiWriter.Spec.of(shape, rotated(), DataType.FLOAT32).codes(0, 0), new float[(int) n]);
        return NiftiImage.load(p);
    }

    @Test
    void niftiWithoutTransformsKeepsCodesZeroWhileTheGridStays() {
        NiftiImage img = noTransform("flat.nii", 4, 3, 2);
        NiftiHeader h = img.header();
        assertEquals(0, h.sformCode);
        assertEquals(0, h.qformCode);
        assertFalse(img.affine().equalsWithin(h.sform(), 1e-6), "precondition: srow differs from the pixdim affine");
        for (long[] shape : new long[][] {{4, 3, 2}, {4, 3, 2, 7}}) {
            NiftiWriter.Spec s = NiftiWriter.Spec.like(img, shape, DataType.INT16);
            assertEquals(0, s.sformCode);
            assertEquals(0, s.qformCode);
            assertTrue(s.sform.equalsWithin(img.affine(), 0), "the image's own affine, not its srow");
            assertNull(s.quatern, "no qform to keep");
            assertEquals(h.xyztUnits, s.xyztUnits);
            assertEquals(DataType.INT16, s.datatype);
            assertArrayEquals(shape, s.shape);
        }
    }

    @Test
    void niftiWithoutTransformsOnANewGridGetsCodesTwo() {
        NiftiImage img = noTransform("flat.nii", 4, 3, 2);
        for (long[] shape : new long[][] {{5, 3, 2}, {4, 2, 2}, {4, 3, 1}, {4, 3}}) {
            NiftiWriter.Spec s = NiftiWriter.Spec.like(img, shape, DataType.FLOAT32);
            String what = java.util.Arrays.toString(shape);
            assertEquals(2, s.sformCode, what);
            assertEquals(2, s.qformCode, what);
            assertTrue(s.sform.equalsWithin(img.affine(), 0), what);
            assertNull(s.quatern, what);
            assertEquals(img.header().xyztUnits, s.xyztUnits, what);
        }
    }

    /** Missing dims count as 1 on both sides: a 2D source and a 3D shape of depth 1 are the same grid. */
    @Test
    void missingDimsCountAsOne() {
        NiftiImage flat2 = noTransform("two.nii", 4, 3);
        assertEquals(2, flat2.shape().length, "precondition: a 2D header");
        for (long[] shape : new long[][] {{4, 3}, {4, 3, 1}, {4, 3, 1, 6}}) {
            NiftiWriter.Spec s = NiftiWriter.Spec.like(flat2, shape, DataType.FLOAT32);
            assertEquals(0, s.sformCode, java.util.Arrays.toString(shape));
            assertEquals(0, s.qformCode, java.util.Arrays.toString(shape));
        }
        NiftiWriter.Spec deeper = NiftiWriter.Spec.like(flat2, new long[] {4, 3, 2}, DataType.FLOAT32);
        assertEquals(2, deeper.sformCode);
        assertEquals(2, deeper.qformCode);
    }

    @Test
    void analyzeSourceAlwaysGetsCodesTwoAndDefaultUnits() {
        NiftiImage an = NiftiImage.load(DIR.resolve("analyze_center.hdr"));
        assertEquals(0, an.header().version);
        long[] same = an.shape();
        long[] other = same.clone();
        other[0] += 1;
        for (long[] shape : new long[][] {same, other}) {
            NiftiWriter.Spec s = NiftiWriter.Spec.like(an, shape, DataType.FLOAT32);
            String what = java.util.Arrays.toString(shape);
            assertEquals(2, s.sformCode, what);
            assertEquals(2, s.qformCode, what);
            assertEquals(2 | 8, s.xyztUnits, what + ": mm and s, not Analyze's 0");
            assertTrue(s.sform.equalsWithin(an.affine(), 0), what);
            assertNull(s.quatern, what);
        }
    }

    /** Each zoom is pixdim[i + 1] for the first 7 dims; an 8th dim is refused by the writer, not by like(). */
    @Test
    void zoomsComeFromPixdimAndEightDimsAreRefusedByTheWriter() throws IOException {
        byte[] b = Files.readAllBytes(DIR.resolve("dtype_float32.nii"));
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 7; i++) w.putFloat(76 + 4 * i, 0.5f * i + 0.25f);
        Path p = tmp.resolve("pix.nii");
        Files.write(p, b);
        NiftiImage img = NiftiImage.load(p);
        NiftiWriter.Spec s = NiftiWriter.Spec.like(img, new long[] {1, 1, 1, 1, 1, 1, 2}, DataType.FLOAT32);
        for (int i = 0; i < 7; i++) assertEquals(0.5 * (i + 1) + 0.25, s.zooms[i], 0.0, "zoom " + i);
        assertThrows(NiftiException.class, () -> NiftiWriter.write(tmp.resolve("eight.nii"),
            NiftiWriter.Spec.like(img, new long[] {1, 1, 1, 1, 1, 1, 1, 2}, DataType.FLOAT32), new float[2]));
    }
}
