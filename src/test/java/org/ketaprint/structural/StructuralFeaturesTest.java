package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Image;

class StructuralFeaturesTest {
    final Image seg = TestData.open("labels_oblique.nii.gz");
    final JsonNode counts = TestData.ref("labels_oblique.nii.gz").get("counts");

    double vol(int label) {
        return counts.get(Integer.toString(label)).get("volume_mm3").asDouble();
    }

    @Test
    void withMaskAndNoStats() {
        StructuralFeatures f = StructuralFeatures.compute(seg, null, null, TestData.open("brainmask.nii.gz"));
        Map<String, Double> v = f.values();
        assertEquals(List.of("hippocampus_l_vol_mm3", "hippocampus_r_vol_mm3", "accumbens_l_vol_mm3",
            "accumbens_r_vol_mm3", "icv_mm3", "hippocampus_l_vol_icvfrac", "hippocampus_r_vol_icvfrac",
            "accumbens_l_vol_icvfrac", "accumbens_r_vol_icvfrac"), List.copyOf(v.keySet()));
        assertEquals(vol(17), v.get("hippocampus_l_vol_mm3"), 1e-9);
        assertEquals(vol(53), v.get("hippocampus_r_vol_mm3"), 1e-9);
        assertEquals(vol(26), v.get("accumbens_l_vol_mm3"), 1e-9);
        assertEquals(vol(58), v.get("accumbens_r_vol_mm3"), 1e-9);
        double icv = TestData.ref("brainmask.nii.gz").get("volume_mm3").asDouble();
        assertEquals(icv, v.get("icv_mm3"), 1e-9 * icv);
        assertEquals(vol(58) / icv, v.get("accumbens_r_vol_icvfrac"), 1e-12);
        assertTrue(f.dictionary().get("icv_mm3").contains("brain mask"));
        assertTrue(f.warnings().isEmpty());
    }

    @Test
    void withAsegStats() {
        AsegStats s = AsegStats.read(TestData.DIR.resolve("aseg.stats"));
        StructuralFeatures f = StructuralFeatures.compute(seg, null, s, null);
        Map<String, Double> v = f.values();
        assertEquals(1543210.987654, v.get("icv_mm3"), 1e-9);
        assertEquals(1543210.987654, v.get("etiv_mm3"), 1e-9);
        assertEquals(vol(17) / 1543210.987654, v.get("hippocampus_l_vol_icvfrac"), 1e-15);
        assertEquals(4102.7, v.get("hippocampus_l_vol_asegstats_mm3"));
        assertEquals(588.6, v.get("accumbens_r_vol_asegstats_mm3"));
        assertTrue(f.dictionary().get("hippocampus_l_vol_asegstats_mm3").contains("--pv"));
        assertTrue(f.dictionary().get("icv_mm3").contains("eTIV"));
    }
}
