package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the data dictionary says of each resting-state measure: units, ROI and a description that follows the parameters (issue 15). */
class MeasureDescriptionsTest {
    @Test
    void gbc() {
        Gbc m = new Gbc();
        Gbc.Params with = new Gbc.Params("pfc", true), without = new Gbc.Params("pfc", false);
        assertEquals("z", m.units(with));
        assertEquals("pfc", m.roi(with));
        assertTrue(m.describe(with).startsWith("Global brain connectivity"), m.describe(with));
        assertTrue(m.describe(with).endsWith(" with global signal regression"), m.describe(with));
        assertTrue(m.describe(without).endsWith(" without global signal regression"), m.describe(without));
    }

    @Test
    void alff() {
        Alff m = new Alff();
        Alff.Params alff = new Alff.Params("sgacc", false, "alff"), falff = new Alff.Params("sgacc", true, "falff");
        assertEquals("signal units", m.units(alff));
        assertEquals("ratio", m.units(falff));
        assertEquals("sgacc", m.roi(alff));
        assertTrue(m.describe(alff).startsWith("ALFF: "), m.describe(alff));
        assertTrue(m.describe(falff).startsWith("fALFF: "), m.describe(falff));
    }

    @Test
    void seedCorrelation() {
        SeedCorrelation m = new SeedCorrelation();
        SeedCorrelation.Params z = new SeedCorrelation.Params("a", "b", false, "z");
        SeedCorrelation.Params r = new SeedCorrelation.Params("a", "b", true, "r");
        assertEquals("z", m.units(z));
        assertEquals("r", m.units(r));
        assertEquals("a -> b", m.roi(z));
        assertEquals("Fisher z (atanh r) between the mean clean series of 'a' and 'b', without global signal regression", m.describe(z));
        assertTrue(m.describe(r).startsWith("Pearson r between"), m.describe(r));
        assertTrue(m.describe(r).endsWith(", with global signal regression"), m.describe(r));
        assertFalse(m.describe(r).contains("without"));
    }
}
