package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NiftiWriter.Spec's chained setters (shape keeps the zooms it has and gives new dims 1; datatype and intent return
 * the same spec), and writeVolumes for 1D and 2D shapes (missing dims count as 1 voxel). Issue 15.
 */
class SpecBuilderTest {
    @TempDir
    Path tmp;

    private static final Affine ZOOMS = Affine.diagonal(new double[] {2, 3, 4}, new double[] {0, 0, 0});

    @Test
    void shapeKeepsZoomsAndPadsNewDimsWithOne() {
        NiftiWriter.Spec s = NiftiWriter.Spec.of(new long[] {4, 3, 2}, ZOOMS, DataType.FLOAT32);
        assertSame(s, s.shape(4, 3, 2, 5, 6));
        assertArrayEquals(new long[] {4, 3, 2, 5, 6}, s.shape);
        assertArrayEquals(new double[] {2, 3, 4, 1, 1}, s.zooms, 0.0);
        assertSame(s, s.shape(7, 8));
        assertArrayEquals(new long[] {7, 8}, s.shape);
        assertArrayEquals(new double[] {2, 3}, s.zooms, 0.0);
        assertSame(s, s.datatype(DataType.INT16));
        assertEquals(DataType.INT16, s.datatype);
        assertSame(s, s.intent(1002));
        assertEquals(1002, s.intentCode);
    }

    @Test
    void writeVolumesOfOneAndTwoDimensionalShapes() {
        Path one = tmp.resolve("one.nii");
        NiftiWriter.writeVolumes(one, NiftiWriter.Spec.of(new long[] {5}, ZOOMS, DataType.FLOAT32),
            v -> new double[] {1, 2, 3, 4, 5}, 1);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, NiftiImage.load(one).readFloat());
        Path two = tmp.resolve("two.nii");
        NiftiWriter.writeVolumes(two, NiftiWriter.Spec.of(new long[] {3, 2}, ZOOMS, DataType.FLOAT32),
            v -> new double[] {1, 2, 3, 4, 5, 6}, 1);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, NiftiImage.load(two).readFloat());
        Path four = tmp.resolve("four.nii");
        NiftiWriter.writeVolumes(four, NiftiWriter.Spec.of(new long[] {3, 1, 1, 2}, ZOOMS, DataType.FLOAT32),
            v -> new double[] {v, v + 1, v + 2}, 2);
        assertArrayEquals(new float[] {0, 1, 2, 1, 2, 3}, NiftiImage.load(four).readFloat());
    }
}
