package org.ketaprint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ketaprint.KetaprintException;
import org.ketaprint.Version;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.table.AtomicFile;
import org.ketaprint.table.Table;

/**
 * Runs a pipeline's stages for each subject and session and writes the per-subject outputs: features
 * TSV + JSON data dictionary, derived images, provenance JSON and a log. One failing subject or stage
 * never stops the others.
 */
public final class ParticipantRunner {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How the run is set up. */
    public static final class Options {
        public List<String> participants = List.of();
        public List<String> sessions = List.of();
        public int threads = 1;
        public boolean skipExisting;
        public Path workDir;
        /** The space of inputs without a space- entity or SpatialReference (--space), or null. */
        public String space;
        /** --compression, over the pipeline's {@code compression:}; null: the pipeline's, else the default. */
        public org.ketaprint.nifti.Compression compression;
        /** --no-report sets false; null: the pipeline's {@code report:} (default true). */
        public Boolean report;
    }

    /** The outcome of one subject/session. */
    public record Outcome(String subject, String session, String status, List<String[]> problems) {
    }

    private final PipelineSpec pipeline;
    private final BidsLayout layout;
    private final Atlases atlases;
    private final Path outRoot;
    private final Options opt;
    private final Progress progress;
    private final Map<String, String> roots;

    public ParticipantRunner(PipelineSpec pipeline, BidsLayout layout, Atlases atlases, Path outRoot, Options opt,
                             Progress progress) {
        this.pipeline = pipeline;
        this.layout = layout;
        this.atlases = atlases;
        this.outRoot = outRoot;
        this.opt = opt;
        this.progress = progress;
        this.roots = roots(layout);
    }

    /** Runs every selected subject/session; returns their outcomes in order. */
    public List<Outcome> run() throws InterruptedException {
        List<String[]> jobs = new ArrayList<>();
        List<String> subjects = layout.subjects();
        for (String p : opt.participants) {
            String id = p.startsWith("sub-") ? p.substring(4) : p;
            if (!subjects.contains(id)) throw new KetaprintException("participant '" + id + "' is not in " + layout.root());
        }
        writeDatasetDescription(outRoot, pipeline);
        RecordedPipeline.store(outRoot, pipeline);
        for (String sub : subjects) {
            if (!opt.participants.isEmpty() && !opt.participants.contains(sub) && !opt.participants.contains("sub-" + sub)) continue;
            for (String ses : layout.sessions(sub)) {
                if (!opt.sessions.isEmpty() && ses != null && !opt.sessions.contains(ses) && !opt.sessions.contains("ses-" + ses)) continue;
                jobs.add(new String[] {sub, ses});
            }
        }
        progress.start(jobs.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, opt.threads));
        List<Future<Outcome>> futures = new ArrayList<>();
        for (String[] j : jobs) futures.add(pool.submit(() -> runOne(j[0], j[1])));
        pool.shutdown();
        List<Outcome> out = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            try {
                out.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        progress.finish();
        return out;
    }

    /** Runs all stages for one subject/session. Never throws for a subject's own problems. */
    public Outcome runOne(String sub, String ses) {
        String prefix = "sub-" + sub + (ses == null ? "" : "_ses-" + ses);
        Path dir = ses == null ? outRoot.resolve("sub-" + sub) : outRoot.resolve("sub-" + sub).resolve("ses-" + ses);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<String[]> problems = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir);
            // resolve every stage's inputs and check every stage before any runs: a stage that cannot run fails now
            Map<String, Map<String, List<BidsFile>>> inputs = new LinkedHashMap<>();
            Map<String, String[]> cannotRun = new LinkedHashMap<>();   // stage id -> {status, reason}
            Map<String, Set<String>> checked = new LinkedHashMap<>();   // stage id -> files its check resolved
            for (StageSpec s : pipeline.stages) {
                List<String> amb = new ArrayList<>();
                inputs.put(s.id, StageContext.resolveInputs(s, layout, sub, ses, amb));
                Set<String> seen = new TreeSet<>();
                checked.put(s.id, seen);
                String[] bad = !amb.isEmpty() ? new String[] {"failed", String.join("; ", amb)}
                    : attempt(() -> Stages.get(s.type).check(checkContext(s, sub, ses, dir, inputs.get(s.id), seen, log, prefix)), log);
                if (bad != null) cannotRun.put(s.id, bad);
            }
            // the files the stages that will run resolved (their inputs, and what their checks found beside them:
            // .bval/.bvec, sidecars, atlases and label tables, transforms), with why the others cannot run
            Set<String> resolved = new TreeSet<>();
            for (StageSpec s : pipeline.stages) {
                if (cannotRun.containsKey(s.id)) continue;
                for (List<BidsFile> fs : inputs.get(s.id).values()) for (BidsFile f : fs) resolved.add(f.path().toString());
                resolved.addAll(checked.get(s.id));
            }
            Map<String, String> notRun = new TreeMap<>();
            cannotRun.forEach((id, b) -> notRun.put(id, b[0] + ": " + b[1]));
            ObjectNode options = runOptions();
            Path prov = dir.resolve(prefix + "_provenance.json");
            if (opt.skipExisting) {
                String same = upToDate(prov, dir.resolve(prefix + "_features.tsv"), options, names(resolved), notRun);
                if (same != null) {
                    log(log, prefix + ": outputs up to date (run hash " + same.substring(0, Math.min(12, same.length())) + "), skipped");
                    progress.done(prefix, "skipped");
                    return new Outcome(sub, ses, "skipped", problems);
                }
            }
            Map<String, String> fileHashes = new TreeMap<>();   // every file resolved or read -> SHA-256
            for (String f : resolved) fileHashes.put(f, Provenance.Hash.sha256(Path.of(f)));
            Map<String, String> inputHashes = new TreeMap<>();   // the stages' resolved inputs -> SHA-256
            for (StageSpec s : pipeline.stages) {
                if (cannotRun.containsKey(s.id)) continue;
                for (List<BidsFile> fs : inputs.get(s.id).values()) {
                    for (BidsFile f : fs) inputHashes.put(f.path().toString(), fileHashes.get(f.path().toString()));
                }
            }
            Map<String, Double> values = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            ArrayNode stagesProv = JSON.createArrayNode();
            List<org.ketaprint.report.Section> sections = new ArrayList<>();
            for (StageSpec s : pipeline.stages) {
                Stage impl = Stages.get(s.type);
                List<ColumnInfo> cols = PipelineSpec.columns(s);
                ObjectNode sp = stagesProv.addObject();
                sp.put("id", s.id);
                sp.put("type", s.type);
                sp.set("parameters", JSON.valueToTree(s.effectiveParams()));
                Map<String, String> used = new TreeMap<>();
                StageUsage usage = StageUsage.start();
                StageResult[] r = {null};
                StageContext[] sc = {null};
                String[] bad = cannotRun.get(s.id);
                if (bad == null) {
                    progress.stage(prefix, s.id);
                    bad = attempt(() -> r[0] = impl.run(sc[0] = context(s, sub, ses, dir, inputs.get(s.id), used, log, prefix)), log);
                }
                // a failed stage's figures (StageContext.keepForReport), for the report only
                StageResult shown = r[0] != null ? r[0] : sc[0] == null ? null : sc[0].partial;
                String status = bad == null ? "ok" : bad[0];
                String reason = bad == null ? null : bad[1];
                StageUsage.Usage u = usage.stop();
                for (ColumnInfo c : cols) {
                    Double v = r[0] == null ? null : r[0].values.get(c.column());
                    values.put(c.column(), v == null ? Double.NaN : v);
                    String note = r[0] == null ? reason : r[0].notes.get(c.column());
                    if (note != null) notes.put(c.column(), note);
                }
                if (!status.equals("ok")) {
                    problems.add(new String[] {s.id, status, reason});
                    log(log, prefix + " [" + s.id + "] " + status + (cannotRun.containsKey(s.id) ? " (not run)" : "") + ": " + reason);
                } else {
                    log(log, prefix + " [" + s.id + "] ok in " + u.describe());
                }
                sp.put("status", status);
                if (reason != null) sp.put("reason", reason);
                sp.put("wall_s", u.wallS());
                sp.put("cpu_s", u.cpuS());
                sp.put("heap_peak_mb", u.heapPeakMb());
                sp.set("inputs", JSON.valueToTree(relative(used)));
                fileHashes.putAll(used);
                if (r[0] != null) {
                    ArrayNode d = sp.putArray("derived");
                    for (Path p : r[0].derived) d.add(outRoot.relativize(p.toAbsolutePath()).toString());
                    if (!r[0].details.isEmpty()) sp.set("details", JSON.valueToTree(r[0].details));
                    if (!r[0].notes.isEmpty()) sp.set("notes", JSON.valueToTree(r[0].notes));
                }
                if (report() && shown != null) sp.put("figures_s", shown.figureSeconds);
                if (report()) sections.add(SessionReport.section(sp, cols, values, notes, shown, outRoot));
            }
            writeFeatures(dir, prefix, sub, ses, values);
            writeDictionary(dir.resolve(prefix + "_features.json"));
            ObjectNode p = JSON.createObjectNode();
            p.put("participant_id", "sub-" + sub);
            p.put("session_id", ses == null ? null : "ses-" + ses);
            p.put("software", "ketaprint");
            p.put("version", Version.get());
            p.put("java", System.getProperty("java.version"));
            p.put("pipeline", pipeline.name);
            p.put("pipeline_file", pipeline.file.toAbsolutePath().toString());
            p.put("pipeline_sha256", pipeline.sha256);
            p.put("compression", compression().toString());
            ObjectNode hashInputs = hashInputs(options, names(resolved), notRun, relative(fileHashes));
            p.put("run_hash", runHash(hashInputs));
            p.set("run_hash_inputs", hashInputs);
            p.put("finished", Instant.now().toString());
            p.put("seconds", (System.nanoTime() - t0) / 1e9);
            p.set("roots", JSON.valueToTree(roots));
            p.set("inputs", JSON.valueToTree(relative(inputHashes)));
            p.set("stages", stagesProv);
            if (!notes.isEmpty()) p.set("na_reasons", JSON.valueToTree(notes));
            if (report()) {
                long r0 = System.nanoTime();
                SessionReport.write(dir.resolve(prefix + "_report.html"), p, problems, notes, sections);
                p.put("report_s", (System.nanoTime() - r0) / 1e9);
                log(log, prefix + ": report " + prefix + "_report.html");
            }
            AtomicFile.write(dir.resolve(prefix + "_log.txt"), String.join("\n", log) + "\n");
            AtomicFile.write(prov, JSON.writeValueAsString(p));
            String status = problems.stream().anyMatch(x -> x[1].equals("failed")) ? "failed" : "ok";
            progress.done(prefix, status);
            return new Outcome(sub, ses, status, problems);
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof KetaprintException ? e.getMessage() : "internal error: " + e;
            problems.add(new String[] {"(subject)", "failed", msg});
            log(log, prefix + " failed: " + msg);
            if (report()) SessionReport.writeFailed(dir.resolve(prefix + "_report.html"), "sub-" + sub, ses, pipeline.name, msg);
            try {
                AtomicFile.write(dir.resolve(prefix + "_log.txt"), String.join("\n", log) + "\n");
            } catch (RuntimeException ignored) {
                // the folder itself may be unwritable; the failure is still reported
            }
            progress.done(prefix, "failed");
            return new Outcome(sub, ses, "failed", problems);
        }
    }

    private void log(List<String> log, String line) {
        log.add(line);
    }

    private StageContext context(StageSpec s, String sub, String ses, Path dir, Map<String, List<BidsFile>> in,
                                 Map<String, String> used, List<String> log, String prefix) {
        StageContext ctx = new StageContext(sub, ses, s, layout, atlases, dir, opt.threads, in, used,
            line -> log(log, prefix + " " + line));
        ctx.declaredSpace = opt.space;
        ctx.compression = compression();
        ctx.report = report();
        return ctx;
    }

    /** A context for {@link Stage#check}: the files it records are noted in {@code seen} (no checksums). */
    private StageContext checkContext(StageSpec s, String sub, String ses, Path dir, Map<String, List<BidsFile>> in,
                                      Set<String> seen, List<String> log, String prefix) {
        StageContext ctx = context(s, sub, ses, dir, in, new TreeMap<>(), log, prefix);
        ctx.checking = true;
        ctx.resolvedFiles = seen;
        return ctx;
    }

    /** A stage's check or run. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs a step: null when it completed, else {status, reason} (missing_input or failed; internal errors logged). */
    private String[] attempt(Step step, List<String> log) {
        try {
            step.run();
            return null;
        } catch (MissingInputException e) {
            return new String[] {"missing_input", e.getMessage()};
        } catch (KetaprintException e) {
            return new String[] {"failed", e.getMessage()};
        } catch (Exception | OutOfMemoryError e) {
            java.io.StringWriter sw = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(sw));
            log(log, sw.toString());
            return new String[] {"failed", e instanceof OutOfMemoryError ? org.ketaprint.OutOfMemory.message() : "internal error: " + e};
        }
    }

    /**
     * The provenance's names of the folders inputs come from: "bids" (BIDS_DIR) and each derivatives folder by its
     * name ("fmriprep"; "-2", "-3" added when two have one name), with their absolute paths.
     */
    private static Map<String, String> roots(BidsLayout layout) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("bids", layout.root().toAbsolutePath().normalize().toString());
        for (Path d : layout.derivativeRoots()) {
            String name = d.getFileName() == null ? "derivatives" : d.getFileName().toString();
            String key = name;
            for (int i = 2; out.containsKey(key); i++) key = name + "-" + i;
            out.put(key, d.toAbsolutePath().normalize().toString());
        }
        return out;
    }

    /**
     * Paths (keys) as {@code ROOT:relative/path} against the innermost root of {@link #roots} that holds them
     * (a derivatives folder inside BIDS_DIR wins over BIDS_DIR); other files (atlases, tables) stay absolute.
     */
    private Map<String, String> relative(Map<String, String> byPath) {
        Map<String, String> out = new TreeMap<>();
        byPath.forEach((k, v) -> out.put(relativeName(Path.of(k)), v));
        return out;
    }

    String relativeName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String best = null;
        Path bestRoot = null;
        for (Map.Entry<String, String> e : roots.entrySet()) {
            Path r = Path.of(e.getValue());
            if (abs.startsWith(r) && (bestRoot == null || r.getNameCount() > bestRoot.getNameCount())) {
                best = e.getKey();
                bestRoot = r;
            }
        }
        return best == null ? abs.toString() : best + ":" + bestRoot.relativize(abs);
    }

    /** The path of a file named as {@link #relativeName} names it (against the current roots). */
    private Path fileOf(String name) {
        int c = name.indexOf(':');
        String root = c > 0 ? roots.get(name.substring(0, c)) : null;
        return root != null ? Path.of(root).resolve(name.substring(c + 1)) : Path.of(name);
    }

    /** Paths as {@link #relativeName} names them, sorted. */
    private List<String> names(Collection<String> paths) {
        return paths.stream().map(f -> relativeName(Path.of(f))).distinct().sorted().toList();
    }

    /** The run options that can change a number or a file: --space, and the derived images' compression. */
    private ObjectNode runOptions() {
        ObjectNode o = JSON.createObjectNode();
        o.put("space", opt.space);
        o.put("compression", compression().toString());
        return o;
    }

    /** Whether HTML reports are written: --no-report, else the pipeline's {@code report:}. */
    boolean report() {
        return opt.report != null ? opt.report : pipeline.report;
    }

    /** --compression, else the pipeline's {@code compression:}, else the default. */
    private org.ketaprint.nifti.Compression compression() {
        if (opt.compression != null) return opt.compression;
        return pipeline.compression != null ? pipeline.compression : org.ketaprint.nifti.Compression.DEFAULT;
    }

    /**
     * What the run's hash covers, as the provenance records it ({@code run_hash_inputs}): the pipeline's SHA-256, the
     * ketaprint version, the run options that change numbers, the files the stages that run resolved (inputs, and what
     * their checks found: .bval/.bvec, sidecars, atlases and label tables, transforms), why the other stages cannot run,
     * and every file resolved or read with its SHA-256 (names as {@link #relativeName} gives them).
     */
    private ObjectNode hashInputs(ObjectNode options, List<String> resolved, Map<String, String> notRun, Map<String, String> files) {
        ObjectNode h = JSON.createObjectNode();
        h.put("pipeline_sha256", pipeline.sha256);
        h.put("version", Version.get());
        h.set("options", options);
        h.set("resolved", JSON.valueToTree(resolved));
        h.set("not_run", JSON.valueToTree(notRun));
        h.set("files", JSON.valueToTree(files));
        return h;
    }

    /** The run hash: SHA-256 of {@code run_hash_inputs} as compact JSON. */
    static String runHash(JsonNode hashInputs) {
        try {
            return Provenance.Hash.sha256(new ObjectMapper().writeValueAsBytes(hashInputs));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The recorded run hash when the outputs are up to date, else null: the provenance's {@code run_hash_inputs} has
     * this pipeline, version, run options, resolved files and reasons for stages not run, every file it lists is still
     * there with the same SHA-256, and no stage failed.
     */
    private String upToDate(Path prov, Path features, ObjectNode options, List<String> resolved, Map<String, String> notRun) {
        if (!Files.isRegularFile(prov) || !Files.isRegularFile(features)) return null;
        try {
            JsonNode n = JSON.readTree(prov.toFile());
            JsonNode h = n.path("run_hash_inputs");
            if (!h.isObject() || !runHash(h).equals(n.path("run_hash").asText())) return null;
            ObjectNode now = hashInputs(options, resolved, notRun, Map.of());
            ObjectNode then = h.deepCopy();
            if (!now.without("files").equals(then.without("files"))) return null;
            for (JsonNode s : n.path("stages")) if (s.path("status").asText().equals("failed")) return null;
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) h.path("files")::fields) {
                Path f = fileOf(e.getKey());
                if (!Files.isRegularFile(f) || !Provenance.Hash.sha256(f).equals(e.getValue().asText())) return null;
            }
            return n.path("run_hash").asText();
        } catch (IOException | RuntimeException e) {
            return null;   // unreadable or changed: computed again
        }
    }

    private void writeFeatures(Path dir, String prefix, String sub, String ses, Map<String, Double> values) {
        List<String> cols = new ArrayList<>(List.of("participant_id", "session_id"));
        cols.addAll(values.keySet());
        Table t = new Table(cols);
        Map<String, String> row = new LinkedHashMap<>();
        row.put("participant_id", "sub-" + sub);
        row.put("session_id", ses == null ? Table.NA : "ses-" + ses);
        values.forEach((k, v) -> row.put(k, Table.format(v)));
        t.add(row);
        t.write(dir.resolve(prefix + "_features.tsv"));
    }

    private void writeDictionary(Path out) throws IOException {
        ObjectNode d = JSON.createObjectNode();
        d.putObject("participant_id").put("Description", "Participant label (BIDS sub-<label>)");
        d.putObject("session_id").put("Description", "Session label (BIDS ses-<label>), n/a without sessions");
        for (ColumnInfo c : pipeline.columns()) {
            ObjectNode o = d.putObject(c.column());
            o.put("Description", c.description());
            if (c.units() != null) o.put("Units", c.units());
            o.put("Stage", c.stage());
            if (c.roi() != null) o.put("ROI", c.roi());
            if (c.method() != null) o.put("Method", c.method());
            o.set("Parameters", JSON.valueToTree(c.parameters()));
        }
        AtomicFile.write(out, JSON.writeValueAsString(d));
    }

    /** OUTPUT_DIR/dataset_description.json (BIDS derivatives) naming the pipeline and its hash. */
    static void writeDatasetDescription(Path outRoot, PipelineSpec pipeline) {
        ObjectNode d = JSON.createObjectNode();
        d.put("Name", "ketaprint features: " + pipeline.name);
        d.put("BIDSVersion", "1.9.0");
        d.put("DatasetType", "derivative");
        ArrayNode g = d.putArray("GeneratedBy");
        ObjectNode k = g.addObject();
        k.put("Name", "ketaprint");
        k.put("Version", Version.get());
        k.put("Pipeline", pipeline.name);
        k.put("PipelineSHA256", pipeline.sha256);
        k.put("CodeURL", "https://github.com/ketaprint/ketaprint");
        try {
            AtomicFile.write(outRoot.resolve("dataset_description.json"), JSON.writeValueAsString(d));
        } catch (IOException e) {
            throw new KetaprintException(outRoot + ": cannot write dataset_description.json: " + e.getMessage());
        }
    }

    /** Counts for the summary line. */
    public static String summary(List<Outcome> out) {
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger(), skipped = new AtomicInteger();
        for (Outcome o : out) {
            switch (o.status()) {
                case "ok" -> ok.incrementAndGet();
                case "skipped" -> skipped.incrementAndGet();
                default -> failed.incrementAndGet();
            }
        }
        return out.size() + " subject-sessions: " + ok + " ok, " + failed + " failed, " + skipped + " skipped (up to date)";
    }
}
