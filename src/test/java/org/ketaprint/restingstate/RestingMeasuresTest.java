package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.measure.Value;
import org.ketaprint.table.Json;

/** The default pipeline's resting-state measures on the phantom: every value against the reference script's. */
class RestingMeasuresTest {
    static final Path DIR = Path.of("test-data", "restingstate");
    static final Map<String, Roi> ROIS = Map.of("sgacc", Roi.sphere(6, 16, -10, 10), "rdlpfc", Roi.sphere(38, 44, 26, 10));

    @TempDir
    Path tmp;

    RestingData data(Settings s, Map<String, Path> maps) {
        BoldRun run = BoldRun.load(DIR.resolve("bold.nii.gz"), DIR.resolve("brain_mask.nii.gz"), Double.NaN);
        Confounds conf = Confounds.read(DIR.resolve("confounds.tsv"));
        Map<String, Roi> rois = new LinkedHashMap<>(ROIS);
        rois.put("pfc", Roi.atlas(DIR.resolve("atlas.nii.gz"), List.of("1")));
        return new RestingData(run, conf, s, rois::get, () -> Gbc.grayMatter(run, DIR.resolve("gm_mask.nii.gz")),
            maps == null ? null : (e, v) -> maps.put(e, run.writeMap(tmp.resolve("rest_").toString(), e, v)));
    }

    static <P extends Record> P p(Class<P> t, String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return ParamSet.of(t).bind(m);
    }

    @Test
    void valuesMatchTheReference() throws Exception {
        JsonNode ref = Json.MAPPER.readTree(DIR.resolve("reference.json").toFile());
        JsonNode planted = Json.MAPPER.readTree(DIR.resolve("planted.json").toFile());
        Map<String, Path> maps = new LinkedHashMap<>();
        RestingData d = data(RestingStateStage.defaults().settings(), maps);
        Value fc = new SeedCorrelation().compute(d, p(SeedCorrelation.Params.class, "seed", "sgacc", "target", "rdlpfc"));
        Value fcGsr = new SeedCorrelation().compute(d, p(SeedCorrelation.Params.class, "seed", "sgacc", "target", "rdlpfc", "gsr", "true"));
        assertNull(fc.na());
        assertEquals(ref.at("/fc/z").asDouble(), fc.value(), 1e-6);
        assertEquals(ref.at("/fc_gsr/z").asDouble(), fcGsr.value(), 1e-6);
        assertEquals(planted.get("z_gsr").asDouble(), fcGsr.value(), 1e-5);
        assertEquals(ref.at("/alff/alff").asDouble(), new Alff().compute(d, p(Alff.Params.class, "roi", "sgacc")).value(), 1e-6);
        assertEquals(ref.at("/alff/falff").asDouble(),
            new Alff().compute(d, p(Alff.Params.class, "roi", "sgacc", "value", "falff")).value(), 1e-6);
        assertEquals(ref.at("/gbc_gsr/gbc_z").asDouble(), new Gbc().compute(d, p(Gbc.Params.class, "roi", "pfc", "gsr", "true")).value(), 1e-6);
        assertEquals(ref.at("/gbc/gbc_z").asDouble(), new Gbc().compute(d, p(Gbc.Params.class, "roi", "pfc")).value(), 1e-6);
        assertEquals(ref.at("/fc/fd_mean_mm").asDouble(), new Quality().compute(d, p(Quality.Params.class, "value", "fd_mean")).value(), 1e-9);
        assertEquals(planted.get("n_censored").asDouble(), new Quality().compute(d, p(Quality.Params.class, "value", "n_censored")).value(), 0);
        assertEquals(150 - planted.get("n_censored").asDouble(), new Quality().compute(d, p(Quality.Params.class, "value", "n_used")).value(), 0);
        assertEquals(List.of("seed-sgacc_stat-r", "seed-sgacc_stat-z", "seed-sgacc_desc-gsr_stat-r", "seed-sgacc_desc-gsr_stat-z",
            "stat-alff", "stat-falff", "stat-gbc_desc-gsr", "stat-gbc"), List.copyOf(maps.keySet()));
        for (Path m : maps.values()) assertTrue(Files.size(m) > 0);
        ReferenceAgreementTest.compareMaps(DIR.resolve("ref_gbc_gsr_gbc.nii.gz"), maps.get("stat-gbc_desc-gsr"), 1e-5);
        ReferenceAgreementTest.compareMaps(DIR.resolve("ref_fc_z.nii.gz"), maps.get("seed-sgacc_stat-z"), 1e-5);
    }

    @Test
    void tooLittleTimeMakesTheValuesNaWithTheReason() {
        RestingData d = data(new Settings(Strategy.parse("24P"), 0.5, 400, Band.parse("0.01,0.1")), null);
        Value fc = new SeedCorrelation().compute(d, p(SeedCorrelation.Params.class, "seed", "sgacc", "target", "rdlpfc"));
        assertTrue(Double.isNaN(fc.value()));
        assertTrue(fc.na().contains("need 400"), fc.na());
        assertEquals(144, new Quality().compute(d, p(Quality.Params.class, "value", "n_used")).value(), 0);
    }
}
