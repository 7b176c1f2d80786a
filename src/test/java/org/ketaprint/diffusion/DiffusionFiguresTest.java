package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.TestContexts;
import org.ketaprint.pipeline.YNode;
import org.ketaprint.report.Figure;
import org.ketaprint.report.View;

/**
 * The diffusion figures on a noise-free DWI stored with permuted axes (voxel i along world A, j along L: det > 0) whose
 * fibres all run anterior-posterior: the V1 panel is green only (|V1| in world axes, not the voxel axes, where they
 * would be red), green = FA; figures only when the report is on, and the numbers the same either way.
 */
class DiffusionFiguresTest {
    static final Path ATLAS = Path.of("test-data/diffusion/jhu_crop_labels.nii.gz").toAbsolutePath();
    static final double[] B = {0, 1000, 1000, 1000, 1000, 1000, 1000};
    static final double[][] G = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
        {0.70710678, 0.70710678, 0}, {0.70710678, 0, 0.70710678}, {0, 0.70710678, 0.70710678}};
    static final String[] ROIS = {"Cingulum (cingulate gyrus) L", "Cingulum (cingulate gyrus) R", "Corticospinal tract L"};

    @TempDir
    Path tmp;

    /** i -> +y (A), j -> -x (L), k -> +z: 4 mm voxels on the centres of the 2 mm JHU crop, shifted by {@code dx} mm. */
    static Grid grid(double dx) {
        return new Grid(new int[] {28, 24, 20}, new Affine(new double[][] {
            {0, -4, 0, 46 + dx}, {4, 0, 0, -60}, {0, 0, 4, -28}, {0, 0, 0, 1}}));
    }

    /** DWI, mask (a ball), bval, bvec; the tensor along voxel i, FA rising with j. */
    Map<String, Path> dwi(Grid g) throws Exception {
        int nv = g.size(), n = B.length;
        float[] sig = new float[nv * n];
        float[] mask = new float[nv];
        for (int k = 0; k < g.nz; k++) for (int j = 0; j < g.ny; j++) for (int i = 0; i < g.nx; i++) {
            int v = g.index(i, j, k);
            double r2 = sq(i - 13.5) + sq(j - 11.5) + sq(k - 10);
            mask[v] = r2 < 81 ? 1 : 0;
            double[] d = {0.8e-3 + 1.2e-3 * j / g.ny, 0.4e-3, 0.3e-3};   // bvec frame: x = voxel i (flipped, sign-free)
            for (int t = 0; t < n; t++) {
                double q = 0;
                for (int c = 0; c < 3; c++) q += G[t][c] * G[t][c] * d[c];
                sig[t * nv + v] = (float) (1000 * Math.exp(-B[t] * q));
            }
        }
        Path dwi = tmp.resolve("dwi.nii.gz");
        NiftiWriter.write(dwi, NiftiWriter.Spec.of(new long[] {g.nx, g.ny, g.nz, n}, g.affine, DataType.FLOAT32), sig);
        Path m = tmp.resolve("mask.nii.gz");
        NiftiWriter.write(m, NiftiWriter.Spec.of(new long[] {g.nx, g.ny, g.nz}, g.affine, DataType.UINT8), mask);
        StringBuilder bval = new StringBuilder(), bvec = new StringBuilder();
        for (double b : B) bval.append(b).append(' ');
        for (int c = 0; c < 3; c++) {
            for (double[] gr : G) bvec.append(gr[c]).append(' ');
            bvec.append('\n');
        }
        Files.writeString(tmp.resolve("dwi.bval"), bval + "\n");
        Files.writeString(tmp.resolve("dwi.bvec"), bvec.toString());
        return Map.of("dwi", dwi, "mask", m);
    }

    static StageContext context(Map<String, Path> files, boolean report) {
        var params = ParamSet.of(DiffusionStage.Params.class)
            .bind(Map.of("atlas", ATLAS.toString(), "space", "MNI152", "method", "wls"));
        StageSpec spec = StageSpec.of("diffusion", DiffusionStage.TYPE, params);
        var m = Measures.get(TensorRoi.NAME);
        for (int i = 0; i < ROIS.length; i++) {
            var p = ParamSet.of(TensorRoi.Params.class).bind(Map.of("roi", ROIS[i], "map", "fa", "stat", "mean"));
            spec.features.add(new Feature("c" + i, null, m, p, YNode.scalar("c" + i, 0)));
        }
        StageContext c = StageContext.forFiles(spec, files, Atlases.standard(List.of()), null, "t", l -> { });
        return TestContexts.reporting(c, report);
    }

    @Test
    void v1IsGreenTimesFaAndFiguresOnlyWithTheReport() throws Exception {
        Map<String, Path> files = dwi(grid(0));
        StageResult off = new StageResult();
        TensorMaps t0 = DiffusionStage.prepare(context(files, false), off);
        assertTrue(off.figures.isEmpty());
        StageResult on = new StageResult();
        TensorMaps t = DiffusionStage.prepare(context(files, true), on);
        assertTrue(java.util.Arrays.equals(t0.fa(), t.fa()) && java.util.Arrays.equals(t0.md(), t.md()));
        assertEquals(new DiffusionStage().run(context(files, false)).values, new DiffusionStage().run(context(files, true)).values);
        assertEquals(2, on.figures.size());

        Figure fa = on.figures.get(0);
        assertEquals(5, count(fa.html(), "data-volume=\"fa\""), fa.html().length() + " chars");
        assertTrue(fa.html().contains("data-rois=\"brain mask=#ffff00;" + ROIS[0] + "=#ff0000;" + ROIS[1] + "=#00c8ff;" + ROIS[2]
            + "=#00ff00\""), fa.html().substring(0, 400));

        Matcher v1 = Pattern.compile("data-plane=\"axial\" data-index=\"(\\d+)\" data-sx=\"(\\d+)\" data-sy=\"(\\d+)\""
            + "[^>]*data-volume=\"v1\"><img[^>]*src=\"data:image/png;base64,([^\"]+)\"").matcher(on.figures.get(1).html());
        assertTrue(v1.find(), on.figures.get(1).html());
        int k = Integer.parseInt(v1.group(1)), sx = Integer.parseInt(v1.group(2)), sy = Integer.parseInt(v1.group(3));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(v1.group(4))));
        double[] fad = new double[t.fa().length];
        for (int i = 0; i < fad.length; i++) fad[i] = t.fa()[i];
        View.Slice s = new View(t.grid()).slice(fad, View.Plane.AXIAL, k);
        assertEquals(s.width() * sx, img.getWidth());
        int lit = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                double f = s.values()[(y / sy) * s.width() + x / sx];
                assertTrue((rgb >> 16 & 255) <= 1 && (rgb & 255) <= 1, "red/blue at " + x + "," + y);
                assertEquals(Math.round(255 * f), rgb >> 8 & 255, 1.0, "green at " + x + "," + y);
                if (f > 0.1) lit++;
            }
        }
        assertTrue(lit > 1000, "pixels with FA > 0.1: " + lit);
    }

    @Test
    void roisOffTheGridAreNamedAndSlicesGoThroughTheMask() throws Exception {
        Map<String, Path> files = dwi(grid(400));   // 400 mm to the right of the atlas
        StageResult r = new StageResult();
        new DiffusionStage().run(context(files, false)).values.values().forEach(v -> assertTrue(Double.isNaN(v)));
        DiffusionStage.prepare(context(files, true), r);
        Figure fa = r.figures.get(0);
        assertTrue(fa.caption().contains("ROI '" + ROIS[0] + "' has no voxels on the DWI grid")
            && fa.caption().contains("slices through the brain mask"), fa.caption());
        assertTrue(fa.html().contains("data-rois=\"brain mask=#ffff00\""), fa.html().substring(0, 300));
        assertTrue(r.figures.get(1).html().contains("data-volume=\"v1\""));
    }

    @Test
    void precomputedMapsHaveNoMaskOutlineAndNoV1() throws Exception {
        Grid g = grid(0);
        float[] map = new float[g.size()];
        for (int v = 0; v < map.length; v++) map[v] = v % 7 == 0 ? 0 : 0.5f;
        Path fa = tmp.resolve("fa.nii.gz");
        Path md = tmp.resolve("md.nii.gz");
        NiftiWriter.write(fa, NiftiWriter.Spec.of(new long[] {g.nx, g.ny, g.nz}, g.affine, DataType.FLOAT32), map);
        NiftiWriter.write(md, NiftiWriter.Spec.of(new long[] {g.nx, g.ny, g.nz}, g.affine, DataType.FLOAT32), map);
        StageResult r = new StageResult();
        DiffusionStage.prepare(context(Map.of("fa_map", fa, "md_map", md), true), r);
        assertEquals(2, r.figures.size());
        assertTrue(r.figures.get(0).caption().contains("no brain mask") && !r.figures.get(0).html().contains("brain mask="));
        assertTrue(r.figures.get(1).html().contains("not drawn: precomputed FA/MD maps: no tensor fit, so no V1"),
            r.figures.get(1).html());
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    static double sq(double x) {
        return x * x;
    }
}
