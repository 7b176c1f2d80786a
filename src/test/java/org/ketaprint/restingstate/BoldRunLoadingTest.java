package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Issue 15: {@link BoldRun} on a 2x2x2 run whose voxel v at volume k is 100 + v + k^2: a run needs two volumes, the TR
 * comes from the option, the sidecar (a warning when the header differs by more than 1 ms) or the header, each
 * rejected when not positive; the global signal, the varying voxels and the volume map of the masked data.
 */
class BoldRunLoadingTest {
    static final Affine AFFINE = new Affine(new double[][] {{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}});
    static final int[] MASK = {1, 3, 5, 7};

    @TempDir
    Path tmp;

    Path bold(String name, int t, double headerTr) {
        float[] d = new float[8 * t];
        for (int k = 0; k < t; k++) for (int v = 0; v < 8; v++) d[k * 8 + v] = 100 + v + k * k;
        Path p = tmp.resolve(name + "_bold.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {2, 2, 2, t}, AFFINE, DataType.FLOAT32).tr(headerTr), d);
        return p;
    }

    Path mask() {
        float[] m = new float[8];
        for (int v : MASK) m[v] = 1;
        Path p = tmp.resolve("mask.nii");
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {2, 2, 2}, AFFINE, DataType.UINT8), m);
        return p;
    }

    void sidecar(Path bold, String json) throws Exception {
        Files.writeString(bold.resolveSibling(bold.getFileName().toString().replace(".nii", ".json")), json);
    }

    @Test
    void twoVolumesAreARunOneIsNot() {
        BoldRun r = BoldRun.load(bold("two", 2, 2), mask(), Double.NaN);
        assertEquals(2, r.volumes());
        assertArrayEquals(MASK, r.voxels());
        assertEquals(4, r.size());
        KetaprintException e = assertThrows(KetaprintException.class, () -> BoldRun.load(bold("one", 1, 2), mask(), Double.NaN));
        assertTrue(e.getMessage().contains("not a BOLD time series"), e.getMessage());
    }

    @Test
    void trFromTheOptionMustBePositive() {
        Path b = bold("opt", 3, 2);
        BoldRun r = BoldRun.load(b, mask(), 0.5);
        assertEquals(0.5, r.tr());
        assertEquals("option", r.trSource());
        assertThrows(KetaprintException.class, () -> BoldRun.load(b, mask(), 0));
        assertThrows(KetaprintException.class, () -> BoldRun.load(b, mask(), -1));
        assertThrows(KetaprintException.class, () -> BoldRun.load(b, mask(), Double.POSITIVE_INFINITY));
    }

    @Test
    void trFromTheSidecarWarnsOnlyWhenTheHeaderDiffersByMoreThanAMillisecond() throws Exception {
        Path same = bold("same", 3, 2);
        sidecar(same, "{\"RepetitionTime\": 2.0}");
        BoldRun r = BoldRun.load(same, mask(), Double.NaN);
        assertEquals(2.0, r.tr());
        assertEquals("sidecar", r.trSource());
        assertEquals(List.of(), r.warnings());

        Path differs = bold("differs", 3, 2);
        sidecar(differs, "{\"RepetitionTime\": 2.5}");
        BoldRun d = BoldRun.load(differs, mask(), Double.NaN);
        assertEquals(2.5, d.tr());
        assertEquals(1, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).contains("header TR 2.00000 s disagrees with the JSON sidecar's 2.50000 s"), d.warnings().toString());

        // exactly 1 ms apart (h = 2^-9 s and h - 1e-3 are both exact doubles): no warning
        double h = Math.scalb(1.0, -9);
        double side = h - 1e-3;
        assertEquals(1e-3, h - side, 0);
        Path edge = bold("edge", 3, h);
        sidecar(edge, "{\"RepetitionTime\": " + side + "}");
        BoldRun e = BoldRun.load(edge, mask(), Double.NaN);
        assertEquals(side, e.tr());
        assertEquals(List.of(), e.warnings());

        // a header TR of 0 is no TR: nothing to disagree with
        Path zero = bold("zero", 3, 0);
        sidecar(zero, "{\"RepetitionTime\": 1.5}");
        BoldRun z = BoldRun.load(zero, mask(), Double.NaN);
        assertEquals(1.5, z.tr());
        assertEquals(List.of(), z.warnings());
    }

    @Test
    void trFromTheHeaderWhenTheSidecarHasNone() throws Exception {
        Path b = bold("hdr", 3, 1.25);
        sidecar(b, "{\"TaskName\": \"rest\"}");
        BoldRun r = BoldRun.load(b, mask(), Double.NaN);
        assertEquals(1.25, r.tr());
        assertEquals("header", r.trSource());
        Path noTr = bold("notr", 3, 0);
        KetaprintException e = assertThrows(KetaprintException.class, () -> BoldRun.load(noTr, mask(), Double.NaN));
        assertTrue(e.getMessage().contains("no repetition time"), e.getMessage());
    }

    @Test
    void aSidecarTrMustBePositive() throws Exception {
        Path b = bold("zero-side", 3, 2);
        sidecar(b, "{\"RepetitionTime\": 0}");
        KetaprintException e = assertThrows(KetaprintException.class, () -> BoldRun.load(b, mask(), Double.NaN));
        assertTrue(e.getMessage().contains("RepetitionTime is not a positive number"), e.getMessage());
    }

    @Test
    void globalSignalVaryingAndVolumeMap() {
        BoldRun r = BoldRun.load(bold("data", 4, 2), mask(), Double.NaN);
        // mean of 100 + v + k^2 over v = 1, 3, 5, 7
        assertArrayEquals(new double[] {104, 105, 108, 113}, r.globalSignal(), 1e-9);
        float[] vol = r.toVolume(new double[] {10, 30, 50, 70}, Float.NaN);
        for (int v = 0; v < 8; v++) {
            if (v % 2 == 1) {
                assertEquals(10 * v, vol[v], 0);
            } else {
                assertTrue(Float.isNaN(vol[v]), "outside the mask at " + v);
            }
        }
        assertArrayEquals(new boolean[] {true, true, true, true}, r.varying(new int[] {1, 3}));
        assertArrayEquals(new boolean[] {false, false, false, false}, r.varying(new int[] {2}));

        // in memory: voxel 0 varies only at volume 0, voxel 1 at the used volumes, voxel 2 is NaN once
        NiftiImage like = NiftiImage.load(tmp.resolve("data_bold.nii"));
        float[] d = {5, 7, 7, 7, 1, 2, 3, 4, 1, Float.NaN, 2, 3};
        BoldRun m = BoldRun.of(like, new int[] {0, 1, 2}, d, 3);
        assertEquals(3, m.tr());
        assertEquals("given", m.trSource());
        assertArrayEquals(new boolean[] {false, true, false}, m.varying(new int[] {1, 2, 3}));
        assertArrayEquals(new boolean[] {true, true, true}, m.varying(new int[] {0, 2, 3}));
    }
}
