package org.ketaprint.pipeline;

import java.io.PrintStream;

/** Progress of a run: a one-line bar on a terminal, plain log lines otherwise. */
public final class Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final boolean quiet;
    private int total;
    private int done;
    private int failed;
    private String current = "";

    public Progress(PrintStream err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    public static Progress auto() {
        return new Progress(System.err, System.console() != null, false);
    }

    public static Progress silent() {
        return new Progress(System.err, false, true);
    }

    synchronized void start(int n) {
        total = n;
        if (!quiet) line("ketaprint: " + n + " subject-session(s) to process");
    }

    synchronized void stage(String prefix, String stage) {
        current = prefix + " " + stage;
        bar();
    }

    synchronized void done(String prefix, String status) {
        done++;
        if (status.equals("failed")) failed++;
        if (!terminal && !quiet) line("ketaprint: " + prefix + " " + status + " (" + done + "/" + total + ")");
        bar();
    }

    synchronized void finish() {
        if (terminal && !quiet) err.println();
    }

    private void bar() {
        if (!terminal || quiet) return;
        int width = 30;
        int fill = total == 0 ? width : done * width / total;
        String s = String.format("\r[%s%s] %d/%d done, %d failed  %-40.40s", "#".repeat(fill), " ".repeat(width - fill),
            done, total, failed, current);
        err.print(s);
        err.flush();
    }

    private void line(String s) {
        err.println(s);
    }
}
