package org.ketaprint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Issue 14: an OutOfMemoryError, also as the cause of another exception (a worker's), is one line naming -Xmx. */
class OutOfMemoryReportTest {
    @Test
    void wrappedOutOfMemoryIsOneLineExit2() {
        StringWriter s = new StringWriter();
        int rc = Main.report(new IllegalStateException(new java.util.concurrent.ExecutionException(
            new OutOfMemoryError("Java heap space"))), false, new PrintWriter(s));
        assertEquals(2, rc);
        String err = s.toString();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.matches("ketaprint: out of memory: the Java heap \\(max \\d+ MB\\) is too small for this input; give"
            + " Java more, e\\.g\\. KETAPRINT_JAVA_OPTS=-Xmx\\d+g .*\\R"), err);
    }

    @Test
    void otherInternalErrorsStayInternal() {
        StringWriter s = new StringWriter();
        assertEquals(1, Main.report(new IllegalStateException("boom"), false, new PrintWriter(s)));
        assertTrue(s.toString().startsWith("ketaprint: internal error: boom"), s.toString());
    }
}
