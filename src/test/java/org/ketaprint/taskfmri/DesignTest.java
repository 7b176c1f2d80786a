package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesignTest {
    private static Events events(String... rows) {
        List<String> lines = new ArrayList<>();
        lines.add("onset\tduration\ttrial_type");
        lines.addAll(List.of(rows));
        return Events.parse("events.tsv", lines);
    }

    /** The example in nilearn's make_first_level_design_matrix docstring (glover HRF, 9 frames, 1 s), as printed there. */
    @Test
    void nilearnsDocstringExample() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 9; i++) rows.add(i + "\t1\tET_" + (i / 3));
        double[] ft = Design.frameTimes(9, 1.0, 0);
        Design d = Design.build(ft, events(rows.toArray(new String[0])), Hrf.parse("glover"), 0.01, List.of(), null, null, 0);
        assertEquals(List.of("ET_0", "ET_1", "ET_2", "constant"), d.names());
        double[][] expected = {
            {0.000, 0.000, 0.000, 1.0}, {0.001, 0.000, 0.000, 1.0}, {0.022, 0.000, 0.000, 1.0},
            {0.135, 0.000, 0.000, 1.0}, {0.378, 0.001, 0.000, 1.0}, {0.688, 0.022, 0.000, 1.0},
            {0.910, 0.135, 0.000, 1.0}, {0.934, 0.378, 0.001, 1.0}, {0.771, 0.688, 0.022, 1.0}};
        for (int t = 0; t < 9; t++) {
            for (int j = 0; j < 4; j++) assertEquals(expected[t][j], Math.round(d.x()[t][j] * 1000) / 1000.0, 1e-12, t + "," + j);
        }
    }

    @Test
    void cosineDriftAsNilearnDefinesIt() {
        double[] ft = Design.frameTimes(100, 2.0, 0.5);
        double[][] c = Design.cosineDrift(0.01, ft);
        // order = floor(2 * 100 * 0.01 * 2) = 4, then the constant
        assertEquals(5, c.length);
        assertEquals(Math.sqrt(2.0 / 100) * Math.cos(Math.PI / 100 * 7.5 * 3), c[2][7], 1e-15);
        for (double v : c[4]) assertEquals(1.0, v);
    }

    @Test
    void sliceTimeReferenceShiftsFrames() {
        double[] ft = Design.frameTimes(4, 2.0, 0.5);
        assertEquals(1.0, ft[0]);
        assertEquals(7.0, ft[3]);
    }

    @Test
    void columnOrderConditionsConfoundsSpikesDriftConstant() {
        int n = 60;
        double[][] conf = new double[n][2];
        for (int t = 0; t < n; t++) {
            conf[t][0] = Math.sin(t);
            conf[t][1] = Math.cos(0.3 * t);
        }
        double[] fd = new double[n];
        fd[10] = 1.2;
        fd[40] = 0.95;
        fd[41] = 0.9;   // not above 0.9
        Design d = Design.build(Design.frameTimes(n, 2, 0), events("0\t10\tb", "30\t10\ta", "60\t10\tb"), Hrf.parse("spm"),
            0.01, List.of("trans_x", "rot_z"), conf, fd, 0.9);
        assertEquals(List.of("a", "b", "trans_x", "rot_z", "motion_outlier_00", "motion_outlier_01", "drift_1", "drift_2",
            "constant"), d.names());
        assertEquals(2, d.spikes());
        assertEquals(1.0, d.x()[10][4]);
        assertEquals(1.0, d.x()[40][5]);
        assertEquals(0.0, d.x()[41][5]);
    }

    @Test
    void eventsPastTheEndAreWarnedAndLeftOut() {
        int n = 30;
        Design with = Design.build(Design.frameTimes(n, 2, 0), events("0\t10\ta", "20\t10\tb", "500\t10\ta"), Hrf.parse("spm"),
            0.01, List.of(), null, null, 0);
        Design without = Design.build(Design.frameTimes(n, 2, 0), events("0\t10\ta", "20\t10\tb"), Hrf.parse("spm"),
            0.01, List.of(), null, null, 0);
        assertTrue(with.warnings().stream().anyMatch(w -> w.contains("1 event(s) start at or after the end")), with.warnings().toString());
        for (int t = 0; t < n; t++) assertEquals(without.x()[t][0], with.x()[t][0], 0.0);
    }

    @Test
    void shortRunIsWarned() {
        Design d = Design.build(Design.frameTimes(12, 2, 0), events("0\t4\ta", "10\t4\tb"), Hrf.parse("spm"), 0.01, List.of(),
            null, null, 0);
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("less than the 32 s HRF")), d.warnings().toString());
    }

    @Test
    void derivativesAreOrthogonalToTheirCondition() {
        Design d = Design.build(Design.frameTimes(80, 2, 0), events("4\t16\ta", "60\t16\ta", "100\t2\ta"),
            Hrf.parse("spm + derivative + dispersion"), 0.01, List.of(), null, null, 0);
        assertEquals(List.of("a", "a_derivative", "a_dispersion"), d.names().subList(0, 3));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < i; j++) {
                double dot = 0, ni = 0, nj = 0;
                for (double[] r : d.x()) {
                    dot += r[i] * r[j];
                    ni += r[i] * r[i];
                    nj += r[j] * r[j];
                }
                assertEquals(0.0, dot / Math.sqrt(ni * nj), 1e-12, i + " vs " + j);
            }
        }
    }
}
