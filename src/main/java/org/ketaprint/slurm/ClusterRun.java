package org.ketaprint.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every job runs: the ketaprint launcher and the BIDS-App arguments, all paths absolute so the jobs
 * do not depend on the submitting shell's folder.
 */
public record ClusterRun(Path launcher, Path bidsDir, Path outputDir, Path pipelineFile, List<Path> atlasDirs,
                         List<Path> derivatives, List<String> sessions) {
    public ClusterRun {
        launcher = launcher.toAbsolutePath().normalize();
        bidsDir = bidsDir.toAbsolutePath().normalize();
        outputDir = outputDir.toAbsolutePath().normalize();
        pipelineFile = pipelineFile.toAbsolutePath().normalize();
        atlasDirs = atlasDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        derivatives = derivatives.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        sessions = List.copyOf(sessions);
    }

    /** Options shared by the participant and group levels. */
    List<String> commonArgs() {
        List<String> a = new ArrayList<>(List.of("--pipeline", pipelineFile.toString()));
        if (!derivatives.isEmpty()) {
            a.add("--derivatives");
            derivatives.forEach(d -> a.add(d.toString()));
        }
        return a;
    }

    /** Options of the participant level only (before --participant-label). */
    List<String> participantArgs(int threads) {
        List<String> a = new ArrayList<>(commonArgs());
        if (!atlasDirs.isEmpty()) {
            a.add("--atlas-dir");
            atlasDirs.forEach(d -> a.add(d.toString()));
        }
        if (!sessions.isEmpty()) {
            a.add("--session-label");
            a.addAll(sessions);
        }
        a.addAll(List.of("--nthreads", Integer.toString(threads), "--skip-existing", "--quiet"));
        return a;
    }
}
