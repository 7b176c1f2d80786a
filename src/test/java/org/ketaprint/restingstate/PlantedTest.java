package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketaprint.table.Json;

/**
 * The phantom's planted truth (scripts/restingstate_reference.py phantom): the clean 24P+GSR sgACC/rdlPFC
 * correlation is rho by construction; motion, global and drift artefacts and spikes on high-FD volumes
 * move it unless the regression and censoring remove them.
 */
class PlantedTest {
    static final Path DIR = Path.of("test-data", "restingstate");
    static final Roi SGACC = Roi.sphere(6, 16, -10, 10);
    static final Roi RDLPFC = Roi.sphere(38, 44, 26, 10);
    static JsonNode planted;
    static BoldRun run;
    static Confounds conf;

    @BeforeAll
    static void load() throws Exception {
        planted = Json.MAPPER.readTree(DIR.resolve("planted.json").toFile());
        run = BoldRun.load(DIR.resolve("bold.nii.gz"), DIR.resolve("brain_mask.nii.gz"), Double.NaN);
        conf = Confounds.read(DIR.resolve("confounds.tsv"));
    }

    static SeedCorrelation.Result fc(String strategy, double fd) {
        Settings s = new Settings(Strategy.parse(strategy), fd, 120, Band.parse("0.01,0.1"));
        return SeedCorrelation.compute(run, conf, s, SGACC, RDLPFC, false);
    }

    @Test
    void gsrRecoversPlantedCorrelation() {
        SeedCorrelation.Result r = fc("24P+gsr", 0.5);
        assertEquals(planted.get("rho").asDouble(), r.r, 1e-5);
        assertEquals(planted.get("z_gsr").asDouble(), r.z, 1e-5);
        assertEquals(planted.get("n_censored").asInt(), r.censored);
        assertEquals(150 - planted.get("n_censored").asInt(), r.used);
        assertEquals(planted.get("fd_mean_mm").asDouble(), r.fdMean, 1e-9);
        assertEquals(2.0, run.tr(), 0);
    }

    @Test
    void eachArtefactNeedsItsRemedy() {
        double rho = planted.get("rho").asDouble();
        assertTrue(Math.abs(fc("24P", 0.5).r - rho) > 0.03, "the global artefact stays without GSR");
        assertTrue(Math.abs(fc("6P+gsr", 0.5).r - rho) > 0.03, "squares/derivatives of motion stay with 6P");
        assertTrue(Math.abs(fc("24P+gsr", 0).r - rho) > 0.03, "spikes stay without censoring");
        assertTrue(Math.abs(fc("gsr", 0.5).r - rho) > 0.03, "motion stays without motion regressors");
        Settings noBand = new Settings(Strategy.parse("24P+gsr"), 0.5, 120, null);
        double rNoBand = SeedCorrelation.compute(run, conf, noBand, SGACC, RDLPFC, false).r;
        assertTrue(Math.abs(rNoBand - rho) > 0.03, "drift and out-of-band noise stay without band-pass regressors");
    }

    @Test
    void zeroVarianceVoxelIsNaNAndLeftOutOfRoiMeans() {
        SeedCorrelation.Result r = SeedCorrelation.compute(run, conf, Settings.defaults().withStrategy(
            Strategy.parse("24P+gsr")), SGACC, RDLPFC, true);
        JsonNode ijk = planted.get("const_voxel_ijk");
        int vol = run.grid().index(ijk.get(0).asInt(), ijk.get(1).asInt(), ijk.get(2).asInt());
        int row = java.util.Arrays.binarySearch(run.voxels(), vol);
        assertTrue(row >= 0);
        assertTrue(Double.isNaN(r.rMap[row]));
        assertTrue(Double.isNaN(r.zMap()[row]));
        long finite = java.util.Arrays.stream(r.rMap).filter(Double::isFinite).count();
        assertEquals(run.size() - 1, finite);
        // the ROI mean without that voxel carries exactly the planted signal: r = rho
        assertEquals(planted.get("rho").asDouble(), r.r, 1e-5);
        Alff.Result a = Alff.compute(run, conf, Settings.defaults(), SGACC);
        assertTrue(Double.isNaN(a.alff[row]) && Double.isNaN(a.falff[row]));
        assertTrue(Double.isFinite(a.roiAlff) && a.roiAlff > 0);
    }

    @Test
    void seedMapPeaksInsideTheSeed() {
        SeedCorrelation.Result r = SeedCorrelation.compute(run, conf, Settings.defaults().withStrategy(
            Strategy.parse("24P+gsr")), SGACC, null, true);
        int[] seedRows = run.rows(SGACC);
        double inSeed = Stats.meanOver(r.rMap, seedRows);
        double inTarget = Stats.meanOver(r.rMap, run.rows(RDLPFC));
        assertTrue(inSeed > 0.6, "seed voxels share the seed signal: " + inSeed);
        assertTrue(inTarget < 0.4 && inTarget > 0, "target voxels carry rho of it: " + inTarget);
    }
}
