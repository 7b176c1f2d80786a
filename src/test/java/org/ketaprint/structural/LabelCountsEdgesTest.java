package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;

/** Label counting at its edges: the largest int label, images without background, an all-excluding mask. */
class LabelCountsEdgesTest {
    @TempDir
    Path tmp;

    Image img(String name, DataType t, double... data) {
        return TestData.write(tmp.resolve(name), new int[] {data.length, 1, 1}, Affine.identity(), t, data);
    }

    @Test
    void countsExactlyTheLabelsPresentWithoutAPhantomBackground() {
        LabelCounts c = LabelCounts.of(img("a.nii", DataType.INT16, 3, 3, 5, 3, 5, 5, 5));
        assertEquals(Map.of(3, 3L, 5, 4L), c.counts());
        assertEquals(0, c.voxels(0));
    }

    @Test
    void theLargestIntIsALabelAndOneMoreIsNot() {
        double max = Integer.MAX_VALUE;
        LabelCounts c = LabelCounts.of(img("max.nii", DataType.FLOAT64, max, 0, max));
        assertEquals(Map.of(Integer.MAX_VALUE, 2L, 0, 1L), c.counts());
        KetaprintException e = assertThrows(KetaprintException.class,
            () -> LabelCounts.of(img("over.nii", DataType.FLOAT64, 0, max + 1)));
        assertTrue(e.getMessage().contains("at voxel (1,0,0) is not an integer"), e.getMessage());
    }

    @Test
    void aMaskThatExcludesEverythingLeavesNoCounts() {
        Image seg = img("s.nii", DataType.INT16, 0, 2, 2);
        Image mask = img("m.nii", DataType.UINT8, 0, 0, 0);
        assertEquals(Map.of(), LabelCounts.of(seg, mask).counts());
        Image half = img("h.nii", DataType.FLOAT32, 0, 1, Double.NaN);
        assertEquals(Map.of(2, 1L), LabelCounts.of(seg, half).counts());
    }
}
