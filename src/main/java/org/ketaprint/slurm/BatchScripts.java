package org.ketaprint.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text of the participants list and of the two sbatch scripts. Pure functions: no IO. */
public final class BatchScripts {
    private BatchScripts() {
    }

    /** One participant label (without "sub-") per line: line i is array task i. */
    public static String participantsList(List<String> participants) {
        StringBuilder b = new StringBuilder();
        for (String p : participants) b.append(p).append('\n');
        return b.toString();
    }

    /** The array script: task i (1-based, from $indexVar) runs the participant on line i of {@code list}. */
    public static String arrayScript(ClusterRun run, BatchSettings s, Path list, int tasks) {
        String var = s.indexVar;
        List<String> l = new ArrayList<>();
        l.add("#!/bin/bash");
        l.add("# ketaprint participant level, one participant per array task: task i runs line i of");
        l.add("# " + list);
        l.add("# The 1-based task index is read from $" + var + " (SLURM_ARRAY_TASK_ID, SGE_TASK_ID, PBS_ARRAY_INDEX ...).");
        l.add("#SBATCH --job-name=" + s.jobName + "-participant");
        l.add("#SBATCH --array=1-" + tasks + (s.arrayLimit > 0 ? "%" + s.arrayLimit : ""));
        resources(l, s, s.cpusPerTask);
        l.add("#SBATCH --output=" + dq(run.outputDir().resolve("logs").resolve("participant_%A_%a.log")));
        l.add("#SBATCH --chdir=" + dq(run.outputDir()));
        for (String a : s.sbatchArgs) l.add("#SBATCH " + a);
        l.add("set -eu");
        l.add("cd " + q(run.outputDir().toString()));
        l.add("list=" + q(list.toString()));
        l.add("idx=\"${" + var + ":-}\"");
        l.add("case \"$idx\" in ''|*[!0-9]*)");
        l.add("  echo \"ketaprint: \\$" + var + " is '$idx', not a task index: submit this script as an array job\" >&2");
        l.add("  exit 2;;");
        l.add("esac");
        l.add("sub=\"$(sed -n \"${idx}p\" \"$list\")\"");
        l.add("if [ -z \"$sub\" ]; then");
        l.add("  echo \"ketaprint: no participant on line $idx of $list\" >&2");
        l.add("  exit 2");
        l.add("fi");
        l.add("echo \"ketaprint: task $idx: sub-$sub on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)\"");
        javaAndSetup(l, s);
        List<String> cmd = new ArrayList<>(List.of(run.launcher().toString(), run.bidsDir().toString(),
            run.outputDir().toString(), "participant"));
        cmd.addAll(run.participantArgs(s.cpusPerTask));
        cmd.add("--participant-label");
        l.add("exec " + join(cmd) + " \"$sub\"");
        return String.join("\n", l) + "\n";
    }

    /**
     * The group script: builds the group tables, then lists the subjects that failed or have no outputs
     * (group/failures.tsv) with the command that resubmits only those. Exits 1 when any failed.
     */
    public static String groupScript(ClusterRun run, BatchSettings s, List<String> resubmitCommand) {
        List<String> l = new ArrayList<>();
        l.add("#!/bin/bash");
        l.add("# ketaprint group level; submitted with --dependency=" + dependencyType(s) + ":<participant array job>.");
        l.add("#SBATCH --job-name=" + s.jobName + "-group");
        resources(l, s, 1);
        l.add("#SBATCH --output=" + dq(run.outputDir().resolve("logs").resolve("group_%j.log")));
        l.add("#SBATCH --chdir=" + dq(run.outputDir()));
        for (String a : s.sbatchArgs) l.add("#SBATCH " + a);
        l.add("set -u");
        l.add("cd " + q(run.outputDir().toString()));
        javaAndSetup(l, s);
        List<String> cmd = new ArrayList<>(List.of(run.launcher().toString(), run.bidsDir().toString(),
            run.outputDir().toString(), "group"));
        cmd.addAll(run.commonArgs());
        l.add("status=0");
        l.add(join(cmd) + " || status=$?");
        l.add("f=" + q(run.outputDir().resolve("group").resolve("failures.tsv").toString()));
        l.add("if [ -f \"$f\" ] && [ \"$(wc -l < \"$f\")\" -gt 1 ]; then");
        l.add("  echo \"ketaprint: subject-sessions with failed stages, missing inputs or no outputs (from $f):\"");
        l.add("  tail -n +2 \"$f\" | cut -f 1-4");
        if (!resubmitCommand.isEmpty()) {
            l.add("  echo \"ketaprint: to rerun only the failed or missing ones:\"");
            l.add("  echo " + q(join(resubmitCommand)));
        }
        l.add("fi");
        l.add("exit $status");
        return String.join("\n", l) + "\n";
    }

    /** "afterany" or "afterok". */
    public static String dependencyType(BatchSettings s) {
        return s.dependency == BatchSettings.Dependency.AFTEROK ? "afterok" : "afterany";
    }

    private static void resources(List<String> l, BatchSettings s, int cpus) {
        l.add("#SBATCH --time=" + s.time);
        l.add("#SBATCH --mem=" + s.mem);
        l.add("#SBATCH --cpus-per-task=" + cpus);
        l.add("#SBATCH --ntasks=1");
        if (s.partition != null) l.add("#SBATCH --partition=" + s.partition);
        if (s.account != null) l.add("#SBATCH --account=" + s.account);
    }

    private static void javaAndSetup(List<String> l, BatchSettings s) {
        l.add("# Java heap at 75% of --mem so the scheduler's memory limit is never hit first.");
        l.add("export KETAPRINT_JAVA_OPTS=\"${KETAPRINT_JAVA_OPTS:--Xmx" + s.heapMegabytes() + "m}\"");
        l.addAll(s.setup);
    }

    /** A path in an #SBATCH line: double-quoted when it holds a blank (sbatch strips the quotes). */
    static String dq(Path p) {
        String s = p.toString();
        if (s.contains("\"") || hasControl(s)) {
            throw new org.ketaprint.KetaprintException(escaped(s)
                + ": double quotes, line breaks or other control characters in this path cannot be passed to sbatch");
        }
        return s.matches(".*\\s.*") ? "\"" + s + "\"" : s;
    }

    /**
     * The printed hint that submits a written batch by hand: the array, then the group step depending on it. Every
     * word is shell-quoted ({@link #q}), so pasting it runs sbatch on exactly these files whatever their paths hold
     * (blanks, quotes, {@code $(...)}, backquotes).
     */
    public static String submitHint(String sbatch, Path arrayScript, Path groupScript, BatchSettings s) {
        String dep = dependencyType(s);
        return "jid=$(" + q(sbatch) + " --parsable " + q(arrayScript.toString()) + ") && " + q(sbatch)
            + " --dependency=" + dep + ":\"$jid\"" + (s.dependency == BatchSettings.Dependency.AFTEROK
                ? " --kill-on-invalid-dep=yes " : " ") + q(groupScript.toString());
    }

    /** True when {@code s} holds a control character (line break, tab, escape, DEL, C1) or a Unicode line separator. */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') return true;
        }
        return false;
    }

    /**
     * {@code s} for a one-line message: control characters shown escaped ({@code \n}, {@code \r}, {@code \t},
     * {@code \x1b}, {@code \u2028}), everything else as it is.
     */
    public static String escaped(String s) {
        if (s == null || !hasControl(s)) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x100 && Character.isISOControl(c)) b.append(String.format("\\x%02x", (int) c));
                    else if (c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** Single-quotes a word for bash unless it is plainly safe. */
    static String q(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_./:=%+,@-]+")) return w;
        return "'" + w.replace("'", "'\\''") + "'";
    }

    static String join(List<String> words) {
        List<String> o = new ArrayList<>();
        for (String w : words) o.add(q(w));
        return String.join(" ", o);
    }
}
