package org.ketaprint.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;

/**
 * Scheduler resources and options of a cluster batch. The defaults (4G, 1 h, 1 CPU) are set well above
 * the measured per-subject peaks (see docs/slurm.md) so that full-size data fits too.
 */
public final class BatchSettings {
    /** How the group step waits for the participant array. */
    public enum Dependency {
        /** Group step runs once every task has ended, failed or not, and reports the missing subjects. */
        AFTERANY,
        /** Group step runs only if every task succeeded; otherwise SLURM cancels it (--kill-on-invalid-dep). */
        AFTEROK
    }

    public static final String DEFAULT_TIME = "01:00:00";
    public static final String DEFAULT_MEM = "4G";

    public String jobName = "ketaprint";
    public String partition;
    public String account;
    public String time = DEFAULT_TIME;
    public String mem = DEFAULT_MEM;
    public int cpusPerTask = 1;
    /** Most tasks running at once (the %K of --array); 0 for no limit. */
    public int arrayLimit;
    /** Extra sbatch options written as #SBATCH lines in both scripts, e.g. "--qos=long". */
    public List<String> sbatchArgs = new ArrayList<>();
    /** Shell lines run before ketaprint in every job, e.g. "module load java/17". */
    public List<String> setup = new ArrayList<>();
    public Dependency dependency = Dependency.AFTERANY;
    /** The environment variable holding the 1-based task index (SGE_TASK_ID, PBS_ARRAY_INDEX ...). */
    public String indexVar = "SLURM_ARRAY_TASK_ID";

    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d+(:\\d{1,2}){0,2}");
    private static final Pattern MEM = Pattern.compile("(\\d+)([KMGT]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]+");

    /** Checks every value; the message names the option and the value at fault. */
    public void validate() {
        if (time == null || !TIME.matcher(time).matches()) {
            throw new KetaprintException("--time '" + BatchScripts.escaped(time) + "': use HH:MM:SS, MM, D-HH or D-HH:MM:SS");
        }
        memoryMegabytes();
        if (cpusPerTask < 1) throw new KetaprintException("--cpus-per-task " + cpusPerTask + ": must be at least 1");
        if (arrayLimit < 0) throw new KetaprintException("--array-limit " + arrayLimit + ": must be 0 (no limit) or more");
        if (!VAR.matcher(indexVar).matches()) {
            throw new KetaprintException("--array-index-var '" + BatchScripts.escaped(indexVar) + "': not a shell variable name");
        }
        checkName("--job-name", jobName);
        if (partition != null) checkName("--partition", partition);
        if (account != null) checkName("--account", account);
        for (String a : sbatchArgs) {
            if (!a.startsWith("-") || BatchScripts.hasControl(a)) {
                throw new KetaprintException("--sbatch-arg '" + BatchScripts.escaped(a) + "': must be one sbatch option such as --qos=long");
            }
        }
        for (String s : setup) {
            if (BatchScripts.hasControl(s.replace("\t", " "))) {
                throw new KetaprintException("--setup '" + BatchScripts.escaped(s) + "': one line per --setup, without control characters");
            }
        }
    }

    private static void checkName(String opt, String v) {
        if (v == null || !NAME.matcher(v).matches()) throw new KetaprintException(opt + " '" + BatchScripts.escaped(v) + "': not a valid name");
    }

    /** --mem in megabytes (SLURM's unit when no suffix is given). */
    public long memoryMegabytes() {
        var m = mem == null ? null : MEM.matcher(mem.trim());
        if (m == null || !m.matches()) throw new KetaprintException("--mem '" + BatchScripts.escaped(mem) + "': use a size such as 4G or 4000M");
        long n = Long.parseLong(m.group(1));
        long mb = switch (m.group(2).toUpperCase()) {
            case "K" -> n / 1024;
            case "G" -> n * 1024;
            case "T" -> n * 1024 * 1024;
            default -> n;
        };
        if (mb < 256) throw new KetaprintException("--mem '" + mem + "': at least 256M is needed to run the JVM");
        return mb;
    }

    /** Java heap for a job: 75% of --mem, leaving room for the JVM's own memory, so SLURM never kills it first. */
    public long heapMegabytes() {
        return Math.max(192, memoryMegabytes() * 3 / 4);
    }
}
