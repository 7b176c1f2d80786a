package org.ketaprint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ketaprint.cli.Main;

/** The bench-read command line: JSON record, text output, errors. */
class BenchReadCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream o = System.out, e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void jsonRecord() throws Exception {
        String f = "test-data/bench/series_f32.nii.gz";
        assertEquals(0, run("bench-read", f, "--repeat", "3", "--json"));
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode ref = ReadBenchmarkTest.reference("series_f32.nii.gz");
        assertEquals(ref.get("voxels").asLong(), j.get("voxels").asLong());
        assertEquals(ref.get("data_bytes").asLong(), j.get("data_bytes").asLong());
        assertEquals(ref.get("sum").asDouble(), j.get("checksum").asDouble(), 1e-12 * ref.get("sum").asDouble());
        assertEquals(3, j.get("runs").size());
        assertTrue(j.get("best_s").asDouble() <= j.get("median_s").asDouble());
        assertEquals(j.get("data_bytes").asDouble() / j.get("median_s").asDouble() / 1e9,
            j.get("median_gbps").asDouble(), 1e-9 * j.get("median_gbps").asDouble());
        assertEquals(j.get("peak_heap_bytes").asDouble() / j.get("data_bytes").asDouble(),
            j.get("peak_heap_ratio").asDouble(), 1e-12);
    }

    @Test
    void textReport() {
        assertEquals(0, run("bench-read", "test-data/bench/series_i16_be_scaled.nii", "--repeat", "1"));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("840 voxels"), s);
        assertTrue(s.contains("GB/s") && s.contains("x data"), s);
    }

    @Test
    void badInputIsOneLineExit2() {
        assertEquals(2, run("bench-read", "test-data/bench/missing.nii"));
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertTrue(e.startsWith("ketaprint: ") && e.contains("missing.nii"), e);
        assertFalse(e.contains("\n") || e.contains("Exception"), e);
    }

    @Test
    void zeroRepeatIsExit2() {
        assertEquals(2, run("bench-read", "test-data/bench/series_f32.nii", "--repeat", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--repeat"));
    }
}
