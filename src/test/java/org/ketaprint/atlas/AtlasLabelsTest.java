package org.ketaprint.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.roi.RoiPlacement;
import org.ketaprint.roi.RoiSpec;

/**
 * Issue 14: every door that resamples an atlas (roistats, restingstate ROIs, the ROI masker, the diffusion stage)
 * refuses non-integer, NaN and out-of-int-range labels as {@code volumes} does, and an atlas whose affine is
 * singular or not finite, with one line naming the file; label values never size an allocation.
 */
class AtlasLabelsTest {
    static final Affine AFFINE = new Affine(new double[][] {{2, 0, 0, -4}, {0, 2, 0, -4}, {0, 0, 2, -4}, {0, 0, 0, 1}});
    static final long[] SHAPE = {4, 4, 4};

    @TempDir
    Path tmp;

    /** A float64 image on the 4x4x4 2 mm grid with {@code value(i)} at voxel i (x fastest). */
    Path image(String name, IntToDoubleFunction value) {
        Path p = tmp.resolve(name);
        double[] v = new double[64];
        for (int i = 0; i < v.length; i++) v[i] = value.applyAsDouble(i);
        NiftiWriter.write(p, NiftiWriter.Spec.of(SHAPE, AFFINE, DataType.FLOAT64), v);
        return p;
    }

    /** Labels 1 (x < 2) and 2 (x >= 2), with {@code odd} at voxel (1,1,1). */
    Path atlas(String name, double odd) {
        return image(name, i -> i == 1 + 4 + 16 ? odd : i % 4 < 2 ? 1 : 2);
    }

    Path map() {
        return image("map.nii", i -> i);
    }

    /** Overwrites the sform rows (srow_x, srow_y, srow_z) of an uncompressed NIfTI-1 file. */
    static Path srow(Path nii, double... twelve) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(nii.toFile(), "rw")) {
            ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
            for (double d : twelve) b.putFloat((float) d);
            f.seek(280);
            f.write(b.array());
        }
        return nii;
    }

    static void assertOneLine(Cli c, String... parts) {
        assertEquals(2, c.code, c.out + c.err);
        assertEquals(1, c.err.strip().lines().count(), c.err);
        assertTrue(c.err.startsWith("ketaprint: "), c.err);
        for (String p : parts) assertTrue(c.err.contains(p), "'" + p + "' not in: " + c.err);
        assertFalse(c.err.contains("internal error") || c.err.contains("\tat "), c.err);
    }

    @Test
    void roistatsRefusesAHugeLabelWithoutAllocatingForIt() {
        Path a = atlas("huge.nii", 1e10);
        Cli c = Cli.run("roistats", map().toString(), "--atlas", a.toString());
        assertOneLine(c, a.toString(), "value 1.0E10 at voxel (1,1,1)", "outside the int range");
    }

    @Test
    void roistatsRefusesNaNAndFractionalLabels() {
        Path nan = atlas("nan.nii", Double.NaN);
        assertOneLine(Cli.run("roistats", map().toString(), "--atlas", nan.toString()), nan.toString(), "value NaN at voxel (1,1,1)",
            "not an integer");
        Path half = atlas("half.nii", 2.5);
        assertOneLine(Cli.run("roistats", map().toString(), "--atlas", half.toString()), half.toString(), "value 2.5", "not an integer");
    }

    @Test
    void roistatsRefusesASingularOrNaNAtlasAffine() throws IOException {
        Path singular = srow(atlas("singular.nii", 1), 2, 0, 0, -4, 0, 2, 0, -4, 0, 0, 0, -4);
        assertOneLine(Cli.run("roistats", map().toString(), "--atlas", singular.toString()), singular.toString(), "singular");
        Path nan = srow(atlas("nanaffine.nii", 1), 2, 0, 0, Double.NaN, 0, 2, 0, -4, 0, 0, 2, -4);
        assertOneLine(Cli.run("roistats", map().toString(), "--atlas", nan.toString()), nan.toString(), "non-finite", "NaN");
        Path badMap = srow(map(), 0, 0, 0, 0, 0, 2, 0, -4, 0, 0, 2, -4);
        assertOneLine(Cli.run("roistats", badMap.toString(), "--atlas", atlas("ok.nii", 1).toString()), badMap.toString(), "singular");
    }

    @Test
    void largeLabelValuesDoNotSizeAnArray() {
        int big = 2_000_000_000;
        int[] labels = new int[64];
        float[] map = new float[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = i < 10 ? big : i < 20 ? 7 : 0;
            map[i] = i;
        }
        List<RoiStats.Row> rows = RoiStats.compute(map, labels, null, null, null);
        assertEquals(2, rows.size());
        assertEquals(7, rows.get(0).label());
        assertEquals(10, rows.get(0).voxels());
        assertEquals(14.5, rows.get(0).median());
        assertEquals(big, rows.get(1).label());
        assertEquals(4.5, rows.get(1).mean());
        // asked for: twice the same label gives the same row twice; an absent one and 0 give empty rows
        rows = RoiStats.compute(map, labels, null, new int[] {big, 5, big, 0}, null);
        assertEquals(List.of(10L, 0L, 10L, 0L), rows.stream().map(RoiStats.Row::voxels).toList());
        assertEquals(rows.get(0), rows.get(2));
    }

    @Test
    void roistatsStillWorksOnAGoodAtlas() {
        Cli c = Cli.run("roistats", map().toString(), "--atlas", atlas("good.nii", 1).toString(), "--json");
        assertEquals(0, c.code, c.err);
        assertEquals(32, c.json().get(0).get("voxels").asInt());
        assertEquals(2, c.json().get(1).get("label").asInt());
    }

    @Test
    void restingStateAtlasRoisRefuseBadLabels() throws IOException {
        Grid g = NiftiImage.load(map()).grid();
        for (double bad : new double[] {2.5, Double.NaN, 1e10}) {
            Path a = atlas("rs" + bad + ".nii", bad);
            KetaprintException e = assertThrows(KetaprintException.class, () -> Roi.atlas(a, List.of("1")).voxels(g));
            assertTrue(e.getMessage().startsWith(a + ": not a label image: value " + bad), e.getMessage());
        }
        Path s = srow(atlas("rssing.nii", 1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        KetaprintException e = assertThrows(KetaprintException.class, () -> Roi.atlas(s, List.of("1")).voxels(g));
        assertTrue(e.getMessage().startsWith(s + ": the affine"), e.getMessage());
    }

    @Test
    void roiMaskerRefusesBadLabelsAndAffines() throws IOException {
        Grid g = NiftiImage.load(map()).grid();
        RoiPlacement p = new RoiPlacement(null);
        for (double bad : new double[] {2.5, Double.NaN, -3e9}) {
            Path a = atlas("pl" + bad + ".nii", bad);
            KetaprintException e = assertThrows(KetaprintException.class, () -> p.place(RoiSpec.atlas(a.toString(), List.of("1")), g));
            assertTrue(e.getMessage().startsWith(a + ": not a label image: value " + bad), e.getMessage());
        }
        Path s = srow(atlas("plnan.nii", 1), Double.NaN, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0);
        KetaprintException e = assertThrows(KetaprintException.class, () -> p.place(RoiSpec.atlas(s.toString(), List.of("1")), g));
        assertTrue(e.getMessage().startsWith(s + ": the affine"), e.getMessage());
        Path m = srow(image("mask.nii", i -> 1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        e = assertThrows(KetaprintException.class, () -> p.place(RoiSpec.mask(m), g));
        assertTrue(e.getMessage().startsWith(m + ": the affine"), e.getMessage());
        assertEquals(31, p.place(RoiSpec.atlas(atlas("plok.nii", 2).toString(), List.of("1")), g).size());
    }

    @Test
    void tensorRoiRefusesAnAtlasWithAHugeLabel() throws IOException {
        Path d = Path.of("test-data/diffusion");
        NiftiImage jhu = NiftiImage.load(d.resolve("jhu_crop_labels.nii.gz"));
        double[] v = jhu.readVolumeDouble(0);
        v[v.length / 2] = 1e10;
        Path a = tmp.resolve("jhu_huge.nii");
        NiftiWriter.write(a, NiftiWriter.Spec.like(jhu, jhu.shape(), DataType.FLOAT64), v);
        java.nio.file.Files.copy(d.resolve("jhu_crop_labels.nii.txt"), tmp.resolve("jhu_huge.nii.txt"));
        Cli c = Cli.run("measure", "tensor_roi", "--fa-map", d.resolve("roi_fa.nii.gz").toString(), "--md-map",
            d.resolve("roi_md.nii.gz").toString(), "--atlas", a.toString(), "--roi", "5", "--space", "MNI152");
        assertOneLine(c, a.toString(), "1.0E10", "outside the int range");
    }
}
