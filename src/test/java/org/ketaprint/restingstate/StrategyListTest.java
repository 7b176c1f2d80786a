package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

/**
 * Issue 15: {@link Strategy#of} on lists mixing named sets and columns (each item of a list counts, a single column
 * is a column, global_signal means GSR), the name as given, and {@link Strategy#withoutGsr}.
 */
class StrategyListTest {
    static final List<String> MOTION24 = motion24();

    static List<String> motion24() {
        List<String> out = new ArrayList<>();
        for (String m : new String[] {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"}) {
            out.addAll(List.of(m, m + "_derivative1", m + "_power2", m + "_derivative1_power2"));
        }
        return out;
    }

    @Test
    void aSingleColumnIsAColumn() {
        Strategy s = Strategy.of(List.of("csf"));
        assertEquals(List.of("csf"), s.columns());
        assertFalse(s.gsr());
        assertEquals("csf", s.name());
    }

    @Test
    void aSingleNamedSetIsParsedAsIs() {
        Strategy s = Strategy.of(List.of(" 24P+gsr "));
        assertEquals(MOTION24, s.columns());
        assertTrue(s.gsr());
        assertEquals("24P+gsr", s.name());
        assertEquals(List.of("trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"), Strategy.of(List.of("6P")).columns());
    }

    @Test
    void everyItemOfAListCounts() {
        Strategy s = Strategy.of(List.of("24P", "csf"));
        List<String> want = new ArrayList<>(MOTION24);
        want.add("csf");
        assertEquals(want, s.columns());
        assertFalse(s.gsr());
        assertEquals("24P,csf", s.name());

        Strategy g = Strategy.of(List.of("6P+gsr,white_matter"));
        assertTrue(g.gsr(), "the gsr of a '+'-joined item");
        assertEquals(7, g.columns().size());
        assertEquals("white_matter", g.columns().get(6));
        assertEquals("6P+gsr,white_matter", g.name());

        Strategy c = Strategy.of(List.of("csf", "global_signal", "csf"));
        assertEquals(List.of("csf"), c.columns());
        assertTrue(c.gsr(), "global_signal in a list is GSR");

        Strategy n = Strategy.of(List.of("csf", "gsr"));
        assertEquals(List.of("csf"), n.columns());
        assertTrue(n.gsr());
        assertFalse(Strategy.of(List.of("csf", "none")).gsr());
        assertThrows(KetaprintException.class, () -> Strategy.of(List.of("24P", "Bad-Col")));
        assertThrows(KetaprintException.class, () -> Strategy.of(List.of("24P", "csf+x")));
        assertThrows(KetaprintException.class, () -> Strategy.of(List.of(" , ")));
    }

    @Test
    void withoutGsrDropsTheGlobalSignalAndItsExpansions() {
        Strategy plain = Strategy.parse("24P");
        assertSame(plain, plain.withoutGsr());

        Strategy g = Strategy.parse("24P+gsr").withoutGsr();
        assertFalse(g.gsr());
        assertEquals(MOTION24, g.columns());
        assertEquals("24P+gsr-gsr", g.name());

        Strategy p36 = Strategy.parse("36P").withoutGsr();
        assertFalse(p36.gsr());
        assertEquals(32, p36.columns().size());
        assertTrue(p36.columns().stream().noneMatch(c -> c.startsWith("global_signal")), p36.columns().toString());

        // no GSR flag but global-signal expansions among the columns: removed
        Strategy cols = Strategy.columns(List.of("global_signal_derivative1", "csf")).withoutGsr();
        assertEquals(List.of("csf"), cols.columns());
        assertFalse(cols.gsr());
    }
}
