package org.ketaprint.roi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;
import org.ketaprint.restingstate.Roi;

/** The text and mapping forms of an ROI specification, and the space each kind is in. */
class RoiSpecTest {
    @Test
    void textFormsRoundTrip() {
        for (String t : List.of("sphere:6,16,-10,10", "sphere:38.5,44,26,7.25", "sphere:0,0,0,5@MNI152NLin6Asym",
            "atlas:aal:Frontal_Sup_L+Frontal_Sup_R", "atlas:test-data/restingstate/atlas.nii.gz:1+2",
            "atlas:aal:3@MNI152NLin2009cAsym", "mask:roi/sub-01_space-T1w_desc-x_mask.nii.gz")) {
            RoiSpec s = RoiSpec.parse(t);
            assertEquals(t, s.spec());
            assertEquals(s, RoiSpec.parse(s.spec()));
            assertEquals(s, RoiSpec.fromMap(s.toMap()), t);
        }
        assertEquals("sphere:6,16,-10,10", RoiSpec.parse("  sphere: 6.0, 16 ,-10,10.0 ").spec());
    }

    @Test
    void sphereTextIsTheCommandLineOne() {
        for (String t : List.of("sphere:6,16,-10,10", "sphere:38.5,44,26,7.25", "sphere:-0.5,1e3,2,3")) {
            assertEquals(Roi.parse(t).spec(), RoiSpec.parse(t).spec());
        }
    }

    @Test
    void mapForms() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sphere", List.of("6", "16", "-10"));
        m.put("radius", "10");
        RoiSpec s = RoiSpec.fromMap(m);
        assertEquals(RoiSpec.Kind.SPHERE, s.kind());
        assertArrayEquals(new double[] {6, 16, -10}, s.centre());
        assertEquals(10, s.radius());
        assertEquals(RoiSpec.SPHERE_SPACE, s.space());
        assertEquals("MNI152", s.space());

        RoiSpec n = RoiSpec.fromMap(Map.of("sphere", List.of(6.0, 16, -10.0), "radius", 10));
        assertEquals(s, n);

        RoiSpec a = RoiSpec.fromMap(Map.of("atlas", "aal", "labels", List.of("Frontal_Sup_L", 3)));
        assertEquals(RoiSpec.Kind.ATLAS, a.kind());
        assertEquals(List.of("Frontal_Sup_L", "3"), a.labels());
        assertNull(a.space(), "an atlas's space comes from the atlas");
        assertEquals(List.of("7"), RoiSpec.fromMap(Map.of("atlas", "aal", "labels", "7")).labels());

        RoiSpec k = RoiSpec.fromMap(Map.of("mask", "d/sub-01_space-T1w_desc-amy_mask.nii.gz"));
        assertEquals(RoiSpec.Kind.MASK, k.kind());
        assertEquals(Path.of("d/sub-01_space-T1w_desc-amy_mask.nii.gz"), k.maskFile());
        assertEquals("T1w", k.space(), "a mask's space is its BIDS space- entity");
        assertNull(RoiSpec.mask(Path.of("amygdala.nii.gz")).space(), "else the data's");
        assertEquals("MNI152NLin6Asym", RoiSpec.fromMap(Map.of("mask", "amygdala.nii.gz", "space", "MNI152NLin6Asym")).space());
    }

    @Test
    void badSpecsAreErrors() {
        for (String t : List.of("", "cube:1,2,3", "sphere:1,2,3", "sphere:1,2,3,0", "sphere:a,b,c,d", "sphere:1,2,3,-4",
            "atlas:aal", "atlas:aal:", "atlas::3", "mask:")) {
            assertThrows(KetaprintException.class, () -> RoiSpec.parse(t), t);
        }
        assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("sphere", List.of(1, 2), "radius", 3)));
        assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("sphere", List.of(1, 2, 3))));
        assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("sphere", List.of(1, 2, 3), "radius", "ten")));
        assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("sphere", List.of(1, 2, 3), "radius", 3, "labels", "x")));
        assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("atlas", "aal")));
        assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("atlas", "aal", "labels", List.of())));
        KetaprintException e = assertThrows(KetaprintException.class, () -> RoiSpec.fromMap(Map.of("cube", 3)));
        assertTrue(e.getMessage().contains("sphere") && e.getMessage().contains("mask"), e.getMessage());
    }
}
