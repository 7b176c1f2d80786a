package org.ketaprint.slurm;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.table.AtomicFile;

/**
 * A dataset on a cluster: writes the participants list and the two scripts into a new folder
 * OUTPUT_DIR/slurm/&lt;UTC time&gt;/ (never reused, so a resubmission cannot change the list that pending
 * tasks of an earlier array still read), then submits the array and the dependent group step.
 */
public final class SlurmBatch {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The files of one batch. */
    public record Prepared(Path dir, Path participantsList, Path arrayScript, Path groupScript, List<String> participants) {
    }

    /** The job ids of a submitted batch. */
    public record Submitted(String arrayJobId, String groupJobId) {
    }

    private final ClusterRun run;
    private final BatchSettings settings;

    public SlurmBatch(ClusterRun run, BatchSettings settings) {
        settings.validate();
        this.run = run;
        this.settings = settings;
    }

    /**
     * The dataset's participants, or the requested ones (with or without "sub-"), checked against the dataset. A
     * participant whose folder name holds a line break or another control character is refused (one line naming the
     * folder, the character shown escaped): participants.txt has one participant per line, task i reading line i.
     */
    public static List<String> participants(BidsLayout layout, List<String> labels) {
        List<String> all = layout.subjects();
        List<String> out = new ArrayList<>();
        if (labels.isEmpty()) {
            if (all.isEmpty()) throw new KetaprintException(BatchScripts.escaped(layout.root().toString()) + ": no sub-* participants found");
            out.addAll(all);
        }
        for (String l : labels) {
            String id = l.startsWith("sub-") ? l.substring(4) : l;
            if (!all.contains(id)) {
                throw new KetaprintException("participant '" + BatchScripts.escaped(id) + "' is not in "
                    + BatchScripts.escaped(layout.root().toString()));
            }
            if (!out.contains(id)) out.add(id);
        }
        for (String id : out) {
            if (BatchScripts.hasControl(id)) {
                throw new KetaprintException(BatchScripts.escaped(layout.root().resolve("sub-" + id).toString())
                    + ": a participant folder name with a line break or another control character cannot be listed"
                    + " one per line for the array tasks; rename it (or leave it out with --participant-label)");
            }
        }
        return out;
    }

    /** The three files' text without writing anything (for --dry-run), with the paths they would have. */
    public Prepared plan(List<String> participants, Path dir) {
        if (participants.isEmpty()) throw new KetaprintException(run.bidsDir() + ": no participants to submit");
        return new Prepared(dir, dir.resolve("participants.txt"), dir.resolve("participant.sbatch"),
            dir.resolve("group.sbatch"), List.copyOf(participants));
    }

    public String participantsText(Prepared p) {
        return BatchScripts.participantsList(p.participants());
    }

    public String arrayText(Prepared p) {
        return BatchScripts.arrayScript(run, settings, p.participantsList(), p.participants().size());
    }

    public String groupText(Prepared p, List<String> resubmitCommand) {
        return BatchScripts.groupScript(run, settings, resubmitCommand);
    }

    /** A fresh batch folder name under OUTPUT_DIR/slurm (UTC time, then -2, -3 ... if taken). */
    public Path newBatchDir() {
        return run.outputDir().resolve("slurm").resolve(ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
    }

    /** Writes the list and both scripts into a new folder, and creates OUTPUT_DIR/logs. */
    public Prepared write(List<String> participants, List<String> resubmitCommand) {
        Path base = newBatchDir();
        Path dir = base;
        try {
            Files.createDirectories(run.outputDir().resolve("logs"));
            Files.createDirectories(base.getParent());
            for (int i = 2; ; i++) {
                try {
                    Files.createDirectory(dir);
                    break;
                } catch (FileAlreadyExistsException e) {
                    dir = base.resolveSibling(base.getFileName() + "-" + i);
                }
            }
        } catch (IOException e) {
            throw new KetaprintException(run.outputDir() + ": cannot create the batch folders: " + e.getMessage());
        }
        Prepared p = plan(participants, dir);
        AtomicFile.write(p.participantsList(), participantsText(p));
        AtomicFile.write(p.arrayScript(), arrayText(p));
        AtomicFile.write(p.groupScript(), groupText(p, resubmitCommand));
        executable(p.arrayScript());
        executable(p.groupScript());
        return p;
    }

    /** Submits the array, then the group step depending on it; records the ids in the batch folder. */
    public Submitted submit(Prepared p, Sbatch sbatch) {
        String array = sbatch.submit(p.arrayScript(), List.of(), run.outputDir());
        List<String> dep = new ArrayList<>(List.of("--dependency=" + BatchScripts.dependencyType(settings) + ":" + array));
        if (settings.dependency == BatchSettings.Dependency.AFTEROK) dep.add("--kill-on-invalid-dep=yes");
        String group = sbatch.submit(p.groupScript(), dep, run.outputDir());
        AtomicFile.write(p.dir().resolve("jobs.tsv"), "step\tjob_id\nparticipant\t" + array + "\ngroup\t" + group + "\n");
        return new Submitted(array, group);
    }

    private static void executable(Path f) {
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException e) {
            // not fatal: sbatch reads the script, it need not be executable
        }
    }
}
