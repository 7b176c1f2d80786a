package org.ketaprint.mutation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-package score check that gates CI, on a hand-written mutations.xml. */
class MutationScoresTest {
    @TempDir
    Path tmp;

    static String mutation(String status, String cls) {
        return "<mutation detected='x' status='" + status + "' numberOfTestsRun='1'><sourceFile>A.java</sourceFile>"
            + "<mutatedClass>" + cls + "</mutatedClass><description>d</description></mutation>\n";
    }

    /** Package a: 8 killed, 1 timed out, 1 survived, 2 not covered (9/10 = 90 %); package b: 1 killed, 1 survived. */
    String xml() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<mutations>\n");
        for (int i = 0; i < 8; i++) b.append(mutation("KILLED", "p.a.A"));
        b.append(mutation("TIMED_OUT", "p.a.A$Inner")).append(mutation("SURVIVED", "p.a.A"));
        b.append(mutation("NO_COVERAGE", "p.a.B")).append(mutation("NO_COVERAGE", "p.a.A"));
        b.append(mutation("KILLED", "p.b.C")).append(mutation("SURVIVED", "p.b.C"));
        return b.append("</mutations>\n").toString();
    }

    @Test
    void countsPerPackageAndClass() {
        Map<String, int[]> cls = new TreeMap<>();
        Map<String, int[]> pkg = MutationScores.count(xml(), cls);
        assertArrayEquals(new int[] {12, 9, 1, 2}, pkg.get("p.a"));
        assertArrayEquals(new int[] {2, 1, 1, 0}, pkg.get("p.b"));
        assertArrayEquals(new int[] {11, 9, 1, 1}, cls.get("p.a.A"), "inner classes count with their outer class");
        assertEquals(90.0, MutationScores.strength(pkg.get("p.a")), 1e-12);
        assertEquals(50.0, MutationScores.strength(pkg.get("p.b")), 1e-12);
    }

    @Test
    void failsBelowTheBarAndOnAnUncoveredClass() throws IOException {
        Path f = tmp.resolve("m.xml");
        Files.writeString(f, xml());
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> MutationScores.main(new String[] {f.toString(), "90", "p.b=50"}));
        assertTrue(e.getMessage().contains("p.a.B: no test covers this class"), e.getMessage());
        assertTrue(!e.getMessage().contains("p.b:") && !e.getMessage().contains("p.a:"), e.getMessage());
        String covered = xml().replace(mutation("NO_COVERAGE", "p.a.B"), mutation("KILLED", "p.a.B"));
        Files.writeString(f, covered);
        assertDoesNotThrow(() -> MutationScores.main(new String[] {f.toString(), "90", " p.b=50 "}));
        IllegalStateException low = assertThrows(IllegalStateException.class,
            () -> MutationScores.main(new String[] {f.toString(), "90", ""}));
        assertTrue(low.getMessage().contains("p.b: 50.0% of covered mutants killed < 90%"), low.getMessage());
        assertThrows(IllegalStateException.class, () -> MutationScores.main(new String[] {f.toString(), "92", "p.b=50"}));
        // the pom's empty <mutation.floors> reaches main as a null argument: no floors, not a crash
        IllegalStateException none = assertThrows(IllegalStateException.class,
            () -> MutationScores.main(new String[] {f.toString(), "90", null}));
        assertTrue(none.getMessage().contains("p.b: 50.0% of covered mutants killed < 90%"), none.getMessage());
        assertDoesNotThrow(() -> MutationScores.main(new String[] {f.toString(), "50", null}));
    }
}
