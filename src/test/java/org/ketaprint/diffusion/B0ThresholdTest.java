package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

/** DIPY's b0_threshold = 50: b = 50 exactly is a b0 volume, b = 51 is not. */
class B0ThresholdTest {
    static final double[] X = {1, 0, 0};

    @Test
    void bFiftyIsB0AndFiftyOneIsNot() {
        Gradients g = Gradients.of(new double[] {0, 50, 51, 1000}, new double[][] {X, {0, 1, 0}, {0, 0, 1}, X}, "t");
        assertTrue(g.isB0(1), "b=50 is a b0");
        assertFalse(g.isB0(2), "b=51 is not a b0");
        assertArrayEquals(new int[] {0, 1}, g.b0Indices());
        assertEquals(50, g.bval(1));     // a b0 with a unit direction keeps its b-value, as DIPY
        assertEquals(51, g.bval(2));
    }

    @Test
    void aTableWhoseLowestBIsFiftyHasAB0AndFiftyOneHasNone() {
        Gradients g = Gradients.of(new double[] {50, 1000}, new double[][] {{0, 0, 0}, X}, "t");
        assertArrayEquals(new int[] {0}, g.b0Indices());
        assertEquals(0, g.bval(0));      // a b0 without a unit direction becomes a plain b=0 volume
        KetaprintException e = assertThrows(KetaprintException.class,
            () -> Gradients.of(new double[] {51, 1000}, new double[][] {X, X}, "t"));
        assertTrue(e.getMessage().contains("no b0 volume"), e.getMessage());
        // b=51 with a zero direction is a diffusion-weighted volume without a direction: refused
        assertThrows(KetaprintException.class, () -> Gradients.of(new double[] {0, 51}, new double[][] {{0, 0, 0}, {0, 0, 0}}, "t"));
    }
}
