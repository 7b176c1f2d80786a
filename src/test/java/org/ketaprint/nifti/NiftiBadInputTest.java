package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Main;

/** Broken files (test-data/nifti/bad, listed in reference.json): one stderr line naming file and problem, exit 2. */
class NiftiBadInputTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> bad() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode b : NiftiReference.root().get("bad")) {
            List<String> words = new ArrayList<>();
            b.get("expect").forEach(w -> words.add(w.asText()));
            out.add(Arguments.of(b.get("file").asText(), words));
        }
        return out.stream();
    }

    @Test
    void everyRequiredCaseIsPresent() {
        List<String> names = new ArrayList<>();
        NiftiReference.root().get("bad").forEach(b -> names.add(b.get("file").asText()));
        for (String n : new String[] {"truncated_header.nii", "wrong_sizeof_hdr.nii", "short_data.nii",
            "short_data.nii.gz", "dim0_zero.nii", "dim0_eight.nii", "not_gzip.nii.gz", "unknown_datatype.nii",
            "missing_img.hdr", "rgb24.nii", "complex64.nii", "huge_dims.nii.gz"}) {
            assertTrue(names.contains(n), "missing bad case " + n);
        }
    }

    /** Runs the CLI, returning {exit code, stderr}. */
    private static Object[] run(String... args) {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            rc = Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new Object[] {rc, err.toString(StandardCharsets.UTF_8)};
    }

    private static void assertOneLine(Object[] r, String file, List<String> words) {
        String err = (String) r[1];
        assertEquals(2, r[0], "exit code; stderr: " + err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "exactly one line on stderr:\n" + err);
        String line = lines.get(0);
        assertTrue(line.startsWith("ketaprint: "), line);
        assertTrue(line.contains(file), "names the file: " + line);
        for (String w : words) assertTrue(line.toLowerCase().contains(w.toLowerCase()), "says '" + w + "': " + line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), "no stack trace: " + line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void infoGivesOneLineAndExit2(String file, List<String> words) {
        Path p = NiftiReference.DIR.resolve("bad").resolve(file);
        assertOneLine(run("info", p.toString()), file, words);
        assertOneLine(run("info", "--stats", "--json", p.toString()), file, words);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void convertGivesOneLineAndExit2(String file, List<String> words) {
        Path p = NiftiReference.DIR.resolve("bad").resolve(file);
        assertOneLine(run("convert", p.toString(), tmp.resolve("out.nii").toString()), file, words);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void loadThrowsKetaprintException(String file, List<String> words) {
        Path p = NiftiReference.DIR.resolve("bad").resolve(file);
        KetaprintException e = assertThrows(KetaprintException.class, () -> NiftiImage.load(p).stats());
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void missingFileAndDirectory() {
        assertOneLine(run("info", tmp.resolve("nope.nii").toString()), "nope.nii", List.of("no such file"));
        assertOneLine(run("info", tmp.toString()), tmp.getFileName().toString(), List.of("directory"));
        assertOneLine(run("info", tmp.resolve("lone.img").toString()), "lone", List.of("missing"));
    }
}
