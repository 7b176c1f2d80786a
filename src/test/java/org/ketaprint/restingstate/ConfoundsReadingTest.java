package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/**
 * Issue 15: {@link Confounds#read} names the file's line (header = line 1) of a bad row or cell, keeps the header's
 * columns in order, and takes a header-only file (no rows); an expansion suffix alone is no expansion name.
 */
class ConfoundsReadingTest {
    @TempDir
    Path tmp;

    Path tsv(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void columnsInHeaderOrder() throws Exception {
        Confounds c = Confounds.read(tsv("a.tsv", "trans_x\tcsf\tframewise_displacement\n1\t2\tn/a\n3\t4\t0.5\n"));
        assertEquals(List.of("trans_x", "csf", "framewise_displacement"), c.names());
        assertEquals(2, c.rows());
        assertArrayEquals(new double[] {0, 0.5}, c.column("framewise_displacement"));
        assertArrayEquals(new double[] {2, 4}, c.column("csf"));
    }

    @Test
    void aHeaderWithoutRowsIsZeroVolumes() throws Exception {
        Confounds c = Confounds.read(tsv("h.tsv", "framewise_displacement\tcsf_derivative1\n"));
        assertEquals(0, c.rows());
        assertEquals(0, c.column("framewise_displacement").length);
        assertEquals(0, c.column("csf_derivative1").length);
        assertEquals(0, Confounds.expansion(new double[0], "_derivative1").length);
        assertEquals(0, Confounds.expansion(new double[0], "_derivative1_power2").length);
    }

    @Test
    void errorsNameTheFilesLine() throws Exception {
        KetaprintException cells = assertThrows(KetaprintException.class,
            () -> Confounds.read(tsv("c.tsv", "a\tb\n1\t2\n3\n")));
        assertTrue(cells.getMessage().endsWith(": line 3 has 1 cells, the header has 2"), cells.getMessage());
        KetaprintException num = assertThrows(KetaprintException.class,
            () -> Confounds.read(tsv("n.tsv", "a\tb\n1\t2\n3\tx\n")));
        assertTrue(num.getMessage().endsWith(": line 3, column 'b': not a number: 'x'"), num.getMessage());
    }

    @Test
    void aSuffixAloneIsNoExpansion() {
        for (String s : List.of("_power2", "_derivative1")) {
            assertNull(Confounds.suffixOf(s), s);
            assertNull(Confounds.baseOf(s), s);
            assertEquals(s, Confounds.suffixOf("x" + s));
            assertEquals("x", Confounds.baseOf("x" + s));
        }
        assertEquals("_derivative1_power2", Confounds.suffixOf("x_derivative1_power2"));
        assertEquals("x", Confounds.baseOf("x_derivative1_power2"));
    }
}
