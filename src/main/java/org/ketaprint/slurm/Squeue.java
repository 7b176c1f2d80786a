package org.ketaprint.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The user's queued or running jobs whose working folder is an output folder (the scripts set --chdir to it). */
public final class Squeue {
    private Squeue() {
    }

    /** Job ids, or an empty list when there are none or squeue cannot be asked. */
    public static List<String> jobsIn(String squeue, Path outputDir) {
        List<String> cmd = List.of(squeue, "-h", "-u", System.getProperty("user.name"), "-o", "%i|%Z");
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) return List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return parse(out, outputDir);
    }

    /** Ids of "id|workdir" lines whose folder is {@code outputDir}. */
    static List<String> parse(String out, Path outputDir) {
        Path want = outputDir.toAbsolutePath().normalize();
        List<String> ids = new ArrayList<>();
        for (String line : out.split("\n")) {
            int bar = line.indexOf('|');
            if (bar <= 0) continue;
            String id = line.substring(0, bar).strip();
            String dir = line.substring(bar + 1).strip();
            try {
                if (!dir.isEmpty() && Path.of(dir).normalize().equals(want) && !ids.contains(id)) ids.add(id);
            } catch (RuntimeException ignored) {
                // not a path: not ours
            }
        }
        return ids;
    }

    /** squeue beside the given sbatch when that is a path, else "squeue" from PATH. */
    public static String besides(String sbatch) {
        Path p = Path.of(sbatch);
        return p.getParent() == null ? "squeue" : p.getParent().resolve("squeue").toString();
    }
}
