package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** FD exactly at the threshold is kept (fd &gt; threshold is censored), just above it is censored. */
class CensoringThresholdTest {
    @Test
    void fdAtThresholdIsKeptAndJustAboveIsCensored() {
        double th = 0.5;
        double[] fd = {0, 0.5, Math.nextUp(0.5), 0.49, 0.51, 0.5};
        Censoring c = Censoring.byFd(fd, fd.length, th);
        assertArrayEquals(new boolean[] {true, true, false, true, false, true}, c.keep());
        assertEquals(4, c.used());
        assertEquals(2, c.censored());
        assertEquals(th, c.threshold());
    }

    @Test
    void zeroThresholdKeepsEverything() {
        double[] fd = {0, 0.3, 2.0};
        Censoring c = Censoring.byFd(fd, fd.length, 0);
        assertArrayEquals(new boolean[] {true, true, true}, c.keep());
        assertEquals(2.3 / 3, c.fdMean(), 1e-15);
    }
}
