package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** When a run's features are n/a (both limits inclusive), censoring without FD, the global signal's source, ROI syntax edges (issue 15). */
class CleaningEdgesTest {
    @TempDir
    Path tmp;

    GbcDefinitionTest files() {
        GbcDefinitionTest g = new GbcDefinitionTest();
        g.tmp = tmp;
        return g;
    }

    static Settings settings(String strategy, double fd, double minSeconds) {
        return new Settings(Strategy.parse(strategy), fd, minSeconds, null);
    }

    @Test
    void exactlyTheMinimumTimeIsEnough() {
        BoldRun run = files().run("bold", 40, 1);   // 40 volumes of 2 s
        assertNull(Cleaning.of(run, null, settings("none", 0, 80)).naReason());
        String na = Cleaning.of(run, null, settings("none", 0, 80.5)).naReason();
        assertNotNull(na);
        assertTrue(na.startsWith("only 80.0 s (40 volumes) left"), na);
    }

    @Test
    void threeDegreesOfFreedomAreEnough() {
        GbcDefinitionTest g = files();
        Cleaning five = Cleaning.of(g.run("five", 5, 2), null, settings("none", 0, 0));
        assertEquals(3, five.denoiser().dof());
        assertNull(five.naReason());
        Cleaning four = Cleaning.of(g.run("four", 4, 3), null, settings("none", 0, 0));
        assertEquals(2, four.denoiser().dof());
        assertEquals("the design (2 independent regressors) leaves 2 degrees of freedom in 4 volumes", four.naReason());
    }

    @Test
    void noCensoringWithoutAnFdColumnWhenTheThresholdIsZero() throws Exception {
        BoldRun run = files().run("bold", 40, 4);
        StringBuilder tsv = new StringBuilder("csf\n");
        for (int t = 0; t < 40; t++) tsv.append(t % 7).append('\n');
        Path f = tmp.resolve("conf.tsv");
        Files.writeString(f, tsv);
        Confounds c = Confounds.read(f);
        Cleaning cl = Cleaning.of(run, c, settings("none", 0, 0));
        assertEquals(40, cl.censoring().used());
        assertEquals(0, cl.censoring().censored());
        assertNull(cl.naReason());
        // no confounds: no censoring whatever the threshold
        Censoring none = Cleaning.censoring(run, null, settings("none", 0.5, 0));
        assertEquals(40, none.used());
        assertTrue(Double.isNaN(none.fdMean()));
    }

    @Test
    void theGlobalSignalSourceIsNamed() {
        BoldRun run = files().run("bold", 40, 5);
        assertEquals("mean over the brain mask", Cleaning.of(run, null, settings("none+gsr", 0, 0)).globalSource());
        assertNull(Cleaning.of(run, null, settings("none", 0, 0)).globalSource());
    }

    @Test
    void roiSyntaxEdges() {
        assertThrows(KetaprintException.class, () -> Roi.sphere(0, 0, 0, 0));
        for (String bad : new String[] {"atlas::1", "atlas:file.nii:", "atlas:"}) {
            KetaprintException e = assertThrows(KetaprintException.class, () -> Roi.parse(bad));
            assertTrue(e.getMessage().contains("expected atlas:FILE:LABEL"), e.getMessage());
        }
        assertEquals("atlas:f.nii:1", Roi.parse("atlas:f.nii:1").spec());
        assertEquals("sphere:6,16,-10,10", Roi.parse("sphere:6, 16.0, -10,10").spec());
        assertEquals("sphere:1.5,0,-2.25,0.5", Roi.sphere(1.5, 0, -2.25, 0.5).spec());
    }
}
