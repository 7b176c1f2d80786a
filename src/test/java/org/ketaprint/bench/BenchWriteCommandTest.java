package org.ketaprint.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.nifti.Images;

/** The bench-write command line: the files it writes hold the maps' values; JSON record; errors. */
class BenchWriteCommandTest {
    static final String FA = "test-data/diffusion/roi_fa.nii.gz";
    static final String MD = "test-data/diffusion/roi_md.nii.gz";

    @TempDir
    Path tmp;

    @Test
    void writesTheMapsAndReportsThem() throws Exception {
        Cli c = Cli.run("bench-write", FA, MD, "--out-dir", tmp.toString(), "--compression", "1", "--repeat", "2", "--json");
        assertEquals(0, c.code, c.err);
        JsonNode j = c.json();
        assertEquals("1", j.get("compression").asText());
        assertEquals(2, j.get("maps").asInt());
        assertEquals(2, j.get("runs").size());
        assertTrue(j.get("best_s").asDouble() <= j.get("median_s").asDouble());
        long size = Files.size(tmp.resolve("roi_fa.nii.gz")) + Files.size(tmp.resolve("roi_md.nii.gz"));
        assertEquals(size, j.get("file_bytes").asLong());
        assertArrayEquals(Images.open(Path.of(FA)).readVolume(0), Images.open(tmp.resolve("roi_fa.nii.gz")).readVolume(0));
        Cli none = Cli.run("bench-write", FA, "--out-dir", tmp.toString(), "--compression", "none", "--repeat", "1");
        assertEquals(0, none.code, none.err);
        assertTrue(none.out.contains("compression none") && Files.isRegularFile(tmp.resolve("roi_fa.nii")), none.out);
    }

    @Test
    void badValuesAreOneLine() {
        Cli c = Cli.run("bench-write", FA, "--out-dir", tmp.toString(), "--repeat", "0");
        assertEquals(2, c.code);
        assertEquals("ketaprint: bench-write: --repeat must be at least 1, got 0", c.err.strip());
        c = Cli.run("bench-write", FA, "--out-dir", tmp.toString(), "--threads", "-1");
        assertEquals(2, c.code);
        assertEquals("ketaprint: --threads must be 0 or more, got -1", c.err.strip());
    }
}
