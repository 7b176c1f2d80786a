package org.ketaprint.cli;

import java.io.PrintWriter;
import org.ketaprint.KetaprintException;
import org.ketaprint.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ketaprint} command: the processors' subcommands. */
@Command(name = "ketaprint", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
    description = "Brain scans in, ketamine-response biomarker tables out.")
public final class Main implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces on errors.")
    boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 bad input or usage). */
    public static int run(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cl = commandLine();
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, debug, cmd.getErr()));
        return cl.execute(args);
    }

    /** The command line with every discovered subcommand, sorted by name. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        java.util.List<Subcommand> subs = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(Subcommand.class).forEach(subs::add);
        subs.sort(java.util.Comparator.comparing(Main::nameOf));
        for (Subcommand s : subs) cl.addSubcommand(nameOf(s), s);
        return cl;
    }

    private static String nameOf(Subcommand s) {
        return s.getClass().getAnnotation(Command.class).name();
    }

    static int report(Exception ex, boolean debug, PrintWriter err) {
        if (debug) ex.printStackTrace(err);
        if (ex instanceof KetaprintException) {
            err.println("ketaprint: " + ex.getMessage());
            err.flush();
            return 2;
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("ketaprint: internal error: " + msg.lines().findFirst().orElse("") + " (run with --debug for details)");
        err.flush();
        return 1;
    }
}
