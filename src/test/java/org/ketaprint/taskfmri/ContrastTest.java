package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

class ContrastTest {
    @Test
    void labels() {
        assertEquals("fearfulGtNeutral", Contrast.parse("fearful - neutral").label());
        assertEquals("facesAllGtShapes", Contrast.parse("faces_all-shapes").label());
        assertEquals("fearful", Contrast.parse("fearful").label());
        assertEquals("emo", Contrast.parse("emo = 0.5*fearful + 0.5*happy - neutral").label());
        assertEquals("0Point5TimesFearfulPlus0Point5TimesHappyMinusNeutral",
            Contrast.parse("0.5*fearful + 0.5*happy - neutral").label());
    }

    @Test
    void weights() {
        assertEquals(Map.of("a", 0.5, "b", 0.5, "c", -1.0), Contrast.parse("0.5*a + .5 b - c").terms());
        assertEquals(Map.of("a", 2.0), Contrast.parse("a + a").terms());
        assertEquals(Map.of("a", -1.0, "b", 1.0), Contrast.parse("-a + b").terms());
    }

    @Test
    void malformed() {
        assertThrows(KetaprintException.class, () -> Contrast.parse(""));
        assertThrows(KetaprintException.class, () -> Contrast.parse("a b"));
        assertThrows(KetaprintException.class, () -> Contrast.parse("a - * b"));
        assertThrows(KetaprintException.class, () -> Contrast.parse("a > b"));
    }

    private static Design design(String... rows) {
        List<String> lines = new java.util.ArrayList<>(List.of("onset\tduration\ttrial_type"));
        lines.addAll(List.of(rows));
        return Design.build(Design.frameTimes(60, 2, 0), Events.parse("ev.tsv", lines), Hrf.parse("spm"), 0.01, List.of(),
            null, null, 0);
    }

    @Test
    void absentTrialTypeIsNamed() {
        Design d = design("0\t10\tfearful", "30\t10\tneutral");
        assertArrayEquals(new double[] {1, -1}, java.util.Arrays.copyOf(Contrast.parse("fearful - neutral").weights(d, "ev.tsv"), 2));
        KetaprintException e = assertThrows(KetaprintException.class, () -> Contrast.parse("happy - neutral").weights(d, "ev.tsv"));
        assertTrue(e.getMessage().contains("'happy'") && e.getMessage().contains("ev.tsv"), e.getMessage());
    }

    @Test
    void notEstimable() {
        // every 'late' event starts after the run: its column is zero and no contrast on it is estimable
        Design d = design("0\t10\tfearful", "30\t10\tneutral", "900\t10\tlate");
        KetaprintException e = assertThrows(KetaprintException.class, () -> Contrast.parse("late - neutral").weights(d, "ev.tsv"));
        assertTrue(e.getMessage().contains("not estimable"), e.getMessage());
        // a drift column's weight is estimable
        Contrast.parse("constant").weights(d, "ev.tsv");
    }
}
