package org.ketaprint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.AtomicFile;

/**
 * The pipeline the participant level ran, kept in OUTPUT_DIR for the group level: its text in
 * {@code OUTPUT_DIR/pipeline.yaml}, its name and SHA-256 in {@code dataset_description.json} and in every
 * session's provenance ({@code pipeline_sha256}). The group level uses it and refuses another one.
 */
public final class RecordedPipeline {
    /** The participant level's pipeline text, in OUTPUT_DIR. */
    public static final String FILE = "pipeline.yaml";

    private RecordedPipeline() {
    }

    /** Writes OUTPUT_DIR/pipeline.yaml (through a temporary file) unless it already holds this text. */
    static void store(Path outRoot, PipelineSpec p) {
        Path f = outRoot.resolve(FILE);
        try {
            if (Files.isRegularFile(f) && Files.readString(f, StandardCharsets.UTF_8).equals(p.text)) return;
        } catch (IOException e) {
            // unreadable: written anew below
        }
        AtomicFile.write(f, p.text);
    }

    /**
     * For the participant level: a warning when OUTPUT_DIR holds another pipeline's outputs (this run's replaces
     * OUTPUT_DIR/pipeline.yaml, and the group level will want every session run with one pipeline), else null.
     */
    public static String replacing(Path outRoot, PipelineSpec p) {
        Path f = outRoot.resolve(FILE);
        String sha;
        String name;
        try {
            if (Files.isRegularFile(f)) {
                sha = Provenance.Hash.sha256(Files.readString(f, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
                name = f.toString();
            } else {
                String[] d = described(outRoot);
                if (d == null) return null;
                name = d[0];
                sha = d[1];
            }
        } catch (IOException | KetaprintException e) {
            return null;
        }
        if (sha.equals(p.sha256)) return null;
        return outRoot + " holds outputs of pipeline " + name + " (sha256 " + sha.substring(0, Math.min(12, sha.length()))
            + "), this run's is " + describe(p.name, p.sha256) + ": the group level needs every session run with one pipeline";
    }

    /** OUTPUT_DIR/pipeline.yaml, loaded, or null when the participant level stored none there. */
    public static PipelineSpec stored(Path outRoot) {
        Path f = outRoot.resolve(FILE);
        return Files.isRegularFile(f) ? PipelineSpec.load(f) : null;
    }

    /** {name, SHA-256} of the pipeline in OUTPUT_DIR/dataset_description.json, or null. */
    static String[] described(Path outRoot) {
        Path f = outRoot.resolve("dataset_description.json");
        if (!Files.isRegularFile(f)) return null;
        try {
            for (JsonNode g : ParticipantRunner.JSON.readTree(f.toFile()).path("GeneratedBy")) {
                if (g.path("Name").asText().equals("ketaprint") && g.hasNonNull("PipelineSHA256")) {
                    return new String[] {g.path("Pipeline").asText(), g.path("PipelineSHA256").asText()};
                }
            }
            return null;
        } catch (IOException e) {
            throw new KetaprintException(f + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The group level's pipeline. Without --pipeline ({@code given} null) the participant level's
     * (OUTPUT_DIR/pipeline.yaml), else {@code dflt}. One whose SHA-256 differs from the participant level's is an
     * error naming both; with {@code force} a warning, and it is used.
     */
    public static PipelineSpec forGroup(Path outRoot, PipelineSpec given, Supplier<PipelineSpec> dflt, boolean force,
                                        Consumer<String> warn) {
        PipelineSpec stored = stored(outRoot);
        if (given == null && stored != null) return stored;
        String[] rec = stored != null ? new String[] {stored.name, stored.sha256} : described(outRoot);
        PipelineSpec use = given != null ? given : dflt.get();
        if (rec == null || rec[1].equals(use.sha256)) return use;
        String msg = (given != null ? "--pipeline " : "the default pipeline ") + use.file + " (" + describe(use.name, use.sha256)
            + ") is not the pipeline the participant level ran: "
            + (stored != null ? stored.file : outRoot.resolve("dataset_description.json")) + " names " + describe(rec[0], rec[1]);
        if (force) {
            warn.accept(msg + " (--force: using " + use.file.getFileName() + ")");
            return use;
        }
        throw new KetaprintException(msg + (stored != null ? "; leave out --pipeline to use it, or add --force"
            : given == null ? "; give that pipeline with --pipeline, or add --force" : "; add --force to use it anyway"));
    }

    /**
     * Refuses tables from sessions run with more than one pipeline ({@code bySha}: SHA-256 -> {name, sessions...}),
     * or with another pipeline than the group level's; with {@code force} the first is a warning, the second allowed.
     */
    static void checkSessions(Path outRoot, Map<String, List<String>> bySha, PipelineSpec group, boolean force,
                              Consumer<String> warn) {
        if (bySha.size() > 1) {
            StringBuilder b = new StringBuilder(outRoot + ": sessions were run with different pipelines:");
            String sep = " ";
            for (Map.Entry<String, List<String>> e : bySha.entrySet()) {
                List<String> s = e.getValue().subList(1, e.getValue().size());
                b.append(sep).append(describe(e.getValue().get(0), e.getKey())).append(", ").append(s.size())
                    .append(s.size() == 1 ? " session: " : " sessions: ")
                    .append(String.join(" ", s.size() <= 10 ? s : s.subList(0, 10)))
                    .append(s.size() <= 10 ? "" : " ... (" + (s.size() - 10) + " more)");
                sep = "; ";
            }
            if (force) {
                warn.accept(b + " (--force: one table from them all)");
                return;
            }
            throw new KetaprintException(b + "; run the participant level again for them with one pipeline, or add --force");
        }
        if (bySha.size() == 1 && !force) {
            Map.Entry<String, List<String>> e = bySha.entrySet().iterator().next();
            if (!e.getKey().equals(group.sha256)) {
                throw new KetaprintException(outRoot + ": the sessions were run with " + describe(e.getValue().get(0), e.getKey())
                    + " but the group level's pipeline is " + group.file + " (" + describe(group.name, group.sha256)
                    + "); give the sessions' pipeline with --pipeline, or add --force");
            }
        }
    }

    /** "'name' sha256 0123456789ab". */
    static String describe(String name, String sha) {
        return "'" + name + "' sha256 " + (sha.length() > 12 ? sha.substring(0, 12) : sha);
    }
}
