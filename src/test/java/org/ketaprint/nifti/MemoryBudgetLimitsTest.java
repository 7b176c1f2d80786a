package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MemoryBudget.check at its limits: exactly one Java array and exactly the budget are allowed, one more is not; the
 * message suggests a heap of ceil(need * 4/3 GiB) + 1; sizes below 10 MiB are in bytes. No array is made. Issue 15.
 */
class MemoryBudgetLimitsTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(MemoryBudget.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty(MemoryBudget.PROPERTY);
        else System.setProperty(MemoryBudget.PROPERTY, saved);
    }

    @Test
    void oneFullArrayIsAllowedOneMoreElementIsNot() {
        System.setProperty(MemoryBudget.PROPERTY, "1t");
        long max = Integer.MAX_VALUE - 8;
        assertEquals((int) max, MemoryBudget.check("f", "all", max, 1));
        assertThrows(NiftiException.class, () -> MemoryBudget.check("f", "all", max + 1, 1));
    }

    @Test
    void exactlyTheBudgetIsAllowed() {
        System.setProperty(MemoryBudget.PROPERTY, "1000");
        assertEquals(250, MemoryBudget.check("f", "all", 250, 4));
        assertEquals(125, MemoryBudget.check("f", "all", 125, 8));
        assertThrows(NiftiException.class, () -> MemoryBudget.check("f", "all", 251, 4));
        assertThrows(NiftiException.class, () -> MemoryBudget.check("f", "all", 126, 8));
    }

    /** 3 GiB needed: 4/3 of it is 4 GiB, plus 1 GiB: -Xmx5g. 3 GiB + 8 bytes: ceil gives 5, plus 1: -Xmx6g. */
    @Test
    void suggestedHeapIsFourThirdsOfTheNeedRoundedUpPlusOne() {
        System.setProperty(MemoryBudget.PROPERTY, "1000");
        long threeGiB = 3L << 30;
        NiftiException e = assertThrows(NiftiException.class,
            () -> MemoryBudget.check("f", "all", threeGiB / 4, 4));
        assertTrue(e.getMessage().contains("KETAPRINT_JAVA_OPTS=-Xmx5g,"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 3072 MB, over the memory budget of 1000 bytes"), e.getMessage());
        NiftiException f = assertThrows(NiftiException.class,
            () -> MemoryBudget.check("f", "all", threeGiB / 8 + 1, 8));
        assertTrue(f.getMessage().contains("KETAPRINT_JAVA_OPTS=-Xmx6g,"), f.getMessage());
    }

    @Test
    void sizesBelowTenMegabytesAreInBytes() {
        assertEquals("10485759 bytes", MemoryBudget.size((10L << 20) - 1));
        assertEquals("10 MB", MemoryBudget.size(10L << 20));
        assertEquals("0 bytes", MemoryBudget.size(0));
        assertEquals("8192 MB", MemoryBudget.size(8L << 30));
    }

    /** With neither the property nor the variable set, the message names 3/4 of the heap as the budget's source. */
    @Test
    void defaultBudgetIsNamedInTheMessage() {
        String env = System.getenv(MemoryBudget.ENV);
        Assumptions.assumeTrue(env == null || env.isBlank(), MemoryBudget.ENV + " is set");
        System.clearProperty(MemoryBudget.PROPERTY);
        long heap = Runtime.getRuntime().maxMemory();
        Assumptions.assumeTrue(heap < (1L << 40), "heap too large to exceed with one array");
        long budget = heap / 4 * 3;
        long elements = budget / 8 + 1;
        Assumptions.assumeTrue(elements <= Integer.MAX_VALUE - 8, "heap too large to exceed with one array");
        NiftiException e = assertThrows(NiftiException.class, () -> MemoryBudget.check("f", "all", elements, 8));
        assertTrue(e.getMessage().contains("(3/4 of the " + MemoryBudget.size(heap) + " Java heap)"), e.getMessage());
    }
}
