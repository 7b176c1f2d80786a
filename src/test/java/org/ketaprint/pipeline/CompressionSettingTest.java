package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Compression;

/**
 * Issue 16, the {@code compression} setting: the pipeline's top-level {@code compression:} (checked with its line),
 * overridden by the run's --compression, reaches the derived images (none: .nii), is recorded in the provenance and
 * is part of the run hash, so --skip-existing recomputes a session when it changes.
 */
class CompressionSettingTest {
    @TempDir
    Path tmp;

    PipelineSpec pipeline(String compressionLine) throws IOException {
        Path f = tmp.resolve("p" + Math.abs(compressionLine.hashCode()) + ".yaml");
        Files.writeString(f, compressionLine + "\n" + Files.readString(DemoPipelineTest.PIPELINE));
        return PipelineSpec.load(f);
    }

    @Test
    void theYamlKey() throws IOException {
        assertNull(PipelineSpec.load(DemoPipelineTest.PIPELINE).compression);
        assertEquals(Compression.NONE, pipeline("compression: none").compression);
        assertEquals(1, pipeline("compression: 1").compression.level());
        assertEquals(9, pipeline("compression: \"9\"").compression.level());
        for (String bad : new String[] {"compression: 11", "compression: 0", "compression: fast", "compression: [1]",
            "compression:", "compression: {level: 1}"}) {
            KetaprintException e = assertThrows(KetaprintException.class, () -> pipeline(bad), bad);
            assertTrue(e.getMessage().matches("\\S+\\.yaml: line 1: compression: .*"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        KetaprintException e = assertThrows(KetaprintException.class, () -> pipeline("compression: 11"));
        assertTrue(e.getMessage().endsWith("line 1: compression: '11' is not a gzip level 1 to 9 (1 fastest, 9 smallest) nor"
            + " none (uncompressed .nii)"), e.getMessage());
    }

    /** Runs sub-01 ses-pre into {@code out} with --skip-existing; its status. */
    String run(PipelineSpec p, Path bids, Path out, Compression flag) throws InterruptedException {
        ParticipantRunner.Options o = new ParticipantRunner.Options();
        o.participants = List.of("01");
        o.sessions = List.of("pre");
        o.skipExisting = true;
        o.compression = flag;
        List<ParticipantRunner.Outcome> r = new ParticipantRunner(p, BidsLayout.index(bids, List.of()),
            new Atlases(List.of(DemoPipelineTest.ATLASES)), out, o, Progress.silent()).run();
        assertEquals(1, r.size());
        return r.get(0).status();
    }

    static List<String> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.contains(".nii")).sorted().toList();
        }
    }

    static JsonNode provenance(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json").toFile());
    }

    @Test
    void reachesTheMapsTheProvenanceAndTheRunHash() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path out = tmp.resolve("out");
        Path ses = out.resolve("sub-01/ses-pre");
        PipelineSpec none = pipeline("compression: none");
        assertEquals("ok", run(none, bids, out, null));
        List<String> plain = images(ses);
        assertTrue(plain.stream().anyMatch(n -> n.endsWith("_model-tensor_param-fa_dwimap.nii")), plain.toString());
        assertTrue(plain.stream().allMatch(n -> n.endsWith(".nii")), "compression: none writes .nii only: " + plain);
        assertEquals("none", provenance(out).path("compression").asText());
        assertEquals("none", provenance(out).path("run_hash_inputs").path("options").path("compression").asText());
        String hash = provenance(out).path("run_hash").asText();
        assertEquals("skipped", run(none, bids, out, null));
        assertEquals("skipped", run(none, bids, out, Compression.NONE), "--compression none as the pipeline's");

        // --compression wins over the pipeline's; a change is computed again, with another run hash
        assertEquals("ok", run(none, bids, out, Compression.parse("1")));
        assertEquals("1", provenance(out).path("compression").asText());
        assertFalse(hash.equals(provenance(out).path("run_hash").asText()));
        List<String> gz = images(ses).stream().filter(n -> n.endsWith(".nii.gz")).toList();
        assertEquals(plain.size(), gz.size(), "every derived image again, gzipped: " + gz);
        for (String n : plain) assertTrue(gz.contains(n + ".gz"), n);
        assertEquals("skipped", run(none, bids, out, Compression.parse("1")));
        assertEquals("ok", run(none, bids, out, Compression.parse("9")), "another level: other files");
        assertEquals("9", provenance(out).path("run_hash_inputs").path("options").path("compression").asText());
    }

    @Test
    void theDefaultIsRecordedToo() throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Path out = tmp.resolve("out");
        assertEquals("ok", run(PipelineSpec.load(DemoPipelineTest.PIPELINE), bids, out, null));
        assertEquals(Compression.DEFAULT.toString(), provenance(out).path("compression").asText());
        assertTrue(images(out.resolve("sub-01/ses-pre")).stream().allMatch(n -> n.endsWith(".nii.gz")));
    }
}
