package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Work done once per session: the features of one design (GSR or not) share one cleaning (censoring, confound
 * design, projection), whatever their measure; GBC and ALFF maps are made once per design and shared by every
 * ROI; seedcorr's r and z share one computation. Values are those of features computed alone.
 */
class SharedWorkTest {
    static final Path DIR = RestingMeasuresTest.DIR;

    final Map<String, List<double[]>> written = new LinkedHashMap<>();

    RestingData data() {
        BoldRun run = BoldRun.load(DIR.resolve("bold.nii.gz"), DIR.resolve("brain_mask.nii.gz"), Double.NaN);
        Confounds conf = Confounds.read(DIR.resolve("confounds.tsv"));
        Map<String, Roi> rois = new LinkedHashMap<>(RestingMeasuresTest.ROIS);
        rois.put("pfc", Roi.atlas(DIR.resolve("atlas.nii.gz"), List.of("1")));
        return new RestingData(run, conf, RestingStateStage.defaults().settings(), rois::get,
            () -> Gbc.grayMatter(run, DIR.resolve("gm_mask.nii.gz")), (e, v) -> written.computeIfAbsent(e, k -> new ArrayList<>()).add(v));
    }

    static <T> Supplier<T> notCached() {
        return () -> {
            throw new AssertionError("not cached");
        };
    }

    static double gbc(RestingData d, String roi, boolean gsr) {
        return new Gbc().compute(d, new Gbc.Params(roi, gsr)).value();
    }

    static double alff(RestingData d, String roi) {
        return new Alff().compute(d, new Alff.Params(roi, false, "alff")).value();
    }

    @Test
    void oneCleaningPerDesignAndOneMapPerDesign() {
        RestingData d = data();
        double z = new SeedCorrelation().compute(d, new SeedCorrelation.Params("sgacc", "rdlpfc", false, "z")).value();
        double r = new SeedCorrelation().compute(d, new SeedCorrelation.Params("sgacc", "rdlpfc", false, "r")).value();
        new SeedCorrelation().compute(d, new SeedCorrelation.Params("sgacc", "rdlpfc", true, "z"));
        double[] g = {gbc(d, "pfc", false), gbc(d, "sgacc", false), gbc(d, "pfc", true)};
        double[] a = {alff(d, "sgacc"), alff(d, "rdlpfc")};
        new Quality().compute(d, new Quality.Params("n_used"));

        Cleaning plain = d.cleaning(false, true);
        Cleaning gsr = d.cleaning(true, true);
        assertNotSame(plain, gsr);
        SeedCorrelation.Result fc = d.cached("seedcorr:sgacc\nrdlpfc:false", notCached());
        assertSame(plain, fc.cleaning);
        assertEquals(Stats.fisherZ(r), z, 0);
        assertSame(plain, d.<Gbc.Result>cached("gbc:false", notCached()).cleaning);
        assertSame(gsr, d.<Gbc.Result>cached("gbc:true", notCached()).cleaning);
        assertSame(plain, d.<Alff.Result>cached("alff-maps:false", notCached()).cleaning);
        // each design's map went to the sink as one array, whatever the ROI
        assertEquals(2, written.get("stat-gbc").size());
        assertSame(written.get("stat-gbc").get(0), written.get("stat-gbc").get(1));
        assertSame(written.get("stat-alff").get(0), written.get("stat-alff").get(1));
        assertEquals(1, written.get("seed-sgacc_stat-r").size());   // r and z: one computation

        // the same values as each feature alone in a fresh session
        assertEquals(gbc(data(), "sgacc", false), g[1], 0);
        assertEquals(gbc(data(), "pfc", true), g[2], 0);
        assertEquals(alff(data(), "rdlpfc"), a[1], 0);
        BoldRun run = d.run;
        Roi sgacc = d.roi("sgacc");
        assertEquals(Gbc.compute(run, d.confounds, d.settings, d.grayMatter(), sgacc).roiMean, g[1], 0);
        assertEquals(Alff.compute(run, d.confounds, d.settings, d.roi("rdlpfc")).roiAlff, a[1], 0);
        assertEquals(SeedCorrelation.compute(run, d.confounds, d.settings, sgacc, d.roi("rdlpfc"), false).r, r, 0);
    }
}
