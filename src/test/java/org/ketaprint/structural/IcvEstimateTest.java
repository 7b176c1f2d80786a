package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Image;

class IcvEstimateTest {
    final Image seg = TestData.open("labels_oblique.nii.gz");
    final Image mask = TestData.open("brainmask.nii.gz");
    final AsegStats stats = AsegStats.read(TestData.DIR.resolve("aseg.stats"));

    @Test
    void etivFirst() {
        IcvEstimate e = IcvEstimate.choose(stats, mask, seg);
        assertEquals(1543210.987654, e.mm3(), 1e-9);
        assertTrue(e.source().startsWith("eTIV"), e.source());
    }

    @Test
    void thenTheMask() {
        IcvEstimate e = IcvEstimate.choose(null, mask, seg);
        assertEquals(TestData.ref("brainmask.nii.gz").get("volume_mm3").asDouble(), e.mm3(), 1e-9 * e.mm3());
        assertTrue(e.source().contains("brain mask") && e.source().contains("brainmask.nii.gz"), e.source());
    }

    @Test
    void thenAllNonZeroLabels() {
        IcvEstimate e = IcvEstimate.choose(null, null, seg);
        double want = 0;
        for (Map.Entry<String, JsonNode> c : TestData.ref("labels_oblique.nii.gz").get("counts").properties()) {
            if (!c.getKey().equals("0")) want += c.getValue().get("volume_mm3").asDouble();
        }
        assertEquals(want, e.mm3(), 1e-9 * want);
        assertTrue(e.source().contains("all non-zero labels"), e.source());
    }

    @Test
    void maskOnAnotherGridIsAnError() {
        Image other = TestData.open("mask_other_grid.nii.gz");
        assertThrows(KetaprintException.class, () -> IcvEstimate.choose(null, other, seg));
    }
}
