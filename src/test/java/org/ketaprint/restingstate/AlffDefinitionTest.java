package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.measure.ParamSet;

/**
 * ALFF and fALFF of one run and of two runs against the definition written plainly here: the sample SD of the OLS
 * residual on constant, trend and the DFT sines and cosines outside the band (fALFF: over the SD without them), two
 * runs weighted by their volumes (issue 15).
 */
class AlffDefinitionTest {
    static final int NV = GbcDefinitionTest.NV;
    static final Band BAND = new Band(0.01, 0.1);
    static final Settings BANDED = new Settings(Strategy.parse("none"), 0, 0, BAND);

    @TempDir
    Path tmp;

    /** Constant, trend and, for k = 1..nt/2 with k / (nt TR) outside the band, cos and (below Nyquist) sin. */
    static List<double[]> bandDesign(int nt, double tr) {
        List<double[]> cols = GbcDefinitionTest.designOf(nt);
        for (int k = 1; k <= nt / 2; k++) {
            double f = k / (nt * tr);
            if (f >= BAND.low() - 1e-9 && f <= BAND.high() + 1e-9) continue;
            double[] c = new double[nt], s = new double[nt];
            for (int t = 0; t < nt; t++) {
                c[t] = Math.cos(2 * Math.PI * k * t / nt);
                s[t] = Math.sin(2 * Math.PI * k * t / nt);
            }
            cols.add(c);
            if (2 * k != nt) cols.add(s);
        }
        return cols;
    }

    static double sd(double[] r) {
        return Math.sqrt(DenoiserDefinitionTest.dot(r, r) / (r.length - 1));
    }

    /** {alff, falff} per voxel (NaN for the constant voxel 5). */
    static double[][] definition(BoldRun run) {
        int nt = run.volumes();
        double[][] out = new double[2][NV];
        for (int v = 0; v < NV; v++) {
            if (v == 5) {
                out[0][v] = out[1][v] = Double.NaN;
                continue;
            }
            double[] y = new double[nt];
            for (int t = 0; t < nt; t++) y[t] = run.data()[v * nt + t];
            double banded = sd(DenoiserDefinitionTest.residual(bandDesign(nt, 2), GbcDefinitionTest.all(nt), y));
            double full = sd(DenoiserDefinitionTest.residual(GbcDefinitionTest.designOf(nt), GbcDefinitionTest.all(nt), y));
            out[0][v] = banded;
            out[1][v] = banded / full;
        }
        return out;
    }

    static double mean(double[] x, int first, int last) {
        return GbcDefinitionTest.roiMean(x, first, last);
    }

    Roi roi(GbcDefinitionTest g) {
        float[] a = new float[NV];
        for (int v = 0; v < 8; v++) a[v] = 1;
        return Roi.atlas(g.image("alffroi", a), List.of("1"));
    }

    GbcDefinitionTest files() {
        GbcDefinitionTest g = new GbcDefinitionTest();
        g.tmp = tmp;
        return g;
    }

    @Test
    void oneRun() {
        GbcDefinitionTest g = files();
        BoldRun run = g.run("bold", 40, 31);
        double[][] want = definition(run);
        Alff.Result got = Alff.compute(run, null, BANDED, roi(g));
        GbcDefinitionTest.assertMaps(want[0], got.alff);
        GbcDefinitionTest.assertMaps(want[1], got.falff);
        assertEquals(mean(want[0], 0, 7), got.roiAlff, 1e-6);
        assertEquals(mean(want[1], 0, 7), got.roiFalff, 1e-6);
        assertEquals(8, got.roiVoxels);
    }

    @Test
    void twoRunsWeightTheirValuesByVolumes() {
        GbcDefinitionTest g = files();
        BoldRun a = g.run("run1", 40, 32), b = g.run("run2", 30, 33);
        Roi roi = roi(g);
        Map<String, Roi> rois = Map.of("roi", roi);
        Concatenation c = Concatenation.of(List.of(new RestingData.Run(a, null, rois::get, "run-1"),
            new RestingData.Run(b, null, rois::get, "run-2")), BANDED);
        double[][] wa = definition(a), wb = definition(b);
        Alff.Result got = Alff.compute(c, "roi");
        for (int k = 0; k < 2; k++) {
            double[] want = new double[NV];
            for (int v = 0; v < NV; v++) want[v] = (40 * wa[k][v] + 30 * wb[k][v]) / 70;
            GbcDefinitionTest.assertMaps(want, k == 0 ? got.alff : got.falff);
            assertEquals((40 * mean(wa[k], 0, 7) + 30 * mean(wb[k], 0, 7)) / 70, k == 0 ? got.roiAlff : got.roiFalff, 1e-6);
        }
        assertEquals(8, got.roiVoxels);
        assertEquals(70, got.used);
        // the measure on two runs takes the concatenation
        RestingData d = new RestingData(List.of(new RestingData.Run(a, null, rois::get, "run-1"),
            new RestingData.Run(b, null, rois::get, "run-2")), BANDED, () -> null, null);
        assertEquals((40 * mean(wa[0], 0, 7) + 30 * mean(wb[0], 0, 7)) / 70,
            new Alff().compute(d, new Alff.Params("roi", false, "alff")).value(), 1e-6);
    }

    /** Through the measure: both values, and the maps named with and without GSR. */
    @Test
    void measureNamesItsMaps() {
        GbcDefinitionTest g = files();
        BoldRun run = g.run("bold", 40, 34);
        Roi roi = roi(g);
        Map<String, double[]> maps = new LinkedHashMap<>();
        RestingData d = new RestingData(run, null, BANDED, Map.of("roi", roi)::get, () -> null, maps::put);
        double[][] want = definition(run);
        Map<String, Object> kv = new LinkedHashMap<>(Map.of("roi", "roi"));
        assertEquals(mean(want[0], 0, 7), new Alff().compute(d, ParamSet.of(Alff.Params.class).bind(kv)).value(), 1e-6);
        kv.put("value", "falff");
        assertEquals(mean(want[1], 0, 7), new Alff().compute(d, ParamSet.of(Alff.Params.class).bind(kv)).value(), 1e-6);
        kv.put("gsr", "true");
        assertTrue(Double.isFinite(new Alff().compute(d, ParamSet.of(Alff.Params.class).bind(kv)).value()));
        assertEquals(List.of("stat-alff", "stat-falff", "stat-alff_desc-gsr", "stat-falff_desc-gsr"), List.copyOf(maps.keySet()));
    }
}
