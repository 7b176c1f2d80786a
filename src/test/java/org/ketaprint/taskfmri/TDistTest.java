package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * t tail probabilities and nilearn's t-to-z against scipy 1.10 (scipy.stats.t.sf, and nilearn's z_score rule with
 * norm.isf / norm.ppf), printed by:
 * {@code /usr/bin/python3 -c "from scipy import stats; ..."} (the values below; see docs/taskfmri.md).
 */
class TDistTest {
    private static final double[][] SCIPY = {
        {0.5, 10, 0.31394680287148646, 0.4846937427461227},
        {2.0, 93, 0.02420863165822578, 1.973687711479553},
        {-3.0, 20, 0.9964620506043944, -2.693250949169006},
        {8.5, 150, 8.79244817933494e-15, 7.667158108453967},
        {15.0, 293, 1.9637189690438945e-38, 12.910499751993592},
        {40.0, 100, 1.2310538010700368e-63, 16.799475684947822},
        {-60.0, 290, 1.0, -27.42064289292122},
        {1000.0, 50, 1.670980682811937e-109, 22.2012278792795},
        {0.0, 30, 0.5, 0.0},
        {4e-05, 90, 0.49998408657329063, 3.988904534654958e-05},
        {-0.003, 150, 0.5011948320016925, -0.0029950041564260903},
        {0.999, 40, 0.16190000272924776, 0.9866790461815151},
    };

    @Test
    void asScipy() {
        for (double[] r : SCIPY) {
            assertEquals(r[2], TDist.sf(r[0], r[1]), 1e-12 * r[2], "sf " + r[0] + " " + r[1]);
            assertEquals(r[3], TDist.z(r[0], r[1]), 1e-9 * Math.abs(r[3]), "z " + r[0] + " " + r[1]);
        }
    }

    @Test
    void clippedAt1eMinus300AsNilearn() {
        assertEquals(37.0470962993612, TDist.z(1e5, 290), 1e-9);   // norm.isf(1e-300)
        assertEquals(-37.0470962993612, TDist.z(-1e5, 290), 1e-9);
    }

    @Test
    void largeDofIsNormal() {
        // t with 1e9 degrees of freedom is the standard normal: z = t
        for (double t : new double[] {-5, -1.5, 0.3, 4, 9}) assertEquals(t, TDist.z(t, 1e9), 1e-6);
    }

    @Test
    void quantileInvertsTheTail() {
        for (double q : new double[] {0.4, 0.05, 1e-5, 1e-20, 1e-100, 1e-250}) {
            double z = TDist.upperQuantile(q);
            assertEquals(1.0, TDist.upperTail(z) / q, 1e-12, "q " + q);
        }
    }
}
