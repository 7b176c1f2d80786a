package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.measure.Value;

/** Censoring by FD (above the threshold only), the quality values of one and two runs, pass-band edges (issue 15). */
class QualityCensoringBandTest {
    @TempDir
    Path tmp;

    @Test
    void censoringDropsOnlyVolumesAboveTheThreshold() {
        double[] fd = {0, 0.2, 0.5, 0.7, 0.5, 0.1};
        Censoring c = Censoring.byFd(fd, 6, 0.5);
        assertArrayEquals(new boolean[] {true, true, true, false, true, true}, c.keep());
        assertEquals(6, c.volumes());
        assertEquals(5, c.used());
        assertEquals(1, c.censored());
        assertEquals(0.5, c.threshold(), 0);
        assertEquals(2.0 / 6, c.fdMean(), 1e-15);
        Censoring off = Censoring.byFd(fd, 6, 0);
        assertEquals(6, off.used());
        assertEquals(2.0 / 6, off.fdMean(), 1e-15);
        Censoring none = Censoring.none(4);
        assertEquals(4, none.used());
        assertTrue(Double.isNaN(none.fdMean()));
    }

    RestingData.Run run(String name, int nt, double[] fd, long seed) throws Exception {
        GbcDefinitionTest g = new GbcDefinitionTest();
        g.tmp = tmp;
        BoldRun b = g.run(name, nt, seed);
        Confounds c = null;
        if (fd != null) {
            StringBuilder tsv = new StringBuilder("framewise_displacement\n");
            for (double f : fd) tsv.append(f).append('\n');
            Path p = tmp.resolve(name + ".tsv");
            Files.writeString(p, tsv);
            c = Confounds.read(p);
        }
        return new RestingData.Run(b, c, n -> null, name);
    }

    static double[] fd(int nt, int every) {
        double[] f = new double[nt];
        for (int t = 1; t < nt; t++) f[t] = t % every == 0 ? 0.9 : 0.1;
        return f;
    }

    static double value(Quality q, RestingData d, String which) {
        return q.compute(d, new Quality.Params(which)).value();
    }

    @Test
    void qualityOfOneAndTwoRuns() throws Exception {
        Quality q = new Quality();
        Settings s = new Settings(Strategy.parse("none"), 0.5, 0, null);
        double[] fa = fd(40, 10), fb = fd(30, 6);   // 3 and 4 volumes above 0.5 mm
        RestingData.Run a = run("a", 40, fa, 1), b = run("b", 30, fb, 2);
        RestingData one = new RestingData(a.bold(), a.confounds(), s, n -> null, () -> null, null);
        assertEquals(37, value(q, one, "n_used"), 0);
        assertEquals(3, value(q, one, "n_censored"), 0);
        assertEquals((0.1 * 36 + 0.9 * 3) / 40, value(q, one, "fd_mean"), 1e-12);
        RestingData two = new RestingData(List.of(a, b), s, () -> null, null);
        assertEquals(37 + 26, value(q, two, "n_used"), 0);
        assertEquals(3 + 4, value(q, two, "n_censored"), 0);
        assertEquals((0.1 * 36 + 0.9 * 3 + 0.1 * 25 + 0.9 * 4) / 70, value(q, two, "fd_mean"), 1e-12);
        RestingData.Run bare = run("bare", 40, null, 3);
        Value na = q.compute(new RestingData(bare.bold(), null, s, n -> null, () -> null, null), new Quality.Params("fd_mean"));
        assertTrue(Double.isNaN(na.value()));
        assertEquals(Quality.NO_FD, na.na());
    }

    @Test
    void qualityDescribesItsValues() {
        Quality q = new Quality();
        assertEquals("mm", q.units(new Quality.Params("fd_mean")));
        assertEquals("volumes", q.units(new Quality.Params("n_used")));
        assertEquals("volumes", q.units(new Quality.Params("n_censored")));
        assertTrue(q.describe(new Quality.Params("fd_mean")).startsWith("Mean framewise displacement"));
        assertTrue(q.describe(new Quality.Params("n_censored")).startsWith("Volumes censored"));
        assertTrue(q.describe(new Quality.Params("n_used")).startsWith("Volumes used"));
    }

    @Test
    void bandEdgesAndSyntax() {
        Band b = Band.parse(" 0.01 , 0.1 ");
        assertEquals(new Band(0.01, 0.1), b);
        assertTrue(b.contains(0.01) && b.contains(0.1) && b.contains(0.05));
        assertTrue(b.contains(0.01 - 0.5e-9) && b.contains(0.1 + 0.5e-9));
        assertFalse(b.contains(0.01 - 2e-9) || b.contains(0.1 + 2e-9));
        assertNull(Band.parse("none"));
        assertNull(Band.parse(" NONE "));
        assertNull(Band.parse(null));
        for (String bad : new String[] {"0.1", "0.1,0.2,0.3", "a,b", "0.1,0.1", "0.2,0.1", "-0.1,0.1"}) {
            assertThrows(KetaprintException.class, () -> Band.parse(bad), bad);
        }
        assertEquals(0, new Band(0, 0.1).low(), 0);
    }
}
