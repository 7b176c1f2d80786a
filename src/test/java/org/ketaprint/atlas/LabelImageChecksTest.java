package org.ketaprint.atlas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;

/** A label image must have a placeable affine and integer labels within the int range (issue 15). */
class LabelImageChecksTest {
    @TempDir
    Path tmp;

    Path image(String name, Affine a, DataType t, double[] v) {
        Path f = tmp.resolve(name);
        NiftiWriter.write(f, NiftiWriter.Spec.of(new long[] {2, 2, 1}, a, t).codes(1, 0), v);
        return f;
    }

    static Affine diag(double d) {
        return new Affine(new double[][] {{d, 0, 0, 0}, {0, d, 0, 0}, {0, 0, d, 0}, {0, 0, 0, 1}});
    }

    /** Overwrites sform entry (row r, column c) with x (srow_x/y/z at bytes 280, 296, 312). */
    static void patchSform(Path f, int r, int c, float x) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(280 + 16 * r + 4 * c);
            raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, x).array());
        }
    }

    @Test
    void largestIntIsALabelAndBeyondIsNot() {
        double[] v = {0, 2147483647, -2147483647, 5};
        assertArrayEquals(v, LabelImage.read(Images.open(image("ok.nii", Affine.identity(), DataType.FLOAT64, v))));
        double[] big = {0, 2147483648.0, 1, 2};
        String m = assertThrows(KetaprintException.class,
            () -> LabelImage.read(Images.open(image("big.nii", Affine.identity(), DataType.FLOAT64, big)))).getMessage();
        assertTrue(m.contains("at voxel (1,0,0) is outside the int range of labels"), m);
    }

    @Test
    void nonFiniteSformEntriesAreRefusedWherever() throws IOException {
        for (int[] rc : new int[][] {{0, 0}, {1, 2}, {2, 3}}) {
            Path f = image("nan" + rc[0] + rc[1] + ".nii", Affine.identity(), DataType.UINT8, new double[] {0, 1, 2, 3});
            patchSform(f, rc[0], rc[1], Float.NaN);
            String m = assertThrows(KetaprintException.class, () -> LabelImage.read(Images.open(f))).getMessage();
            assertTrue(m.contains("non-finite entry (NaN at row " + rc[0] + ", column " + rc[1] + ")"), m);
        }
    }

    @Test
    void singularAndNearSingularAffinesAreRefused() throws IOException {
        Path zero = image("zero.nii", Affine.identity(), DataType.UINT8, new double[] {0, 1, 2, 3});
        patchSform(zero, 2, 2, 0);
        String m = assertThrows(KetaprintException.class, () -> LabelImage.read(Images.open(zero))).getMessage();
        assertTrue(m.contains("singular"), m);   // the NIfTI reader already refuses it
        // determinant 1e-42 (1e-14 cubed): its inverse 1e42 is finite, so the image is placeable
        Path tiny = image("tiny.nii", diag(1e-14), DataType.UINT8, new double[] {0, 1, 2, 3});
        LabelImage.requirePlaceable(Images.open(tiny));
    }
}
