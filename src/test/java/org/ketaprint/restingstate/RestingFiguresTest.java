package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.TestContexts;
import org.ketaprint.report.Figure;

/**
 * Issue 17: the resting-state figures on a 6x6x6 run (4 mm, TR 2 s) with two sphere ROIs: drawn only when the run
 * writes reports, every one drawn on complete data, the FD plot's line read back equals the FD the stage used, the
 * censored circles are the volumes above fd_threshold; without confounds, GM or enough volumes the figures that can
 * be drawn are, the rest say why, and the feature values are those of a run without report.
 */
class RestingFiguresTest {
    static final Affine AFFINE = new Affine(new double[][] {{-4, 0, 0, 10}, {0, 4, 0, -10}, {0, 0, 4, -10}, {0, 0, 0, 1}});
    static final List<String> TITLES = List.of("Mean BOLD and ROIs", "Framewise displacement", "DVARS",
        "Carpet plot before denoising", "Carpet plot after denoising", "Seed correlation map", "ALFF map");

    @TempDir
    Path tmp;
    double[] fd;

    /** BOLD (t volumes), mask, GM probseg and confounds (FD above 0.5 at volumes 7 and 20). */
    Map<String, Path> data(int t, boolean confounds, boolean gm) throws Exception {
        Random rnd = new Random(7);
        float[] d = new float[216 * t];
        for (int v = 0; v < t; v++) {
            double shared = Math.sin(v * 0.3);
            for (int i = 0; i < 216; i++) d[v * 216 + i] = (float) (100 + i % 5 + (i % 3 == 0 ? 3 * shared : 0) + rnd.nextGaussian());
        }
        Map<String, Path> f = new LinkedHashMap<>();
        f.put("bold", tmp.resolve("sub-01_task-rest_space-MNI152_desc-preproc_bold.nii"));
        NiftiWriter.write(f.get("bold"), NiftiWriter.Spec.of(new long[] {6, 6, 6, t}, AFFINE, DataType.FLOAT32).tr(2), d);
        float[] m = new float[216];
        float[] g = new float[216];
        for (int i = 0; i < 216; i++) {
            int x = i % 6, y = i / 6 % 6, z = i / 36;
            m[i] = x > 0 && y > 0 && z > 0 && x < 5 && y < 5 && z < 5 ? 1 : 0;
            g[i] = (x + y + z) % 2 == 0 ? 0.9f : 0.1f;
        }
        f.put("mask", tmp.resolve("mask.nii"));
        NiftiWriter.write(f.get("mask"), NiftiWriter.Spec.of(new long[] {6, 6, 6}, AFFINE, DataType.UINT8), m);
        if (gm) {
            f.put("gm", tmp.resolve("gm.nii"));
            NiftiWriter.write(f.get("gm"), NiftiWriter.Spec.of(new long[] {6, 6, 6}, AFFINE, DataType.FLOAT32), g);
        }
        fd = new double[t];
        StringBuilder tsv = new StringBuilder("framewise_displacement\ttrans_x\n");
        for (int v = 0; v < t; v++) {
            fd[v] = v == 0 ? 0 : v == 7 || v == 20 ? 0.9 + v / 100.0 : 0.1 + 0.01 * (v % 9);
            tsv.append(v == 0 ? "n/a" : Double.toString(fd[v])).append('\t').append(rnd.nextGaussian()).append('\n');
        }
        if (confounds) {
            f.put("confounds", tmp.resolve("confounds.tsv"));
            Files.writeString(f.get("confounds"), tsv);
        }
        return f;
    }

    StageContext ctx(Map<String, Path> files, String params, boolean report) throws Exception {
        Path p = tmp.resolve("p.yaml");
        Files.writeString(p, String.join("\n",
            "name: figs",
            "stages:",
            "  - type: restingstate",
            "    params: {strategy: " + params + ", band: \"0.01,0.2\", fd_threshold: 0.5, min_seconds: 20, write_maps: false}",
            "    rois:",
            "      seed: {sphere: [2, -2, 2], radius: 5}",
            "      target: {sphere: [-6, 6, 6], radius: 5}",
            "    features:",
            "      - {column: fc, measure: seedcorr, seed: seed, target: target}",
            "      - {column: alff, measure: alff, roi: seed}",
            "      - {column: fd_mean, measure: quality, value: fd_mean}",
            ""));
        Problems pr = new Problems();
        PipelineSpec ps = PipelineSpec.parse(p, pr);
        assertEquals(List.of(), pr.errors());
        return TestContexts.report(StageContext.forFiles(ps.stages.get(0), files, new Atlases(List.of(tmp)), tmp, "sub-01",
            s -> { }), report);
    }

    static Figure figure(StageResult r, String title) {
        return r.figures.stream().filter(f -> f.title().equals(title)).findFirst().orElseThrow(() -> new AssertionError(title));
    }

    static boolean failed(Figure f) {
        return f.html().contains("class=\"figfail\"");
    }

    @Test
    void drawnOnlyWhenTheRunWritesReportsAndTheValuesStayTheSame() throws Exception {
        Map<String, Path> files = data(60, true, true);
        StageResult off = new RestingStateStage().run(ctx(files, "none", false));
        assertTrue(off.figures.isEmpty());
        assertEquals(0.0, off.figureSeconds);
        StageResult on = new RestingStateStage().run(ctx(files, "none", true));
        assertEquals(TITLES, on.figures.stream().map(Figure::title).toList());
        for (Figure f : on.figures) assertFalse(failed(f), f.title() + ": " + f.html());
        assertEquals(off.values, on.values);
        assertTrue(on.figureSeconds > 0);
        assertTrue(figure(on, "Mean BOLD and ROIs").html().contains("data-rois=\"seed=#ff0000;target=#00d000\"")
            || figure(on, "Mean BOLD and ROIs").html().contains("data-rois=\"target=#00d000;seed=#ff0000\""));
        assertTrue(figure(on, "Mean BOLD and ROIs").html().contains("data-volume=\"mean_bold\""));
        assertTrue(figure(on, "Carpet plot after denoising").html().contains("data-censored=\"2\""));
    }

    /** The FD polyline's points and the censored circles, read back through the plot's data-to-pixel attributes. */
    @Test
    void theFdPlotMapsBackToTheFdUsedAndItsCircles() throws Exception {
        StageResult r = new RestingStateStage().run(ctx(data(60, true, true), "none", true));
        String svg = figure(r, "Framewise displacement").html();
        double x0 = attr(svg, "data-x0"), x1 = attr(svg, "data-x1"), y0 = attr(svg, "data-y0"), y1 = attr(svg, "data-y1");
        double left = attr(svg, "data-left"), top = attr(svg, "data-top"), w = attr(svg, "data-w"), h = attr(svg, "data-h");
        Matcher m = Pattern.compile("data-series=\"fd\"[^>]*points=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), svg);
        String[] pts = m.group(1).split(" ");
        assertFalse(m.find(), "one polyline");
        assertEquals(fd.length, pts.length);
        double tol = 0.5 * (y1 - y0) / h;   // half a pixel
        for (int t = 0; t < pts.length; t++) {
            String[] xy = pts[t].split(",");
            assertEquals(t, x0 + (Double.parseDouble(xy[0]) - left) / w * (x1 - x0), 0.5 * (x1 - x0) / w);
            assertEquals(fd[t], y0 + (1 - (Double.parseDouble(xy[1]) - top) / h) * (y1 - y0), tol, "volume " + t);
        }
        List<Long> censored = new ArrayList<>();
        Matcher c = Pattern.compile("<circle class=\"censored\"[^>]*cx=\"([^\"]*)\"").matcher(svg);
        while (c.find()) censored.add(Math.round(x0 + (Double.parseDouble(c.group(1)) - left) / w * (x1 - x0)));
        assertEquals(List.of(7L, 20L), censored);
        assertTrue(svg.contains("class=\"threshold\" data-value=\"0.5\""), svg);
    }

    static double attr(String svg, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), name);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void withoutConfoundsTheFdPlotSaysWhyAndDvarsIsComputed() throws Exception {
        StageResult r = new RestingStateStage().run(ctx(data(60, false, true), "none", true));
        assertTrue(failed(figure(r, "Framewise displacement")));
        assertTrue(figure(r, "Framewise displacement").html().contains("no confounds file"));
        assertTrue(figure(r, "DVARS").caption().contains("computed from the masked BOLD"));
        for (String t : List.of("Mean BOLD and ROIs", "Carpet plot after denoising", "Seed correlation map", "ALFF map")) {
            assertFalse(failed(figure(r, t)), t);
        }
    }

    /** A strategy that needs the missing confounds fails the stage; the figures kept for the report still come. */
    @Test
    void aFailedStageKeepsItsFiguresForTheReport() throws Exception {
        StageContext c = ctx(data(60, false, true), "6P", true);
        assertThrows(KetaprintException.class, () -> new RestingStateStage().run(c));
        StageResult kept = TestContexts.kept(c);
        assertNotNull(kept);
        assertEquals(TITLES, kept.figures.stream().map(Figure::title).toList());
        assertFalse(failed(figure(kept, "Mean BOLD and ROIs")));
        assertFalse(failed(figure(kept, "Carpet plot before denoising")));
        assertTrue(figure(kept, "Carpet plot after denoising").html().contains("needs a confounds file"));
        assertTrue(failed(figure(kept, "Seed correlation map")));
    }

    @Test
    void threeVolumesAndNoGrayMatter() throws Exception {
        Map<String, Path> files = data(3, true, false);
        StageResult off = new RestingStateStage().run(ctx(files, "none", false));
        StageResult r = new RestingStateStage().run(ctx(files, "none", true));
        assertEquals(off.values.keySet(), r.values.keySet());
        assertEquals(off.notes, r.notes);
        assertFalse(failed(figure(r, "Mean BOLD and ROIs")));
        assertFalse(failed(figure(r, "Framewise displacement")));
        assertTrue(figure(r, "Carpet plot before denoising").caption().contains("all brain-mask voxels (no gray matter"));
        assertTrue(figure(r, "Seed correlation map").html().contains("left after censoring"), figure(r, "Seed correlation map").html());
        assertTrue(failed(figure(r, "ALFF map")));
    }
}
