package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.table.Json;

/** The pipeline's column set on the phantom: every column against the reference script's value. */
class RestingFeaturesTest {
    static final Path DIR = Path.of("test-data", "restingstate");

    @TempDir
    Path tmp;

    @Test
    void columnsMatchTheReference() throws Exception {
        JsonNode ref = Json.MAPPER.readTree(DIR.resolve("reference.json").toFile());
        JsonNode planted = Json.MAPPER.readTree(DIR.resolve("planted.json").toFile());
        BoldRun run = BoldRun.load(DIR.resolve("bold.nii.gz"), DIR.resolve("brain_mask.nii.gz"), Double.NaN);
        Confounds conf = Confounds.read(DIR.resolve("confounds.tsv"));
        RestingFeatures.Config cfg = new RestingFeatures.Config();
        cfg.pfc = Roi.atlas(DIR.resolve("atlas.nii.gz"), List.of("1"));
        cfg.mapDir = tmp;
        boolean[] gm = Gbc.grayMatter(run, DIR.resolve("gm_mask.nii.gz"));
        RestingFeatures.Output out = RestingFeatures.compute(run, conf, gm, cfg);
        assertEquals(RestingFeatures.COLUMNS.size(), out.values.size());
        assertEquals(ref.at("/fc/z").asDouble(), out.values.get(RestingFeatures.FC_Z), 1e-6);
        assertEquals(ref.at("/fc_gsr/z").asDouble(), out.values.get(RestingFeatures.FC_GSR_Z), 1e-6);
        assertEquals(planted.get("z_gsr").asDouble(), out.values.get(RestingFeatures.FC_GSR_Z), 1e-5);
        assertEquals(ref.at("/alff/alff").asDouble(), out.values.get(RestingFeatures.ALFF), 1e-6);
        assertEquals(ref.at("/alff/falff").asDouble(), out.values.get(RestingFeatures.FALFF), 1e-6);
        assertEquals(ref.at("/gbc_gsr/gbc_z").asDouble(), out.values.get(RestingFeatures.GBCR_Z), 1e-6);
        assertEquals(ref.at("/gbc/gbc_z").asDouble(), out.values.get(RestingFeatures.GBC_Z), 1e-6);
        assertEquals(ref.at("/fc/fd_mean_mm").asDouble(), out.values.get(RestingFeatures.FD_MEAN), 1e-9);
        assertEquals(planted.get("n_censored").asDouble(), out.values.get(RestingFeatures.CENSORED), 0);
        assertEquals(150 - planted.get("n_censored").asDouble(), out.values.get(RestingFeatures.USED), 0);
        assertTrue(out.notes.isEmpty(), out.notes.toString());
        assertEquals(8, out.maps.size());
        for (Path p : out.maps) assertTrue(Files.size(p) > 0);
        ReferenceAgreementTest.compareMaps(DIR.resolve("ref_gbc_gsr_gbc.nii.gz"), tmp.resolve("rest_gbcr.nii.gz"), 1e-5);
        ReferenceAgreementTest.compareMaps(DIR.resolve("ref_fc_z.nii.gz"), tmp.resolve("rest_seed_z.nii.gz"), 1e-5);
        assertEquals(RestingFeatures.COLUMNS, List.copyOf(RestingFeatures.dictionary().keySet()));
    }

    @Test
    void tooLittleTimeMakesEveryFeatureNaWithTheReason() {
        BoldRun run = BoldRun.load(DIR.resolve("bold.nii.gz"), DIR.resolve("brain_mask.nii.gz"), Double.NaN);
        Confounds conf = Confounds.read(DIR.resolve("confounds.tsv"));
        RestingFeatures.Config cfg = new RestingFeatures.Config();
        cfg.settings = new Settings(Strategy.parse("24P"), 0.5, 400, Band.DEFAULT);
        RestingFeatures.Output out = RestingFeatures.compute(run, conf, null, cfg);
        assertTrue(Double.isNaN(out.values.get(RestingFeatures.FC_Z)));
        assertTrue(out.notes.get(RestingFeatures.FC_Z).contains("need 400"), out.notes.toString());
        assertEquals(144, out.values.get(RestingFeatures.USED), 0);
    }
}
