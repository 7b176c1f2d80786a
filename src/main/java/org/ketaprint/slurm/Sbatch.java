package org.ketaprint.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;

/** Submits a script with {@code sbatch --parsable} and returns the job id. */
public final class Sbatch {
    private static final Pattern PARSABLE = Pattern.compile("^\\s*(\\d+)(;[^\\s]*)?\\s*$", Pattern.MULTILINE);
    private static final Pattern VERBOSE = Pattern.compile("Submitted batch job (\\d+)");

    private final String executable;

    /** {@code executable}: "sbatch" (looked up on PATH) or a path to it. */
    public Sbatch(String executable) {
        this.executable = executable;
    }

    /** Runs {@code sbatch --parsable ARGS... SCRIPT} in {@code workDir}; returns the job id. */
    public String submit(Path script, List<String> args, Path workDir) {
        List<String> cmd = new ArrayList<>(List.of(executable, "--parsable"));
        cmd.addAll(args);
        cmd.add(script.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        String out;
        String err;
        int rc;
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // sbatch prints little: reading stdout then stderr cannot dead-lock in practice
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            rc = p.waitFor();
        } catch (IOException e) {
            throw new KetaprintException(script + ": cannot run '" + executable + "' (is SLURM installed and on PATH?): "
                + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KetaprintException(script + ": interrupted while submitting");
        }
        if (rc != 0) {
            String msg = (err + " " + out).strip().replaceAll("\\s+", " ");
            throw new KetaprintException(script + ": sbatch failed (exit " + rc + "): " + msg);
        }
        String id = parseJobId(out);
        if (id == null) {
            throw new KetaprintException(script + ": sbatch printed no job id: '" + out.strip().replaceAll("\\s+", " ") + "'");
        }
        return id;
    }

    /**
     * The job id in sbatch's output: "12345" or "12345;cluster" (--parsable), or "Submitted batch job 12345".
     * Null when there is none.
     */
    public static String parseJobId(String stdout) {
        if (stdout == null) return null;
        Matcher m = PARSABLE.matcher(stdout);
        if (m.find()) return m.group(1);
        m = VERBOSE.matcher(stdout);
        return m.find() ? m.group(1) : null;
    }
}
