package org.ketaprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package structure of the main classes, as jdeps sees the compiled code (issue 12): no cycles among the
 * org.ketaprint packages, picocli commands only in cli (nothing else depends on cli), nifti free of table,
 * and the pipeline core not depending on the stages that implement it.
 */
class PackageCyclesTest {
    private static final String ROOT = "org.ketaprint";
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.*$");

    /** org.ketaprint package -> the other org.ketaprint packages it uses, from target/classes. */
    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void runJdeps() throws URISyntaxException {
        Path classes = Path.of(KetaprintException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve("org/ketaprint")), "main classes not found at " + classes);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err),
            "--multi-release", "17", "--ignore-missing-deps", "-verbose:package", classes.toString());
        assertEquals(0, rc, "jdeps failed: " + err + out);
        graph = parse(out.toString());
    }

    /** The org.ketaprint part of {@code jdeps -verbose:package} output; edges to other libraries and self-edges dropped. */
    static Map<String, Set<String>> parse(String jdepsOutput) {
        Map<String, Set<String>> g = new TreeMap<>();
        for (String line : jdepsOutput.split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (!m.matches()) continue;
            String from = m.group(1);
            String to = m.group(2);
            if (!inProject(from)) continue;
            g.computeIfAbsent(from, k -> new TreeSet<>());
            if (inProject(to) && !to.equals(from)) g.get(from).add(to);
        }
        return g;
    }

    private static boolean inProject(String pkg) {
        return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
    }

    /** Strongly connected components with more than one node (Tarjan), i.e. the package cycles; each sorted. */
    static List<Set<String>> cycles(Map<String, Set<String>> g) {
        return new Tarjan(g).run().stream().filter(c -> c.size() > 1).collect(Collectors.toList());
    }

    private static final class Tarjan {
        private final Map<String, Set<String>> g;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();
        private int next;

        Tarjan(Map<String, Set<String>> g) {
            this.g = g;
        }

        List<Set<String>> run() {
            for (String v : g.keySet()) {
                if (!index.containsKey(v)) visit(v);
            }
            return components;
        }

        private void visit(String v) {
            index.put(v, next);
            low.put(v, next);
            next++;
            stack.push(v);
            onStack.add(v);
            for (String w : g.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> c = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    c.add(w);
                } while (!w.equals(v));
                components.add(c);
            }
        }
    }

    private static String describe(Set<String> cycle, Map<String, Set<String>> g) {
        StringBuilder b = new StringBuilder("cycle " + cycle + ":");
        for (String from : cycle) {
            for (String to : g.getOrDefault(from, Set.of())) {
                if (cycle.contains(to)) b.append("\n    ").append(from).append(" -> ").append(to);
            }
        }
        return b.toString();
    }

    private static List<String> usersOf(String pkg) {
        return graph.entrySet().stream().filter(e -> e.getValue().contains(pkg)).map(Map.Entry::getKey).toList();
    }

    @Test
    void jdepsSeesTheProject() {
        for (String p : List.of("cli", "nifti", "pipeline", "restingstate", "imagej", "table")) {
            assertTrue(graph.containsKey(ROOT + "." + p), "jdeps output has no package " + p + ": " + graph.keySet());
        }
        assertTrue(graph.get(ROOT + ".cli").contains(ROOT + ".nifti"), "expected cli -> nifti in " + graph);
    }

    @Test
    void noPackageCycles() {
        List<Set<String>> cycles = cycles(graph);
        if (!cycles.isEmpty()) {
            fail("package cycles among org.ketaprint packages:\n  "
                + cycles.stream().map(c -> describe(c, graph)).collect(Collectors.joining("\n  ")));
        }
    }

    @Test
    void onlyTheCommandLineUsesCli() {
        List<String> users = usersOf(ROOT + ".cli");
        assertEquals(List.of(), users, "picocli subcommands belong in org.ketaprint.cli; these packages depend on it");
    }

    @Test
    void niftiDoesNotUseTable() {
        assertTrue(!graph.get(ROOT + ".nifti").contains(ROOT + ".table"), "nifti -> table: " + graph.get(ROOT + ".nifti"));
    }

    @Test
    void pipelineDoesNotUseTheStages() {
        Set<String> uses = graph.get(ROOT + ".pipeline");
        for (String stage : List.of("structural", "diffusion", "restingstate")) {
            assertTrue(!uses.contains(ROOT + "." + stage), "pipeline -> " + stage + " (stages implement pipeline.Stage): " + uses);
        }
    }

    @Test
    void tarjanFindsKnownCycles() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a", "d"));
        g.put("d", Set.of("e"));
        g.put("e", Set.of("d", "f"));
        g.put("f", Set.of());
        g.put("g", Set.of("a", "f"));
        List<Set<String>> found = cycles(g);
        assertEquals(Set.of(Set.of("a", "b", "c"), Set.of("d", "e")), Set.copyOf(found));
        assertEquals(List.of(), cycles(Map.of("x", Set.of("y"), "y", Set.of("z"), "z", Set.of())));
        assertEquals(List.of(Set.of("p", "q")), cycles(Map.of("p", Set.of("q"), "q", Set.of("p"))));
    }

    @Test
    void parseKeepsOnlyProjectEdges() {
        String out = String.join("\n",
            "classes -> java.base",
            "   org.ketaprint.nifti                 -> java.io                       java.base",
            "   org.ketaprint.nifti                 -> org.ketaprint                 classes",
            "   org.ketaprint.nifti                 -> org.ketaprint.nifti           classes",
            "   org.ketaprint.table                 -> org.ketaprint.nifti           classes",
            "   org.ketaprint.cli                   -> picocli                       not found",
            "   <unnamed>                           -> org.ketaprint.imagej          classes");
        Map<String, Set<String>> g = parse(out);
        assertEquals(Map.of("org.ketaprint.nifti", Set.of("org.ketaprint"), "org.ketaprint.table", Set.of("org.ketaprint.nifti"),
            "org.ketaprint.cli", Set.of()), g);
        assertEquals(List.of(), cycles(g));
        g.get("org.ketaprint.nifti").add("org.ketaprint.table");
        assertEquals(List.of(Set.of("org.ketaprint.nifti", "org.ketaprint.table")), cycles(g));
    }

    /** docs/architecture.md's package picture: "A ─► B C" lines (continued on the next lines) in its code block. */
    static Map<String, Set<String>> documentedEdges(String doc) {
        Map<String, Set<String>> g = new TreeMap<>();
        String block = doc.substring(doc.indexOf("## Package dependencies"));
        block = block.substring(block.indexOf("```") + 3);
        block = block.substring(0, block.indexOf("```"));
        String from = null;
        for (String line : block.split("\\R")) {
            String targets;
            int arrow = line.indexOf('\u25ba');   // the arrow head
            if (arrow >= 0) {
                String[] left = line.substring(0, arrow).replace("\u2500", " ").trim().split("\\s+");
                from = left[left.length - 1];
                targets = line.substring(arrow + 1);
            } else {
                targets = line;
            }
            if (from == null || from.equals("HandleExtraFileTypes")) continue;
            String f = ROOT + "." + from;
            g.computeIfAbsent(f, k -> new TreeSet<>());
            for (String t : targets.trim().split("\\s+")) {
                if (t.isEmpty() || t.equals("(none)")) continue;
                g.get(f).add(ROOT + "." + t);
            }
        }
        return g;
    }

    @Test
    void theArchitecturePageShowsExactlyTheseEdges() throws Exception {
        Map<String, Set<String>> real = new TreeMap<>();
        graph.forEach((k, v) -> {
            if (k.equals(ROOT)) return;
            Set<String> t = new TreeSet<>(v);
            t.remove(ROOT);
            real.put(k, t);
        });
        String doc = Files.readString(Path.of("docs/architecture.md"));
        assertEquals(real, documentedEdges(doc), "docs/architecture.md's package picture differs from jdeps");
    }

    @Test
    void theArchitecturePageHasTheLineCounts() throws Exception {
        String doc = Files.readString(Path.of("docs/architecture.md"));
        String table = doc.substring(doc.indexOf("## Size of the main code"), doc.indexOf("## From a column to its code"));
        Path main = Path.of("src/main/java/org/ketaprint");
        int checked = 0;
        try (var dirs = Files.walk(main)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                List<Path> files;
                try (var l = Files.list(d)) {
                    files = l.filter(f -> f.toString().endsWith(".java")).toList();
                }
                if (files.isEmpty()) continue;
                long lines = 0;
                for (Path f : files) lines += Files.readAllLines(f).size();
                String name = d.equals(main) ? "root package" : main.relativize(d).toString().replace('/', '.');
                Matcher m = Pattern.compile("(?:^|[|,] )" + Pattern.quote(name) + " (\\d+) \\((\\d+)\\)").matcher(table);
                assertTrue(m.find(), "docs/architecture.md has no line count for " + name);
                assertEquals(lines + " (" + files.size() + ")", m.group(1) + " (" + m.group(2) + ")", "lines (files) of " + name);
                checked++;
            }
        }
        assertTrue(checked >= 15, "only " + checked + " packages checked");
    }
}
