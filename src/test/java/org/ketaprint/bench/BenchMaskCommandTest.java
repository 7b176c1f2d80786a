package org.ketaprint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.ketaprint.cli.Main;
import org.ketaprint.nifti.NiftiImage;

/** The bench-mask command line on DIPY's small_101D: the mask is DIPY's (count and CRC-32), for both filters. */
class BenchMaskCommandTest {
    private static final String D = "test-data/diffusion/small_101D";
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

    /** DIPY's mask as bench-mask reports it: voxel count and CRC-32 of the uint8 mask, x fastest. */
    private static long[] dipyMask() {
        float[] m = NiftiImage.load(Path.of(D + "_dipy_mask.nii.gz")).readVolume(0);
        CRC32 crc = new CRC32();
        long n = 0;
        for (float v : m) {
            crc.update(v != 0 ? 1 : 0);
            if (v != 0) n++;
        }
        return new long[] {n, crc.getValue()};
    }

    @Test
    void jsonRecordHasDipysMaskForBothFilters() throws Exception {
        long[] ref = dipyMask();
        for (String filter : new String[] {"rank-window", "quickselect"}) {
            out.reset();
            String[] base = {"bench-mask", D + ".nii.gz", "--bval", D + ".bval", "--bvec", D + ".bvec", "--repeat", "2",
                "--warmup", "0", "--json"};
            String[] args = filter.equals("quickselect") ? concat(base, "--select") : base;
            assertEquals(0, run(args), err.toString(StandardCharsets.UTF_8));
            JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals(filter, j.get("filter").asText());
            assertEquals(ref[0], j.get("mask_voxels").asLong(), filter);
            assertEquals(String.format("%08x", ref[1]), j.get("mask_crc32").asText(), filter);
            assertEquals(2, j.get("runs").size());
            assertTrue(j.get("best_s").asDouble() <= j.get("median_s").asDouble());
        }
    }

    @Test
    void textReportAndBadRepeat() {
        assertEquals(0, run("bench-mask", D + ".nii.gz", "--bval", D + ".bval", "--bvec", D + ".bvec", "--repeat", "1"));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("rank-window filter") && s.contains("voxels, crc32 "), s);
        assertEquals(2, run("bench-mask", D + ".nii.gz", "--bval", D + ".bval", "--bvec", D + ".bvec", "--repeat", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--repeat"));
    }

    private static String[] concat(String[] a, String b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + 1);
        c[a.length] = b;
        return c;
    }
}
