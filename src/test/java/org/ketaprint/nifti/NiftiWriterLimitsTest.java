package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The writer's limits and the header bytes it must leave alone (issue 15: boundary mutants of NiftiWriter).
 * Values by the NIfTI-1 standard: 1..7 dimensions, each 1..32767; intent_p1..p3 and intent_name zero.
 */
class NiftiWriterLimitsTest {
    @TempDir
    Path tmp;

    static NiftiWriter.Spec spec(long... shape) {
        return NiftiWriter.Spec.of(shape, Affine.identity(), DataType.FLOAT32);
    }

    static float[] ramp(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = i % 1000;
        return f;
    }

    @Test
    void sevenDimensionsAreWrittenEightAreRefused() {
        Path out = tmp.resolve("seven.nii");
        NiftiWriter.write(out, spec(2, 1, 1, 2, 1, 1, 2), ramp(8));
        NiftiImage img = NiftiImage.load(out);
        assertArrayEquals(new long[] {2, 1, 1, 2, 1, 1, 2}, img.shape());
        assertArrayEquals(ramp(8), img.readFloat());
        assertThrows(NiftiException.class, () -> NiftiWriter.write(tmp.resolve("eight.nii"), spec(1, 1, 1, 1, 1, 1, 1, 2), ramp(2)));
    }

    @Test
    void dimensionOf32767IsWritten32768AndZeroAreRefused() {
        Path out = tmp.resolve("long.nii");
        NiftiWriter.write(out, spec(32767), ramp(32767));
        assertArrayEquals(new long[] {32767}, NiftiImage.load(out).shape());
        assertArrayEquals(ramp(32767), NiftiImage.load(out).readFloat());
        assertThrows(NiftiException.class, () -> NiftiWriter.write(tmp.resolve("l.nii"), spec(32768), ramp(32768)));
        assertThrows(NiftiException.class, () -> NiftiWriter.write(tmp.resolve("z.nii"), spec(0, 2), new float[0]));
    }

    @Test
    void intentParametersAndNameStayZero() throws IOException {
        Path out = tmp.resolve("x.nii");
        NiftiWriter.write(out, spec(2, 3, 4), ramp(24));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 56; off < 68; off++) assertEquals(0, b.get(off), "intent_p1..p3 byte " + off);
        for (int off = 328; off < 344; off++) assertEquals(0, b.get(off), "intent_name byte " + off);
        assertEquals("n+1", new String(new byte[] {b.get(344), b.get(345), b.get(346)}));
    }

    @Test
    void orthogonalColumnsOnlyForRotationsAndZooms() {
        double c = Math.cos(0.3), s = Math.sin(0.3);
        Affine rot = new Affine(new double[][] {{2 * c, -3 * s, 0, 1}, {2 * s, 3 * c, 0, 2}, {0, 0, 4, 3}, {0, 0, 0, 1}});
        assertTrue(NiftiWriter.orthogonal(rot));
        // a shear of 1e-5 of a voxel: columns 0 and 1 have dot 2 * 3e-5 = 6e-5 > 1e-6 * 2 * 3
        Affine shear = new Affine(new double[][] {{2, 3e-5, 0, 0}, {0, 3, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}});
        assertFalse(NiftiWriter.orthogonal(shear));
        Affine shear13 = new Affine(new double[][] {{2, 0, 0, 0}, {0, 3, 0, 0}, {0, 1e-3, 4, 0}, {0, 0, 0, 1}});
        assertFalse(NiftiWriter.orthogonal(shear13), "columns 1 and 2 (dot 4e-3)");
        Affine shear02 = new Affine(new double[][] {{2, 0, 0, 0}, {0, 3, 0, 0}, {1e-3, 0, 4, 0}, {0, 0, 0, 1}});
        assertFalse(NiftiWriter.orthogonal(shear02), "columns 0 and 2 (dot 4e-3)");
        // below the tolerance: a dot of 1e-7 * 2 * 3 counts as orthogonal (float32 headers round there)
        Affine tiny = new Affine(new double[][] {{2, 3e-7, 0, 0}, {0, 3, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}});
        assertTrue(NiftiWriter.orthogonal(tiny));
    }

    @Test
    void convertOfMoreThanOneBufferKeepsEveryValue() {
        // 70000 voxels: the converter reads 65536 values at a time, then the 4464 left
        int n = 70000;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        Path in = tmp.resolve("in.nii");
        NiftiWriter.write(in, spec(100, 700), v);
        Path gz = tmp.resolve("in.nii.gz");
        NiftiWriter.write(gz, spec(100, 700), v);
        for (Path src : new Path[] {in, gz}) {
            Path out = tmp.resolve("out_" + src.getFileName());
            NiftiWriter.convert(src, out, DataType.FLOAT64);
            double[] back = NiftiImage.load(out).readDouble();
            assertEquals(n, back.length);
            for (int i = 0; i < n; i++) assertEquals(i, back[i], 0.0, "voxel " + i);
        }
    }

    @Test
    void affineToStringShowsEveryRow() {
        String s = new Affine(new double[][] {{1.5, 0, 0, -7}, {0, 2, 0, 3}, {0, 0, 2.5, 4}, {0, 0, 0, 1}}).toString();
        assertEquals("[1.5, 0.0, 0.0, -7.0]\n[0.0, 2.0, 0.0, 3.0]\n[0.0, 0.0, 2.5, 4.0]\n[0.0, 0.0, 0.0, 1.0]\n", s);
    }
}
