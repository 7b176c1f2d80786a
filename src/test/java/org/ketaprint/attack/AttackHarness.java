package org.ketaprint.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.ketaprint.cli.Main;

/**
 * The in-process runner of the attack suite (scripts/attack/run.py): every case's command lines go through
 * {@link Main#run} in this JVM, each with a time limit, stdout and stderr captured, and any {@link Throwable}
 * (OutOfMemoryError, StackOverflowError) caught so that the harness survives it.
 *
 * <pre>java -Xmx1g -cp target/classes:target/test-classes:target/lib/* org.ketaprint.attack.AttackHarness CASES RESULTS [SECONDS]</pre>
 *
 * CASES has one JSON object a line: {"id": ..., "steps": [...]}, a step being {"args": [...]} (a ketaprint command line),
 * {"op": "write", "path": P, "b64": DATA}, {"op": "delete", "path": P} (recursive) or {"op": "copy", "from": A, "to": B}.
 * RESULTS gets one JSON object a line per case, written as soon as the case ends: id, kind (done, hang, oom, throwable),
 * and per command step its exit code, seconds, stdout and stderr (each cut to 256 KB). Cases already in RESULTS are
 * skipped, so after a hang (the stuck thread cannot be stopped: the JVM halts with status 3) or an OutOfMemoryError
 * (status 4, a fresh heap for the next case) the caller starts the harness again and it resumes. Before each case its
 * id is written to RESULTS.current, so a JVM that dies outright (status other than 0, 3, 4) names the case it died on.
 */
public final class AttackHarness {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CAPTURE = 256 * 1024;

    private AttackHarness() {
    }

    /** What one command line did. */
    public record Outcome(String kind, int exit, double seconds, String out, String err, Throwable thrown) {
        /** True when the command exited non-zero with exactly one stderr line starting {@code ketaprint:} and no trace. */
        public boolean cleanError() {
            List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
            return kind.equals("done") && exit != 0 && lines.size() == 1 && lines.get(0).startsWith("ketaprint: ")
                && !lines.get(0).contains("internal error") && !lines.get(0).contains("Exception")
                && !lines.get(0).contains("Error:") && !err.contains("\tat ");
        }

        /** True when there is an internal error, a stack trace or a thrown Throwable, or the command hung. */
        public boolean crashed() {
            return !kind.equals("done") || err.contains("internal error") || err.contains("\tat ") || out.contains("\tat ")
                || err.contains("Exception") || err.contains("Error:");
        }

        @Override
        public String toString() {
            return kind + " exit " + exit + " (" + String.format("%.2f", seconds) + " s): " + err.strip()
                + (thrown == null ? "" : " [" + thrown + "]");
        }
    }

    /** A stream that keeps at most {@link #MAX_CAPTURE} bytes. */
    private static final class Capped extends OutputStream {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (buf.size() < MAX_CAPTURE) buf.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int n = Math.min(len, MAX_CAPTURE - buf.size());
            if (n > 0) buf.write(b, off, n);
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs {@code Main.run(args)} on a worker thread with System.out/err captured; waits at most {@code seconds}.
     * A hung worker is left running (kind "hang"); the caller decides whether the JVM can go on.
     */
    public static synchronized Outcome run(double seconds, String... args) {
        PrintStream o = System.out, e = System.err;
        Capped bo = new Capped(), be = new Capped();
        AtomicReference<Integer> code = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                code.set(Main.run(args));
            } catch (Throwable x) {
                thrown.set(x);
            }
        }, "attack-case");
        t.setDaemon(true);
        long t0 = System.nanoTime();
        try {
            System.setOut(new PrintStream(bo, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
            t.start();
            t.join((long) (seconds * 1000));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(o);
            System.setErr(e);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        Throwable x = thrown.get();
        if (t.isAlive()) return new Outcome("hang", -1, s, bo.text(), be.text(), null);
        if (x != null) {
            String kind = x instanceof OutOfMemoryError ? "oom" : "throwable";
            java.io.StringWriter sw = new java.io.StringWriter();
            x.printStackTrace(new java.io.PrintWriter(sw));
            String trace = sw.toString();
            return new Outcome(kind, -1, s, bo.text(), be.text() + trace.substring(0, Math.min(trace.length(), 8000)), x);
        }
        return new Outcome("done", code.get(), s, bo.text(), be.text(), null);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
            }
        } else {
            Files.delete(p);
        }
    }

    /** Runs one case's steps; returns the result record and the kind of the worst step. */
    static ObjectNode runCase(JsonNode c, double seconds) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", c.get("id").asText());
        ArrayNode steps = r.putArray("steps");
        String kind = "done";
        for (JsonNode st : c.get("steps")) {
            if (st.has("op")) {
                String op = st.get("op").asText();
                Path p = Path.of(st.path("path").asText(st.path("to").asText()));
                switch (op) {
                    case "write" -> {
                        Files.createDirectories(p.toAbsolutePath().getParent());
                        Files.write(p, Base64.getDecoder().decode(st.get("b64").asText()));
                    }
                    case "delete" -> deleteTree(p);
                    case "copy" -> Files.copy(Path.of(st.get("from").asText()), p,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    default -> throw new IllegalArgumentException("unknown op " + op);
                }
                continue;
            }
            List<String> args = new ArrayList<>();
            st.get("args").forEach(a -> args.add(a.asText()));
            Outcome oc = run(seconds, args.toArray(new String[0]));
            ObjectNode s = steps.addObject();
            s.put("kind", oc.kind());
            s.put("exit", oc.exit());
            s.put("seconds", Math.round(oc.seconds() * 1000) / 1000.0);
            s.put("stdout", oc.out());
            s.put("stderr", oc.err());
            if (!oc.kind().equals("done")) {
                kind = oc.kind();
                break;
            }
        }
        r.put("kind", kind);
        return r;
    }

    public static void main(String[] argv) throws IOException {
        if (argv.length < 2) {
            System.err.println("usage: AttackHarness CASES.jsonl RESULTS.jsonl [SECONDS]");
            System.exit(2);
        }
        Path cases = Path.of(argv[0]), results = Path.of(argv[1]);
        Path current = Path.of(argv[1] + ".current");
        double seconds = argv.length > 2 ? Double.parseDouble(argv[2]) : 60;
        Set<String> done = new HashSet<>();
        if (Files.exists(results)) {
            for (String l : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) done.add(JSON.readTree(l).get("id").asText());
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(results, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
            for (String line : Files.readAllLines(cases, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                JsonNode c = JSON.readTree(line);
                if (done.contains(c.get("id").asText())) continue;
                Files.writeString(current, c.get("id").asText(), StandardCharsets.UTF_8);
                ObjectNode r;
                try {
                    r = runCase(c, c.path("timeout").asDouble(seconds));
                } catch (Throwable x) {  // a failing step operation: the harness's fault, reported as such
                    r = JSON.createObjectNode();
                    r.put("id", c.get("id").asText());
                    r.put("kind", "harness");
                    r.put("error", x.toString());
                }
                w.write(JSON.writeValueAsString(r));
                w.newLine();
                w.flush();
                String kind = r.get("kind").asText();
                if (kind.equals("hang")) Runtime.getRuntime().halt(3);
                if (kind.equals("oom")) Runtime.getRuntime().halt(4);
            }
        }
        Files.deleteIfExists(current);
        // worker threads of ketaprint (pools) may linger; the harness is done
        Runtime.getRuntime().halt(0);
    }
}
