package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

/** The HRF kernels against the values nilearn's docstrings print (t_r 2 s, oversampling 1, 20 s), rounded to 3 decimals. */
class HrfTest {
    private static void assertRounded(double[] expected, double[] got) {
        assertEquals(expected.length, got.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Math.round(got[i] * 1000) / 1000.0, 1e-12, "sample " + i);
        }
    }

    @Test
    void spmAsNilearnsDocstring() {
        List<double[]> k = Hrf.parse("spm + derivative").kernels(2.0, 1, 20.0);
        assertRounded(new double[] {0.0, 0.0, 0.161, 0.443, 0.335, 0.139, 0.022, -0.028, -0.04, -0.033}, k.get(0));
        assertRounded(new double[] {0.0, 0.0, 0.167, 0.04, -0.091, -0.072, -0.035, -0.013, -0.0, 0.005}, k.get(1));
    }

    @Test
    void gloverAsNilearnsDocstring() {
        List<double[]> k = Hrf.parse("Glover + derivative + dispersion").kernels(2.0, 1, 20.0);
        assertRounded(new double[] {0.0, 0.0, 0.226, 0.741, 0.5, 0.037, -0.181, -0.176, -0.103, -0.045}, k.get(0));
        assertRounded(new double[] {0.0, -0.0, -0.373, 0.282, 0.295, -0.04, -0.094, -0.048, -0.017, -0.005}, k.get(2));
    }

    @Test
    void sumsToOneOnTheOversampledGrid() {
        double[] h = Hrf.parse("spm").kernels(2.0, 50).get(0);
        assertEquals(800, h.length);   // rint(32 / (2 / 50))
        double s = 0;
        for (double v : h) s += v;
        assertEquals(1.0, s, 1e-12);
    }

    @Test
    void names() {
        assertEquals(List.of("f", "f_derivative", "f_dispersion"), Hrf.parse("spm+derivative+dispersion").columnNames("f"));
        assertEquals("glover + derivative", Hrf.parse("GLOVER + derivative").name());
        assertThrows(KetaprintException.class, () -> Hrf.parse("fir"));
        assertThrows(KetaprintException.class, () -> Hrf.parse("spm + dispersion"));
    }

    @Test
    void gammaPdfAsScipy() {
        // scipy.stats.gamma.pdf(7.0, 6, loc=0.04, scale=1) = 0.14812..., from the closed form x^(a-1) e^-x / Gamma(a)
        double x = 7.0 - 0.04;
        double expected = Math.pow(x, 5) * Math.exp(-x) / 120.0;
        assertEquals(expected, Hrf.gammaPdf(7.0, 6, 0.04, 1), 1e-15);
        assertEquals(0.0, Hrf.gammaPdf(0.01, 6, 0.04, 1));
    }
}
