package org.ketaprint.spaces;

import org.ketaprint.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketaprint.cli.Main;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;

/** {@code ketaprint apply-transform} and {@code transform-point} through Main.run; bad input gives one line and exit 2. */
class ApplyTransformCommandTest {
    @TempDir
    Path tmp;
    String out;
    String err;

    int run(String... args) {
        Cli c = Cli.run(args);
        out = c.out;
        err = c.err;
        return c.code;
    }

    static String f(String name) {
        return SpacesData.file(name).toString();
    }

    @ParameterizedTest
    @CsvSource({"affine.txt, affine", "affine_flirt.mat, affine", "composite.h5, composite", "warp.nii.gz, warp"})
    void labelsNearest(String xfm, String expected) {
        Path o = tmp.resolve("out.nii.gz");
        assertEquals(0, run("apply-transform", f("moving_labels.nii.gz"), "-r", f("ref.nii.gz"), "-t", f(xfm),
            "--interp", "nearest", "-o", o.toString()), err);
        NiftiImage img = NiftiImage.load(o);
        assertEquals("int16", img.datatypeName(), "labels keep their integer type");
        assertTrue(img.grid().sameAs(SpacesData.open("ref.nii.gz").grid(), 1e-5));
        SpacesData.assertLabelsEqual(SpacesData.open("expected_" + expected + "_nn.nii.gz").readVolumeDouble(0), img.readVolumeDouble(0));
    }

    @Test
    void linearChainGivenAsTwoFilesInAntsOrder() throws Exception {
        // composite.h5 = [affine, warp]; the same as two -t options: -t affine.mat -t warp.nii.gz
        Path o = tmp.resolve("lin.nii");
        assertEquals(0, run("apply-transform", f("moving_map.nii.gz"), "-r", f("ref.nii.gz"), "-t", f("affine.mat"),
            "-t", f("warp.nii.gz"), "-o", o.toString()), err);
        Image img = Images.open(o);
        assertEquals("float32", img.datatypeName());
        double d = SpacesData.maxDiff(SpacesData.open("expected_composite_lin.nii.gz").readVolumeDouble(0), img.readVolumeDouble(0));
        assertTrue(d < 2e-5, "max diff " + d);
    }

    @Test
    void everyVolumeOfA4dImage() {
        // volume 0 = the map, volume 1 = 2 x the map: the output volumes are the reference and twice it
        Image m = SpacesData.open("moving_map.nii.gz");
        double[] v = m.readVolumeDouble(0);
        double[] both = new double[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            both[i] = v[i];
            both[v.length + i] = 2 * v[i];
        }
        Path in = tmp.resolve("map4d.nii.gz");
        long[] shape = {m.grid().nx, m.grid().ny, m.grid().nz, 2};
        org.ketaprint.nifti.NiftiWriter.write(in, org.ketaprint.nifti.NiftiWriter.Spec.of(shape, m.affine(),
            org.ketaprint.nifti.DataType.FLOAT64), both);
        Path o = tmp.resolve("out4d.nii.gz");
        assertEquals(0, run("apply-transform", in.toString(), "-r", f("ref.nii.gz"), "-t", f("affine.txt"), "-o", o.toString()), err);
        Image img = Images.open(o);
        assertEquals(2, img.volumes());
        double[] want = SpacesData.open("expected_affine_lin.nii.gz").readVolumeDouble(0);
        double[] twice = want.clone();
        for (int i = 0; i < twice.length; i++) twice[i] *= 2;
        assertTrue(SpacesData.maxDiff(want, img.readVolumeDouble(0)) < 2e-6);
        assertTrue(SpacesData.maxDiff(twice, img.readVolumeDouble(1)) < 4e-6);
    }

    @Test
    void inverseOfALinearTransform() {
        // moving -> ref through [affine,1] then back through affine: labels survive where both grids overlap
        Path there = tmp.resolve("there.nii.gz");
        assertEquals(0, run("apply-transform", f("expected_affine_nn.nii.gz"), "-r", f("moving_labels.nii.gz"),
            "-t", "[" + f("affine.txt") + ",1]", "-n", "nearest", "-o", there.toString()), err);
        double[] back = Images.open(there).readVolumeDouble(0);
        double[] orig = SpacesData.open("moving_labels.nii.gz").readVolumeDouble(0);
        int same = 0, nonzero = 0;
        for (int i = 0; i < back.length; i++) {
            if (back[i] > 0) {
                nonzero++;
                if (back[i] == orig[i]) same++;
            }
        }
        assertTrue(nonzero > 3000 && same > 0.95 * nonzero, same + " of " + nonzero);
    }

    @Test
    void pointCommand() {
        assertEquals(0, run("transform-point", "-8", "-10", "15", "-t", f("done/mni2native.txt")), err);
        String[] xyz = out.strip().split("\\s+");
        double[] nat = {Double.parseDouble(xyz[0]), Double.parseDouble(xyz[1]), Double.parseDouble(xyz[2])};
        double[] mni = SpacesData.affine(SpacesData.ref().get("done").get("native_to_mni_ras")).apply(nat[0], nat[1], nat[2]);
        assertEquals(-8, mni[0], 1e-3);
        assertEquals(-10, mni[1], 1e-3);
        assertEquals(15, mni[2], 1e-3);
    }

    /** Every X Y Z triple given is mapped, one line each, in order; each line is that point's own mapping. */
    @Test
    void everyTripleIsMapped() {
        String t = f("done/mni2native.txt");
        double[][] pts = {{-8, -10, 15}, {6, 16, -10}, {38, 44, 26.5}};
        String[] single = new String[pts.length];
        for (int i = 0; i < pts.length; i++) {
            assertEquals(0, run("transform-point", s(pts[i][0]), s(pts[i][1]), s(pts[i][2]), "-t", t), err);
            single[i] = out.strip();
        }
        assertEquals(0, run("transform-point", "-8", "-10", "15", "6", "16", "-10", "38", "44", "26.5", "-t", t), err);
        assertEquals(java.util.List.of(single), out.strip().lines().toList());
        // and back: --forward maps each data-space line to its MNI point
        String[] nat = out.strip().split("\\s+");
        assertEquals(0, run(concat(new String[] {"transform-point", "--forward", "-t", t}, nat)), err);
        java.util.List<String> back = out.strip().lines().toList();
        assertEquals(3, back.size());
        for (int i = 0; i < 3; i++) {
            String[] v = back.get(i).split(" ");
            for (int k = 0; k < 3; k++) assertEquals(pts[i][k], Double.parseDouble(v[k]), 1e-3, "point " + i);
        }
    }

    /** --points reads a TSV (x y z, header optional, comments and blank lines skipped) after the triples given. */
    @Test
    void pointsFromATsv() throws Exception {
        String t = f("done/mni2native.txt");
        assertEquals(0, run("transform-point", "-8", "-10", "15", "6", "16", "-10", "-t", t), err);
        java.util.List<String> want = out.strip().lines().toList();
        Path plain = tmp.resolve("plain.tsv");
        Files.writeString(plain, "-8\t-10\t15\n\n6\t16\t-10  # sgACC\n");
        assertEquals(0, run("transform-point", "--points", plain.toString(), "-t", t), err);
        assertEquals(want, out.strip().lines().toList());
        Path headed = tmp.resolve("headed.tsv");
        Files.writeString(headed, "# ROI centres\nname\tz\ty\tx\nA\t15\t-10\t-8\nB\t-10\t16\t6\n");
        assertEquals(0, run("transform-point", "--points", headed.toString(), "-t", t), err);
        assertEquals(want, out.strip().lines().toList(), "columns found by the header's names");
        assertEquals(0, run("transform-point", "-8", "-10", "15", "--points", headed.toString(), "-t", t), err);
        assertEquals(java.util.List.of(want.get(0), want.get(0), want.get(1)), out.strip().lines().toList());
    }

    @Test
    void badPoints() throws Exception {
        String t = f("done/mni2native.txt");
        assertBad("X Y Z triples: got 4 number(s)", "transform-point", "1", "2", "3", "4", "-t", t);
        assertBad("no point given", "transform-point", "-t", t);
        assertBad("point 2: 'a' is not a number", "transform-point", "1", "2", "3", "a", "5", "6", "-t", t);
        Path short2 = tmp.resolve("short.tsv");
        Files.writeString(short2, "x\ty\tz\n1\t2\t3\n4\t5\n");
        assertBad("short.tsv: line 3: expected x y z", "transform-point", "--points", short2.toString(), "-t", t);
        Path nohead = tmp.resolve("nohead.tsv");
        Files.writeString(nohead, "a\tb\tc\n1\t2\t3\n");
        assertBad("nohead.tsv: line 1: the header must name columns x, y and z", "transform-point", "--points", nohead.toString(), "-t", t);
        Path nan = tmp.resolve("nan.tsv");
        Files.writeString(nan, "1 2 NaN\n");
        assertBad("nan.tsv: line 1: coordinates must be finite", "transform-point", "--points", nan.toString(), "-t", t);
        assertBad("missing.tsv: no such file", "transform-point", "--points", tmp.resolve("missing.tsv").toString(), "-t", t);
    }

    private static String s(double v) {
        return Double.toString(v);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    void assertBad(String mustContain, String... args) {
        assertEquals(2, run(args), err);
        String e = err.strip();
        assertFalse(e.contains("\n"), "one line: " + e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
        assertTrue(e.startsWith("ketaprint: ") && e.contains(mustContain), e);
    }

    @Test
    void badInput() throws Exception {
        String o = tmp.resolve("x.nii.gz").toString();
        String lab = f("moving_labels.nii.gz");
        String ref = f("ref.nii.gz");
        assertBad("bad_unknown.xfm: unknown transform format", "apply-transform", lab, "-r", ref, "-t", f("bad_unknown.xfm"), "-o", o);
        assertBad("bad_2d.txt: transform AffineTransform_double_2_2 is not 3D", "apply-transform", lab, "-r", ref, "-t", f("bad_2d.txt"), "-o", o);
        assertBad("bad_field_4d.nii.gz: not an ITK displacement field", "apply-transform", lab, "-r", ref, "-t", f("bad_field_4d.nii.gz"), "-o", o);
        assertBad("bad_nogroup.h5: HDF5 file has no TransformGroup", "apply-transform", lab, "-r", ref, "-t", f("bad_nogroup.h5"), "-o", o);
        assertBad("missing.nii.gz: reference image not found", "apply-transform", lab, "-r", tmp.resolve("missing.nii.gz").toString(), "-t", f("affine.txt"), "-o", o);
        assertBad("nope.txt: transform file not found", "apply-transform", lab, "-r", ref, "-t", tmp.resolve("nope.txt").toString(), "-o", o);
        assertBad("only linear transforms can be inverted", "apply-transform", lab, "-r", ref, "-t", "[" + f("warp.nii.gz") + ",1]", "-o", o);
        assertBad("--interp cubic", "apply-transform", lab, "-r", ref, "-t", f("affine.txt"), "--interp", "cubic", "-o", o);
        Path trunc = tmp.resolve("trunc.mat");
        byte[] b = Files.readAllBytes(SpacesData.file("affine.mat"));
        Files.write(trunc, java.util.Arrays.copyOf(b, 60));
        assertBad("trunc.mat: truncated MATLAB v4", "apply-transform", lab, "-r", ref, "-t", trunc.toString(), "-o", o);
        Path wrongN = tmp.resolve("wrong.txt");
        Files.writeString(wrongN, "#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\nParameters: 1 0 0 0 1 0 0 0 1 0\nFixedParameters: 0 0 0\n");
        assertBad("wrong.txt: an ITK 3D affine has 12 parameters, found 10", "apply-transform", lab, "-r", ref, "-t", wrongN.toString(), "-o", o);
        Path singular = tmp.resolve("singular.txt");
        Files.writeString(singular, "#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\nParameters: 1 0 0 0 1 0 0 0 0 0 0 0\nFixedParameters: 0 0 0\n");
        assertBad("singular.txt: affine matrix is singular", "apply-transform", lab, "-r", ref, "-t", singular.toString(), "-o", o);
        Path flirt0 = tmp.resolve("flirt0.mat");
        Files.writeString(flirt0, "1 0 0 0\n0 1 0 0\n0 0 0 0\n0 0 0 1\n");
        assertBad("flirt0.mat: FLIRT matrix is singular", "apply-transform", lab, "-r", ref, "-t", flirt0.toString(), "-o", o);
        assertFalse(Files.exists(Path.of(o)), "no output on failure");
    }
}
