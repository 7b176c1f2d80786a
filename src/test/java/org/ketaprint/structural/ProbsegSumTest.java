package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;

/** The probability-map sum: its [0, 1] tolerance edges and compensated (Kahan) summation. */
class ProbsegSumTest {
    @TempDir
    Path tmp;

    Image img(String name, double... data) {
        return TestData.write(tmp.resolve(name), new int[] {data.length, 1, 1}, Affine.identity(), DataType.FLOAT64, data);
    }

    @Test
    void valuesAtTheToleranceEdgesAreAcceptedAndJustBeyondAreNot() {
        double t = ProbsegVolume.TOLERANCE;
        assertEquals(1.0, ProbsegVolume.sumEach(img("edge.nii", -t, 1 + t))[0], 1e-12);
        assertThrows(KetaprintException.class, () -> ProbsegVolume.sumEach(img("lo.nii", Math.nextDown(-t))));
        assertThrows(KetaprintException.class, () -> ProbsegVolume.sumEach(img("hi.nii", Math.nextUp(1 + t))));
        assertThrows(KetaprintException.class, () -> ProbsegVolume.sumEach(img("nan.nii", 0.5, Double.NaN)));
    }

    @Test
    void aBadValueIsNamedWithItsVolumeOnlyIn4d() {
        Image three = img("three.nii", 0.5, 2);
        KetaprintException e = assertThrows(KetaprintException.class, () -> ProbsegVolume.sumEach(three));
        assertTrue(e.getMessage().endsWith("value 2.0 at voxel 1 is outside [0, 1]"), e.getMessage());
        org.ketaprint.nifti.NiftiWriter.write(tmp.resolve("four.nii"), org.ketaprint.nifti.NiftiWriter.Spec.of(
            new long[] {2, 1, 1, 2}, Affine.identity(), DataType.FLOAT64), new double[] {0.5, 0.5, 0.5, -1});
        Image four = org.ketaprint.nifti.Images.open(tmp.resolve("four.nii"));
        e = assertThrows(KetaprintException.class, () -> ProbsegVolume.sumEach(four));
        assertTrue(e.getMessage().endsWith("value -1.0 at voxel 1 of volume 1 is outside [0, 1]"), e.getMessage());
    }

    @Test
    void smallTermsAfterALargeOneAreNotLost() {
        double[] d = new double[1001];
        d[0] = 1;
        for (int i = 1; i < d.length; i++) d[i] = 1e-16;
        // exact sum 1 + 1e-13; plain summation gives 1.0 (each 1e-16 is below half an ulp of 1)
        assertEquals(1 + 1e-13, ProbsegVolume.sumEach(img("k.nii", d))[0], 2e-16);
    }
}
