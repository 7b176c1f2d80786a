package org.ketaprint.pet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

class PetTimingTest {
    private static ObjectNode sidecar() {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.putArray("FrameTimesStart").add(1800).add(2100).add(2700).add(3300);
        j.putArray("FrameDuration").add(300).add(600).add(600).add(600);
        j.put("Units", "kBq/mL");
        j.put("InjectedRadioactivity", 5.0);
        j.put("InjectedRadioactivityUnits", "mCi");
        j.put("TracerRadionuclide", "F-18");
        j.put("ImageDecayCorrected", true);
        j.put("ImageDecayCorrectionTime", 1800);
        j.put("InjectionStart", 300);
        j.put("BodyWeight", 80);
        return j;
    }

    @Test
    void overlapWeights() {
        PetTiming t = PetTiming.of("s.json", sidecar(), 4);
        // window 40-60 min after an injection at 300 s: 2700-3900 s; frames 2 and 3 inside, frame 1 ends at 2700
        assertArrayEquals(new double[] {0, 0, 600, 600}, t.weights(300 + 2400, 300 + 3600));
        // 35-55 min: 2400-3600: 300 s of frame 1, all of frame 2, 300 s of frame 3
        assertArrayEquals(new double[] {0, 300, 600, 300}, t.weights(2400, 3600));
        KetaprintException e = assertThrows(KetaprintException.class, () -> t.weights(3000, 4500));
        assertTrue(e.getMessage().contains("not covered") && e.getMessage().contains("3: 3300-3900"), e.getMessage());
    }

    @Test
    void doseDecayCorrectedToTheImagesReference() {
        PetTiming t = PetTiming.of("s.json", sidecar(), 4);
        assertEquals(5 * 3.7e7, t.doseBq(), 1e-6);
        assertEquals("F18", PetUnits.radionuclide(t.tracer()));
        // 1500 s from injection to the decay-correction time with F-18's 6588 s
        assertEquals(5 * 3.7e7 * Math.pow(0.5, 1500.0 / 6588), t.doseAtDecayCorrection(null), 1e-3);
        assertEquals(100e6 * Math.pow(0.5, 1500.0 / 6588), t.doseAtDecayCorrection(100e6), 1e-3);
        assertNull(t.suvNa(80.0, null));
        assertTrue(t.suvNa(null, null).contains("body weight"));
        assertEquals(1000.0, t.toBqPerMl());
    }

    @Test
    void badSidecars() {
        ObjectNode j = sidecar();
        j.put("Units", "counts");
        assertTrue(assertThrows(KetaprintException.class, () -> PetTiming.of("s.json", j, 4)).getMessage().contains("'counts'"));
        ObjectNode o = sidecar();
        o.putArray("FrameTimesStart").add(1800).add(2000).add(2700).add(3300);   // frame 0 runs to 2100
        assertTrue(assertThrows(KetaprintException.class, () -> PetTiming.of("s.json", o, 4)).getMessage().contains("overlap"));
        ObjectNode r = sidecar();
        r.putArray("FrameTimesStart").add(1800).add(2700).add(2100).add(3300);
        assertTrue(assertThrows(KetaprintException.class, () -> PetTiming.of("s.json", r, 4)).getMessage().contains("out of order"));
        assertThrows(KetaprintException.class, () -> PetTiming.of("s.json", sidecar(), 5));
        assertThrows(KetaprintException.class, () -> PetTiming.of("s.json", null, 4));
        ObjectNode nd = sidecar();
        nd.put("ImageDecayCorrected", false);
        assertTrue(PetTiming.of("s.json", nd, 4).suvNa(80.0, null).contains("not decay-corrected"));
    }

    @Test
    void units() {
        assertEquals(1.0, PetUnits.concentration("Bq/mL", "u"));
        assertEquals(1e3, PetUnits.concentration("kBq/cc", "u"));
        assertEquals(3.7e4, PetUnits.concentration("\u00b5Ci/mL", "u"));
        assertEquals(3.7e7, PetUnits.activity("mCi", "u"));
        assertEquals(1e6, PetUnits.activity("MBq", "u"));
        assertThrows(KetaprintException.class, () -> PetUnits.concentration("SUV", "u"));
        assertThrows(KetaprintException.class, () -> PetUnits.activity("mL", "u"));
        assertEquals(6588.0, PetUnits.halfLife("18F"));
        assertEquals(1224.0, PetUnits.halfLife("C-11"));
        assertEquals(4080.0, PetUnits.halfLife("Ga68"));
        assertNull(PetUnits.radionuclide("Tc99m"));
    }
}
