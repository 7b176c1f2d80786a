package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

class EventsTest {
    @Test
    void readsBidsColumns() {
        Events e = Events.parse("e.tsv", List.of("onset\tduration\ttrial_type\tmodulation\tresponse_time",
            "0\t20\tneutral\t1\t0.5", "20.5\t20\tfearful\t2.5\tn/a", "", "41\t0\tneutral\t1\t1"));
        assertEquals(List.of("fearful", "neutral"), e.conditions());
        double[][] n = e.of("neutral");
        assertEquals(0.0, n[0][0]);
        assertEquals(41.0, n[0][1]);
        assertEquals(0.0, n[1][1]);
        assertEquals(2.5, e.of("fearful")[2][0]);
    }

    @Test
    void naDurationIsAnErrorNamingTheRows() {
        KetaprintException x = assertThrows(KetaprintException.class, () -> Events.parse("e.tsv",
            List.of("onset\tduration\ttrial_type", "0\tn/a\ta", "5\t2\ta", "9\tn/a\tb")));
        assertTrue(x.getMessage().contains("e.tsv") && x.getMessage().contains("row 1, 3"), x.getMessage());
    }

    @Test
    void withoutTrialTypeEveryEventIsDummy() {
        Events e = Events.parse("e.tsv", List.of("onset\tduration", "0\t2", "10\t2"));
        assertEquals(List.of("dummy"), e.conditions());
        assertTrue(e.warnings().get(0).contains("trial_type"));
    }

    @Test
    void badInput() {
        assertThrows(KetaprintException.class, () -> Events.parse("e.tsv", List.of("onset\ttrial_type", "0\ta")));
        assertThrows(KetaprintException.class, () -> Events.parse("e.tsv", List.of("onset\tduration", "x\t2")));
        assertThrows(KetaprintException.class, () -> Events.parse("e.tsv", List.of("onset\tduration", "1\t-2")));
        assertThrows(KetaprintException.class, () -> Events.parse("e.tsv", List.of("onset\tduration")));
        assertThrows(KetaprintException.class, () -> Events.parse("e.tsv", List.of("onset\tduration\ttrial_type", "1\t2")));
    }
}
