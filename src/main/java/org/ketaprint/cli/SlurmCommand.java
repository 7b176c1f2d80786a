package org.ketaprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.slurm.BatchScripts;
import org.ketaprint.slurm.BatchSettings;
import org.ketaprint.slurm.ClusterRun;
import org.ketaprint.slurm.Resubmit;
import org.ketaprint.slurm.Sbatch;
import org.ketaprint.slurm.Squeue;
import org.ketaprint.slurm.SlurmBatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint slurm}: a whole dataset as a SLURM job array plus a dependent group step. */
@Command(name = "slurm", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Run a dataset on a SLURM cluster: one array task per participant, then the group step.",
        "Writes OUTPUT_DIR/slurm/<time>/{participants.txt,participant.sbatch,group.sbatch}; logs go to OUTPUT_DIR/logs.",
        "Without --submit or --dry-run the scripts are written and the sbatch commands printed."})
public final class SlurmCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "BIDS_DIR", description = "The BIDS dataset (on a filesystem the nodes share).")
    Path bids;

    @Parameters(index = "1", paramLabel = "OUTPUT_DIR", description = "Where the derivatives go (shared filesystem).")
    Path out;

    @Option(names = "--pipeline", paramLabel = "NAME|FILE", defaultValue = "ketamine-response",
        description = "A pipeline file, or the name of one in the pipelines folder.")
    String pipeline;

    @Option(names = "--participant-label", arity = "1..*", paramLabel = "ID", description = "Subjects to run (default: all).")
    List<String> participants = new ArrayList<>();

    @Option(names = "--session-label", arity = "1..*", paramLabel = "ID", description = "Sessions to run (default: all).")
    List<String> sessions = new ArrayList<>();

    @Option(names = "--atlas-dir", arity = "1..*", paramLabel = "DIR", description = "Passed to the participant level.")
    List<Path> atlasDirs = new ArrayList<>();

    @Option(names = "--derivatives", arity = "1..*", paramLabel = "DIR", description = "Passed to both levels.")
    List<Path> derivatives = new ArrayList<>();

    @Option(names = "--partition", paramLabel = "P", description = "SLURM partition (default: the cluster's).")
    String partition;

    @Option(names = "--account", paramLabel = "A", description = "SLURM account to charge.")
    String account;

    @Option(names = "--time", paramLabel = "HH:MM:SS", defaultValue = BatchSettings.DEFAULT_TIME,
        description = "Wall time per participant (and for the group step).")
    String time;

    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = BatchSettings.DEFAULT_MEM,
        description = "Memory per participant; the Java heap is set to 75%% of it.")
    String mem;

    @Option(names = "--cpus-per-task", paramLabel = "N", defaultValue = "1",
        description = "CPUs per participant (sessions of a participant run in parallel).")
    int cpus;

    @Option(names = "--array-limit", paramLabel = "K", defaultValue = "0",
        description = "At most K tasks running at once (--array=1-N%%K); 0: no limit.")
    int arrayLimit;

    @Option(names = "--sbatch-arg", paramLabel = "OPT", description = "Extra sbatch option for both jobs, e.g. --sbatch-arg=--qos=long (repeatable).")
    List<String> sbatchArgs = new ArrayList<>();

    @Option(names = "--setup", paramLabel = "LINE", description = "Shell line run first in every job, e.g. 'module load java/17' (repeatable).")
    List<String> setup = new ArrayList<>();

    @Option(names = "--job-name", paramLabel = "NAME", defaultValue = "ketaprint", description = "Job name prefix.")
    String jobName;

    @Option(names = "--dependency", paramLabel = "TYPE", defaultValue = "afterany",
        description = "afterany: the group step always runs and lists failed or missing subjects; "
            + "afterok: it runs only if every task succeeded (else SLURM cancels it).")
    String dependency;

    @Option(names = "--array-index-var", paramLabel = "VAR", defaultValue = "SLURM_ARRAY_TASK_ID",
        description = "Variable holding the 1-based task index (SGE_TASK_ID, PBS_ARRAY_INDEX for other schedulers).")
    String indexVar;

    @Option(names = "--resubmit-failed", description = "Submit only participants with no complete outputs or listed in group/failures.tsv.")
    boolean resubmitFailed;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--dry-run", description = "Print the list and scripts; write and submit nothing.")
        boolean dryRun;

        @Option(names = "--submit", description = "Write the scripts and submit them with sbatch.")
        boolean submit;
    }

    @Option(names = "--sbatch", paramLabel = "PATH", defaultValue = "sbatch", description = "The sbatch program.")
    String sbatch;

    @Option(names = "--ketaprint", paramLabel = "PATH", description = "The launcher the jobs run (default: bin/ketaprint of this installation).")
    Path launcher;

    /** Every refusal is one line: a message holding a line break (e.g. from a path given) is shown escaped. */
    @Override
    public Integer call() {
        try {
            return run();
        } catch (KetaprintException e) {
            if (e.getMessage() == null || !BatchScripts.hasControl(e.getMessage())) throw e;
            throw new KetaprintException(BatchScripts.escaped(e.getMessage()), e);
        }
    }

    private Integer run() {
        BatchSettings s = settings();
        s.validate();
        if (!Files.isDirectory(bids)) throw new KetaprintException(BatchScripts.escaped(bids.toString()) + ": no such BIDS folder");
        PipelineSpec spec = PipelineSpec.resolve(pipeline, RunCommand.pipelineDirs());
        for (Path d : atlasDirs) if (!Files.isDirectory(d)) throw new KetaprintException(d + ": no such atlas folder");
        Path exe = launcher != null ? launcher : defaultLauncher();
        if (!Files.isExecutable(exe)) throw new KetaprintException(exe + ": the ketaprint launcher is missing or not executable");
        BidsLayout layout = BidsLayout.index(bids, derivatives);
        layout.warnings().forEach(w -> System.err.println("ketaprint: warning: " + w));
        ClusterRun run = new ClusterRun(exe, bids, out, spec.file, atlasDirs, derivatives, sessions);
        SlurmBatch batch = new SlurmBatch(run, s);
        List<String> chosen = SlurmBatch.participants(layout, participants);
        if (mode.submit) {
            List<String> busy = Squeue.jobsIn(Squeue.besides(sbatch), run.outputDir());
            if (!busy.isEmpty() && resubmitFailed) {
                throw new KetaprintException(run.outputDir() + ": jobs " + String.join(", ", busy)
                    + " are still queued or running there; wait for them (or scancel them) before --resubmit-failed");
            }
            if (!busy.isEmpty()) {
                System.err.println("ketaprint: warning: jobs " + String.join(", ", busy) + " are still queued or running in "
                    + run.outputDir() + "; participants in both batches will be computed twice");
            }
        }
        if (resubmitFailed) {
            List<Resubmit.Pick> picks = Resubmit.select(layout, run.outputDir(), chosen, sessions);
            if (picks.isEmpty()) {
                System.out.println("Nothing to resubmit: all " + chosen.size() + " participants have complete outputs in " + run.outputDir());
                return 0;
            }
            for (Resubmit.Pick p : picks) System.out.println("resubmit sub-" + p.participant() + ": " + p.reason());
            chosen = picks.stream().map(Resubmit.Pick::participant).toList();
        }
        List<String> again = resubmitCommand(run);
        if (mode.dryRun) {
            SlurmBatch.Prepared p = batch.plan(chosen, batch.newBatchDir());
            System.out.println("# " + p.participantsList());
            System.out.print(batch.participantsText(p));
            System.out.println("# " + p.arrayScript());
            System.out.print(batch.arrayText(p));
            System.out.println("# " + p.groupScript());
            System.out.print(batch.groupText(p, again));
            System.out.println("# dry run: nothing written or submitted; --submit runs the equivalent of: "
                + BatchScripts.submitHint(sbatch, p.arrayScript(), p.groupScript(), s));
            return 0;
        }
        SlurmBatch.Prepared p = batch.write(chosen, again);
        System.out.println("Wrote " + p.participantsList() + " (" + chosen.size() + " participants), "
            + p.arrayScript().getFileName() + ", " + p.groupScript().getFileName());
        if (!mode.submit) {
            System.out.println("Submit with:");
            System.out.println("  " + BatchScripts.submitHint(sbatch, p.arrayScript(), p.groupScript(), s));
            return 0;
        }
        SlurmBatch.Submitted j = batch.submit(p, new Sbatch(sbatch));
        System.out.println("Submitted participant array job " + j.arrayJobId() + " (" + chosen.size() + " tasks)");
        System.out.println("Submitted group job " + j.groupJobId() + " (--dependency=" + dependency + ":" + j.arrayJobId() + ")");
        System.out.println("Logs: " + run.outputDir().resolve("logs"));
        return 0;
    }

    private BatchSettings settings() {
        BatchSettings s = new BatchSettings();
        s.jobName = jobName;
        s.partition = partition;
        s.account = account;
        s.time = time;
        s.mem = mem;
        s.cpusPerTask = cpus;
        s.arrayLimit = arrayLimit;
        s.sbatchArgs = sbatchArgs;
        s.setup = setup;
        s.indexVar = indexVar;
        s.dependency = switch (dependency) {
            case "afterany" -> BatchSettings.Dependency.AFTERANY;
            case "afterok" -> BatchSettings.Dependency.AFTEROK;
            default -> throw new KetaprintException("--dependency '" + dependency + "': use afterany or afterok");
        };
        return s;
    }

    /** This command again, for the failed or missing participants only. */
    private List<String> resubmitCommand(ClusterRun run) {
        List<String> c = new ArrayList<>(List.of(run.launcher().toString(), "slurm", run.bidsDir().toString(),
            run.outputDir().toString(), "--pipeline", run.pipelineFile().toString()));
        if (!participants.isEmpty()) {
            c.add("--participant-label");
            c.addAll(participants);
        }
        if (!sessions.isEmpty()) {
            c.add("--session-label");
            c.addAll(sessions);
        }
        for (Path d : run.atlasDirs()) c.add("--atlas-dir=" + d);
        for (Path d : run.derivatives()) c.add("--derivatives=" + d);
        c.addAll(List.of("--time", time, "--mem", mem, "--cpus-per-task", Integer.toString(cpus)));
        if (partition != null) c.addAll(List.of("--partition", partition));
        if (account != null) c.addAll(List.of("--account", account));
        if (arrayLimit > 0) c.addAll(List.of("--array-limit", Integer.toString(arrayLimit)));
        for (String a : sbatchArgs) c.add("--sbatch-arg=" + a);
        for (String a : setup) c.add("--setup=" + a);
        if (!jobName.equals("ketaprint")) c.addAll(List.of("--job-name", jobName));
        if (!dependency.equals("afterany")) c.addAll(List.of("--dependency", dependency));
        if (!indexVar.equals("SLURM_ARRAY_TASK_ID")) c.addAll(List.of("--array-index-var", indexVar));
        if (!sbatch.equals("sbatch")) c.addAll(List.of("--sbatch", sbatch));
        c.addAll(List.of("--resubmit-failed", "--submit"));
        return c;
    }

    /** bin/ketaprint beside the folder holding the jar (target/), as an absolute path. */
    static Path defaultLauncher() {
        try {
            Path jar = Path.of(SlurmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path repo = jar.getParent() == null ? null : jar.getParent().getParent();
            if (repo != null) return repo.resolve("bin").resolve("ketaprint").toAbsolutePath();
        } catch (Exception ignored) {
            // fall through to the error below
        }
        throw new KetaprintException("cannot locate bin/ketaprint from the jar; pass --ketaprint PATH");
    }
}
