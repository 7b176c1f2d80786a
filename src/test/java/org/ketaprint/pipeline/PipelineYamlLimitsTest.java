package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;

/**
 * Hostile or broken pipeline files (issue 14): alias bombs, a value that contains itself, deep nesting, an oversize
 * file; each a clean error within seconds and bounded memory, and every error the user sees names the file.
 */
class PipelineYamlLimitsTest {
    /** Bytes one parse may allocate: the default pipeline takes a few MB; the bombs reached GBs. */
    static final long MAX_ALLOCATED = 256L << 20;

    @TempDir
    Path tmp;

    Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Runs {@code f} within 10 s, allocating at most {@link #MAX_ALLOCATED} bytes on its thread. */
    static <T> T bounded(Supplier<T> f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            T t = f.get();
            long used = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(used < MAX_ALLOCATED, "allocated " + (used >> 20) + " MB");
            return t;
        });
    }

    List<String> problems(Path p) {
        Problems pr = new Problems();
        PipelineSpec s = bounded(() -> PipelineSpec.parse(p, pr));
        assertTrue(s == null || !pr.ok());
        return pr.errors();
    }

    @Test
    void recursiveAliasIsAnErrorNotAStackOverflow() throws Exception {
        Path p = write("rec.yaml", "name: x\nstages:\n  - type: structural\n    params: &a {x: [*a]}\n");
        List<String> e = problems(p);
        assertEquals(List.of("line 4: recursive alias: the value contains itself"), e);
        assertEquals(List.of("line 1: recursive alias: the value contains itself"), problems(write("rec2.yaml", "x: &a [*a]\n")));
        // a key that is a mapping or list (SnakeYAML allows a recursive one there when composing)
        assertTrue(problems(write("key.yaml", "? &k [*k]\n: v\n")).get(0).startsWith("line 1: a key must be a single value"));
    }

    /** A "billion laughs": 25 levels of two aliases each in half a kilobyte, 2^26 values expanded. */
    @Test
    void aliasBombWithFewAliasesStopsAtTheValueLimit() throws Exception {
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol]\n");
        for (int i = 1; i <= 24; i++) b.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        b.append("name: bomb\nstages: [{type: structural, params: {x: *a24}}]\n");
        assertTrue(b.length() < 1024);
        List<String> e = problems(write("bomb.yaml", b.toString()));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).matches("line \\d+: more than 100000 values once aliases are expanded.*"), e.get(0));
    }

    /** The classic form: nine aliases a level, refused by SnakeYAML's limit on aliases of collections. */
    @Test
    void aliasBombWithManyAliasesStopsAtTheAliasLimit() throws Exception {
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) b.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
        List<String> e = problems(write("bomb9.yaml", b.toString()));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("aliases") && e.get(0).contains("max=50"), e.get(0));
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        List<String> e = problems(write("deep.yaml", "x: " + "[".repeat(5000) + "]".repeat(5000) + "\n"));
        assertTrue(e.get(0).contains("Nesting Depth exceeded max 50"), e.toString());
        // through aliases: a list of 40 levels inside another of 40 levels
        String forty = "[".repeat(40) + "]".repeat(40);
        List<String> e2 = problems(write("deep2.yaml", "a: &a " + forty + "\nb: " + "[".repeat(39) + "*a" + "]".repeat(39) + "\n"));
        assertTrue(e2.get(0).contains("nested deeper than 50 levels"), e2.toString());
    }

    @Test
    void oversizeFileIsRefusedUnread() throws Exception {
        Path ok = write("ok.yaml", pad("name: big\nstages: [{type: structural}]\n", YNode.MAX_BYTES));
        assertEquals(YNode.MAX_BYTES, Files.size(ok));
        assertEquals("big", bounded(() -> PipelineSpec.load(ok)).name);
        Path big = write("big.yaml", pad("name: big\nstages: [{type: structural}]\n", YNode.MAX_BYTES + 1));
        KetaprintException x = assertThrows(KetaprintException.class, () -> PipelineSpec.load(big));
        assertEquals(big + ": larger than 1 MB: not a pipeline file (at most 1048576 bytes)", x.getMessage());
        Cli c = Cli.run("validate-pipeline", big.toString());
        assertEquals(2, c.code);
        assertEquals("ketaprint: " + x.getMessage(), c.err.strip());
    }

    /** {@code head} then comment lines up to {@code size} bytes. */
    static String pad(String head, int size) {
        StringBuilder b = new StringBuilder(head);
        while (b.length() < size - 80) b.append("#").append("x".repeat(78)).append('\n');
        b.append('#');
        while (b.length() < size - 1) b.append('x');
        return b.append('\n').toString();
    }

    @Test
    void numbersAreStrictDecimals() {
        assertEquals(0.5, YNode.scalar("0.5", 1).number());
        assertEquals(-3e2, YNode.scalar("-3e2", 1).number());
        for (String s : List.of("NaN", "Infinity", "-Infinity", "0x1Ep0", "32d", "1f", "1e999", " 1", "half", "")) {
            PipelineException x = assertThrows(PipelineException.class, () -> YNode.scalar(s, 3).number(), s);
            assertEquals("line 3: '" + s + "' is not a number", x.getMessage());
        }
    }

    /**
     * Every kind of pipeline error reaches the user as {@code FILE: line N: ...}, one line each, from validate-pipeline
     * and from a run (which used to print some as just {@code line N: ...}, or a stack trace).
     */
    @Test
    void everyErrorNamesTheFile() throws Exception {
        List<String> cases = List.of(
            "name: x\nname: y\nstages: [{type: structural}]\n",                                  // duplicate key
            "name: [x]\nstages: [{type: structural}]\n",                                         // expected a single value
            "name: x\nclinical: [a]\nstages: [{type: structural}]\n",                            // clinical not a mapping
            "name: x\nstages:\n  - type: [structural]\n",                                        // type not a single value
            "name: x\nstages:\n  - type: structural\n    inputs: [seg]\n",                       // expected a mapping
            "name: x\nstages:\n  - type: structural\n    features: {a: b}\n",                    // expected a list
            "name: x\nstages:\n  - type: structural\n   bad indent: [\n",                        // YAML syntax
            "name: x\ncolour: red\nstages: [{type: structural}]\n",                              // unknown key
            "x: &a [*a]\n",                                                                      // recursive alias
            "stages: 3\n");                                                                      // stages not a list
        Path bids = Path.of("test-data/demo-bids");
        List<String> bad = new ArrayList<>();
        int i = 0;
        for (String yaml : cases) {
            Path p = write("case" + i++ + ".yaml", yaml);
            Cli v = Cli.run("validate-pipeline", p.toString());
            Cli r = Cli.run(bids.toString(), tmp.resolve("out").toString(), "participant", "--pipeline", p.toString(), "--quiet");
            for (Cli c : List.of(v, r)) {
                if (c.code != 2 || c.err.isBlank()) bad.add(p.getFileName() + ": exit " + c.code + ": " + c.err);
                for (String line : c.err.strip().split("\n")) {
                    if (!line.startsWith(p + ": line ") && !line.startsWith("ketaprint: " + p + ": line ")) bad.add(p.getFileName() + ": " + line);
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
