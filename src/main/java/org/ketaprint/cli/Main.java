package org.ketaprint.cli;

import java.io.PrintWriter;
import org.ketaprint.KetaprintException;
import org.ketaprint.OutOfMemory;
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
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(e, debug, cl.getErr());
        }
    }

    /** A heap exhausted anywhere: one line naming the -Xmx to use, exit 2. */
    static int outOfMemory(Throwable e, boolean debug, PrintWriter err) {
        if (debug) e.printStackTrace(err);
        err.println("ketaprint: " + OutOfMemory.message());
        err.flush();
        return 2;
    }

    /**
     * {@code BIDS_DIR OUTPUT_DIR participant|group ...} becomes {@code run BIDS_DIR OUTPUT_DIR ...}, with {@code --debug}
     * (read by {@link #run}) and {@code -h}/{@code --help} accepted anywhere on the line. A third word that is not a
     * level still makes a BIDS-App call when the first names a folder or the word is close to a level (a typo), so
     * that the run command says what LEVEL must be.
     */
    static String[] bidsAppArgs(CommandLine cl, String[] args) {
        java.util.List<String> core = new java.util.ArrayList<>();
        boolean help = false;
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
            } else if (!a.equals("--debug")) {
                core.add(a);
            }
        }
        if (core.size() < 3 || cl.getSubcommands().containsKey(core.get(0)) || core.get(0).startsWith("-")) return args;
        String level = core.get(2);
        boolean bidsApp = level.equals("participant") || level.equals("group") || isFolder(core.get(0))
            || distance(level.toLowerCase(java.util.Locale.ROOT), "participant") <= 3
            || distance(level.toLowerCase(java.util.Locale.ROOT), "group") <= 2;
        if (!bidsApp) return args;
        core.add(0, "run");
        if (help) core.add("-h");
        return core.toArray(new String[0]);
    }

    private static boolean isFolder(String s) {
        try {
            return java.nio.file.Files.isDirectory(java.nio.file.Path.of(s));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
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
        if (OutOfMemory.in(ex)) return outOfMemory(ex, debug, err);
        if (debug) ex.printStackTrace(err);
        if (ex instanceof KetaprintException) {
            err.println("ketaprint: " + KetaprintException.oneLine(ex.getMessage()));
            err.flush();
            return 2;
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("ketaprint: internal error: " + msg.lines().findFirst().orElse("") + " (run with --debug for details)");
        err.flush();
        return 1;
    }
}
