package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;

class ProbsegVolumeTest {
    @Test
    void uniformQuarterOnAnObliqueGrid(@TempDir Path tmp) {
        double[] d = new double[4 * 5 * 6];
        Arrays.fill(d, 0.25);
        Image img = TestData.write(tmp.resolve("p.nii"), new int[] {4, 5, 6},
            TestData.oblique(new double[] {0.8, 1.0, 2.0}, 30, 15, -60), DataType.FLOAT32, d);
        assertEquals(120 * 0.25 * 1.6, ProbsegVolume.sum(img), 1e-4);
    }

    @Test
    void matchesNumpySums() {
        assertEquals(TestData.ref("pve.nii.gz").get("volume_mm3").asDouble(),
            ProbsegVolume.sum(TestData.open("pve.nii.gz")), 1e-9 * 1000);
        JsonNode r = TestData.ref("probseg_4d.nii.gz").get("volume_mm3");
        double[] v = ProbsegVolume.sumEach(TestData.open("probseg_4d.nii.gz"));
        assertEquals(3, v.length);
        for (int t = 0; t < 3; t++) assertEquals(r.get(t).asDouble(), v[t], 1e-6);
        // the three class maps sum to one in every voxel: together they fill the grid
        double vv = TestData.ref("labels_oblique.nii.gz").get("voxel_volume_mm3").asDouble();
        assertEquals(17 * 19 * 13 * vv, v[0] + v[1] + v[2], 1e-3);
    }

    @Test
    void labelsAreNotProbabilities() {
        Image img = TestData.open("labels_oblique.nii.gz");
        KetaprintException e = assertThrows(KetaprintException.class, () -> ProbsegVolume.sum(img));
        assertTrue(e.getMessage().contains("not a probability map") && e.getMessage().contains("outside [0, 1]"),
            e.getMessage());
        Image p4 = TestData.open("probseg_4d.nii.gz");
        e = assertThrows(KetaprintException.class, () -> ProbsegVolume.sum(p4));
        assertTrue(e.getMessage().contains("3 volumes"), e.getMessage());
    }
}
