package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.table.Table;

/** The structural stage with FreeSurfer inputs: aseg.stats (eTIV, --pv volumes) and the aseg.mgz fallback. */
class StructuralStageTest {
    @TempDir
    Path tmp;

    Path pipeline() throws Exception {
        Path p = tmp.resolve("fs.yaml");
        Files.writeString(p, String.join("\n",
            "name: fs",
            "stages:",
            "  - type: structural",
            "    features:",
            "      - {column: hc_l, measure: volume, label: Left-Hippocampus}",
            "      - {column: hc_l_pv, measure: volume, label: 17, source: asegstats}",
            "      - {column: icv, measure: icv}",
            "      - {column: hc_l_frac, measure: volume, label: 17, normalize: icv}",
            ""));
        return p;
    }

    @Test
    void asegStatsGivesEtivAndPartialVolumeColumnsAndMgzIsTheFallbackSeg() throws Exception {
        Path bids = tmp.resolve("bids");
        Files.createDirectories(bids.resolve("sub-01/anat"));
        Files.writeString(bids.resolve("dataset_description.json"), "{\"Name\":\"t\",\"BIDSVersion\":\"1.9.0\"}");
        Files.writeString(bids.resolve("sub-01/anat/sub-01_T1w.json"), "{}");
        Path fs = Files.createDirectories(bids.resolve("derivatives/freesurfer/sub-01"));
        Files.createDirectories(fs.resolve("mri"));
        Files.createDirectories(fs.resolve("stats"));
        Files.copy(Path.of("test-data/structural/labels_oblique.mgz"), fs.resolve("mri/aseg.mgz"));
        Files.copy(Path.of("test-data/structural/aseg.stats"), fs.resolve("stats/aseg.stats"));
        Path out = tmp.resolve("out");
        assertEquals(0, Main.run(bids.toString(), out.toString(), "participant", "--pipeline", pipeline().toString(), "--quiet"));
        Map<String, String> row = Table.read(out.resolve("sub-01/sub-01_features.tsv")).rows().get(0);
        JsonNode ref = new ObjectMapper().readTree(Path.of("test-data/structural/reference.json").toFile())
            .get("labels_oblique.mgz").get("counts").get("17");
        double hc = ref.get("volume_mm3").asDouble();            // numpy count x |det| (nibabel)
        assertEquals(hc, Table.number(row.get("hc_l")), 1e-6 * hc);
        assertEquals(4102.7, Table.number(row.get("hc_l_pv")), 1e-9);          // aseg.stats Volume_mm3 of SegId 17
        assertEquals(1543210.987654, Table.number(row.get("icv")), 1e-6);      // eTIV
        assertEquals(hc / 1543210.987654, Table.number(row.get("hc_l_frac")), 1e-6 * hc / 1543210.987654);
        String prov = Files.readString(out.resolve("sub-01/sub-01_provenance.json"));
        assertTrue(prov.contains("eTIV"), "the ICV source is recorded");
        assertTrue(prov.contains("aseg.mgz") && prov.contains("aseg.stats"), "FreeSurfer inputs are in the provenance");
    }
}
