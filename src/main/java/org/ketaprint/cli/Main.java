package org.ketaprint.cli;

import java.io.PrintWriter;
import org.ketaprint.KetaprintException;
import org.ketaprint.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ketaprint} command: the processors' subcommands. */
@Command(name = "ketaprint", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
    description = {"Brain scans in, ketamine-response biomarker tables out.", "",
        "  ketaprint BIDS_DIR OUTPUT_DIR participant [--participant-label ID...] [--pipeline NAME|FILE] ...",
        "  ketaprint BIDS_DIR OUTPUT_DIR group [--pipeline NAME|FILE]",
        "  ketaprint COMMAND ... (one processor; ketaprint COMMAND -h for its options)", ""})
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
        args = bidsAppArgs(cl, args);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, debug, cmd.getErr()));
        return cl.execute(args);
    }

    /** {@code BIDS_DIR OUTPUT_DIR participant|group ...} becomes {@code run BIDS_DIR OUTPUT_DIR ...}. */
    static String[] bidsAppArgs(CommandLine cl, String[] args) {
        if (args.length >= 3 && !cl.getSubcommands().containsKey(args[0])
            && (args[2].equals("participant") || args[2].equals("group"))) {
            String[] a = new String[args.length + 1];
            a[0] = "run";
            System.arraycopy(args, 0, a, 1, args.length);
            return a;
        }
        return args;
    }

    /** The command line with every discovered subcommand, sorted by name. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        java.util.List<Subcommand> subs = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(Subcommand.class, Subcommand.class.getClassLoader()).forEach(subs::add);
        subs.sort(java.util.Comparator.comparing(Main::nameOf));
        for (Subcommand s : subs) cl.addSubcommand(nameOf(s), s.commandLine());
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
