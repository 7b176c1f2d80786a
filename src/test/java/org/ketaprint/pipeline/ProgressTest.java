package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainLinesWithoutATerminalAndABarWithOne() {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(plain, true, StandardCharsets.UTF_8), false, false);
        p.start(2);
        p.stage("sub-01", "structural");
        p.done("sub-01", "ok");
        p.done("sub-02", "failed");
        p.finish();
        String s = plain.toString(StandardCharsets.UTF_8);
        assertEquals(3, s.lines().count(), s);
        assertTrue(s.contains("sub-02 failed (2/2)"), s);
        assertTrue(!s.contains("\r"), "no carriage returns in logs");

        ByteArrayOutputStream term = new ByteArrayOutputStream();
        Progress t = new Progress(new PrintStream(term, true, StandardCharsets.UTF_8), true, false);
        t.start(2);
        t.stage("sub-01", "diffusion");
        t.done("sub-01", "failed");
        String b = term.toString(StandardCharsets.UTF_8);
        assertTrue(b.contains("\r[###############               ] 1/2 done, 1 failed"), b);
        assertTrue(b.contains("sub-01 diffusion"), b);
    }
}
