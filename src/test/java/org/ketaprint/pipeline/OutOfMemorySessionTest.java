package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;

/**
 * Issue 14: an OutOfMemoryError inside a session's stage fails that stage with the one-line advice on -Xmx as its
 * reason (not "internal error: java.lang.OutOfMemoryError"); the other stages and the run go on.
 */
class OutOfMemorySessionTest {
    @TempDir
    Path tmp;

    @Test
    void outOfMemoryInAStageIsItsFailureReason() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path aseg = bids.resolve("derivatives/fmriprep/sub-01/ses-pre/anat/sub-01_ses-pre_desc-aseg_dseg.nii.gz");
        // the aseg's header now claims 1024^3 uint8 voxels, and its gzip trailer agrees (3 MB of data behind it)
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(aseg))) {
            raw = in.readAllBytes();
        }
        ByteBuffer h = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(42, (short) 1024).putShort(44, (short) 1024).putShort(46, (short) 1024);
        int off = (int) h.getFloat(108);
        int bytes = h.getShort(72) / 8;   // bitpix
        byte[] noise = new byte[3 << 20];
        new java.util.Random(14).nextBytes(noise);
        byte[] claim = java.util.Arrays.copyOf(raw, off + noise.length);
        System.arraycopy(noise, 0, claim, off, noise.length);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(claim);
        }
        byte[] gz = bo.toByteArray();
        ByteBuffer.wrap(gz).order(ByteOrder.LITTLE_ENDIAN).putInt(gz.length - 4, (int) (off + (long) bytes * (1 << 30)));
        Files.write(aseg, gz);
        System.setProperty("ketaprint.maxImageBytes", "1t");   // no budget: the 8 GB label array is attempted
        Cli c;
        try {
            c = Cli.run(bids.toString(), tmp.resolve("out").toString(), "participant", "--participant-label", "01",
                "--session-label", "pre", "--pipeline", DemoPipelineTest.PIPELINE.toString(), "--atlas-dir",
                "test-data/demo-atlases", "--quiet");
        } finally {
            System.clearProperty("ketaprint.maxImageBytes");
        }
        JsonNode s = CheckBeforeComputeTest.stage(CheckBeforeComputeTest.provenance(tmp.resolve("out")), "structural");
        assertEquals("failed", s.path("status").asText(), s.toString());
        assertTrue(s.path("reason").asText().startsWith("out of memory: the Java heap (max "), s.toString());
        assertTrue(s.path("reason").asText().contains("KETAPRINT_JAVA_OPTS=-Xmx"), s.toString());
        assertEquals(1, c.code, c.err);
    }
}
