package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;

/** .bval/.bvec parsing details: NaN/Inf tokens, line numbers and numbers in messages, layouts, the FSL flip rule (issue 15). */
class GradientsFilesTest {
    @TempDir
    Path tmp;

    static final String BVEC = "1 0 0 0\n0 1 0 0\n0 0 1 0\n";

    Path file(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    String error(String bval, String bvec) throws IOException {
        Path a = file("a.bval", bval), b = file("a.bvec", bvec);
        return assertThrows(KetaprintException.class, () -> Gradients.read(a, b, null)).getMessage();
    }

    @Test
    void nanAndInfiniteBValuesAreRefusedNotReadAsZero() throws IOException {
        for (String tok : new String[] {"nan", "NaN", "-nan", "inf", "+inf", "Inf", "-inf"}) {
            String m = error("1000 1000 " + tok + " 0\n", BVEC);
            assertTrue(m.contains("of volume 2 is not a finite value >= 0"), tok + ": " + m);
        }
    }

    @Test
    void nanInABvecIsAZeroComponent() throws IOException {
        Path a = file("n.bval", "1000 1000 1000 0\n"), b = file("n.bvec", "1 nan 0 0\nnan 1 0 0\n0 0 1 nan\n");
        Gradients g = Gradients.read(a, b, null);
        assertArrayEquals(new double[] {1, 0, 0}, g.bvec(0));
        assertArrayEquals(new double[] {0, 1, 0}, g.bvec(1));
        assertArrayEquals(new double[] {0, 0, 0}, g.bvec(3));
        assertTrue(g.warnings().isEmpty(), g.warnings().toString());   // all directions are unit: nothing normalised
    }

    @Test
    void badTokenNamesItsLine() throws IOException {
        String m = error("# comment\n0 1000 1000 x1000\n", BVEC);
        assertTrue(m.contains(": line 2: 'x1000' is not a number"), m);
    }

    @Test
    void bValuesMustBeOneRowOrOneColumn() throws IOException {
        String m = error("0 1000\n1000 1000\n", BVEC);
        assertTrue(m.contains("b-values must be one row (or one column), found 2 rows"), m);
        Path a = file("c.bval", "1000\n1000\n2000\n0\n"), b = file("c.bvec", BVEC);
        Gradients g = Gradients.read(a, b, null);
        assertEquals(4, g.count());
        assertEquals(2000, g.bval(2));
    }

    @Test
    void numbersInMessages() {
        String m = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {0, -2.5}, new double[][] {{0, 0, 0}, {1, 0, 0}}, "t")).getMessage();
        assertTrue(m.contains("b-value -2.5 of volume 1"), m);
        m = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {0, -3}, new double[][] {{0, 0, 0}, {1, 0, 0}}, "t")).getMessage();
        assertTrue(m.contains("b-value -3 of volume 1"), m);
        m = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {0, 1e15}, new double[][] {{0, 0, 0}, {0, 0, 0}}, "t")).getMessage();
        assertTrue(m.contains("has b=1.0E15 but a zero"), m);
        m = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {0, 999999999999999.0}, new double[][] {{0, 0, 0}, {0, 0, 0}}, "t")).getMessage();
        assertTrue(m.contains("has b=999999999999999 but a zero"), m);
        m = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {0, 1500.5}, new double[][] {{0, 0, 0}, {0, 0, 0}}, "t")).getMessage();
        assertTrue(m.contains("has b=1500.5 but a zero"), m);
        m = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {1000}, new double[][] {{1, 0, 0}}, "t")).getMessage();
        assertTrue(m.contains("(no b-value <= 50)"), m);
    }

    @Test
    void fslFlipAppliesToPositiveDeterminantsOnly() {
        assertTrue(Gradients.fslFlipApplies(Affine.identity()));
        assertFalse(Gradients.fslFlipApplies(new Affine(new double[][] {{-2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}})));
        assertFalse(Gradients.fslFlipApplies(new Affine(new double[][] {{0, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}})));
    }
}
