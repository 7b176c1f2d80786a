package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/** Mean b0 on NIfTI and MGH input, reading a supplied mask (non-zero, non-NaN) and writing one (issue 15). */
class BrainMaskFilesTest {
    static final int NV = 4 * 3 * 2, NT = 5;

    @TempDir
    Path tmp;

    /** Voxel p of volume t: distinct values. */
    static float value(int p, int t) {
        return 10 * t + p + 0.25f;
    }

    static float[] series() {
        float[] d = new float[NV * NT];
        for (int t = 0; t < NT; t++) for (int p = 0; p < NV; p++) d[t * NV + p] = value(p, t);
        return d;
    }

    Path mgh(float[] data, int frames, String name) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(284 + 4 * data.length);
        b.putInt(0, 1).putInt(4, 4).putInt(8, 3).putInt(12, 2).putInt(16, frames).putInt(20, 3);
        b.position(284);
        for (float v : data) b.putFloat(v);
        Path p = tmp.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void meanB0IsTheMeanOfTheB0VolumesOnNiftiAndMgh() throws IOException {
        double[] x = {1, 0, 0};
        // b0 volumes are 0, 2 and 4
        Gradients g = Gradients.of(new double[] {0, 1000, 5, 1000, 0}, new double[][] {x, x, x, {0, 1, 0}, x}, "t");
        Path nii = tmp.resolve("dwi.nii");
        NiftiWriter.write(nii, NiftiWriter.Spec.of(new long[] {4, 3, 2, NT}, Affine.identity(), DataType.FLOAT32), series());
        double[] expect = new double[NV];
        for (int p = 0; p < NV; p++) expect[p] = ((double) value(p, 0) + value(p, 2) + value(p, 4)) / 3;
        for (Image img : new Image[] {Images.open(nii), Images.open(mgh(series(), NT, "dwi.mgh"))}) {
            assertArrayEquals(expect, BrainMask.meanB0(img, g), 1e-12, img.path().toString());
        }
    }

    @Test
    void readKeepsNonZeroNonNaNVoxelsOfTheFirstVolume() throws IOException {
        Image dwi = Images.open(mgh(series(), NT, "dwi.mgh"));
        float[] m = new float[NV * 2];
        boolean[] expect = new boolean[NV];
        for (int p = 0; p < NV; p++) {
            m[p] = p % 4 == 0 ? 0 : p % 4 == 1 ? Float.NaN : p % 4 == 2 ? -0.5f : 3;
            expect[p] = p % 4 >= 2;
            m[NV + p] = 1;   // the second volume is ignored
        }
        boolean[] got = BrainMask.read(Images.open(mgh(m, 2, "mask.mgh")), dwi);
        assertArrayEquals(expect, got);
        String e = assertThrows(KetaprintException.class,
            () -> BrainMask.read(Images.open(mgh(new float[NV], 1, "empty.mgh")), dwi)).getMessage();
        assertTrue(e.endsWith("mask is empty"), e);
        float[] nan = new float[NV];
        java.util.Arrays.fill(nan, Float.NaN);
        assertThrows(KetaprintException.class, () -> BrainMask.read(Images.open(mgh(nan, 1, "nan.mgh")), dwi));
        Path nii = tmp.resolve("other.nii");
        NiftiWriter.write(nii, NiftiWriter.Spec.of(new long[] {4, 3, 2}, Affine.identity(), DataType.FLOAT32), new float[NV]);
        e = assertThrows(KetaprintException.class, () -> BrainMask.read(Images.open(nii), dwi)).getMessage();
        assertTrue(e.contains("does not match the grid"), e);
    }

    @Test
    void writeStoresOneAndZeroOnTheGeometryOfTheImage() throws IOException {
        boolean[] m = new boolean[NV];
        for (int p = 0; p < NV; p++) m[p] = p % 3 == 1;
        float[] expect = new float[NV];
        for (int p = 0; p < NV; p++) expect[p] = m[p] ? 1 : 0;
        Path nii = tmp.resolve("like.nii");
        NiftiWriter.write(nii, NiftiWriter.Spec.of(new long[] {4, 3, 2, NT}, Affine.identity(), DataType.FLOAT32).codes(1, 1), series());
        for (Image like : new Image[] {Images.open(nii), Images.open(mgh(series(), NT, "like.mgh"))}) {
            Path out = tmp.resolve("mask_" + like.path().getFileName() + ".nii.gz");
            BrainMask.write(out, m, like, org.ketaprint.nifti.Compression.DEFAULT);
            NiftiImage back = NiftiImage.load(out);
            assertEquals(DataType.UINT8, back.header().datatype);
            assertArrayEquals(new long[] {4, 3, 2}, back.shape());
            assertArrayEquals(expect, back.readVolume(0));
            assertTrue(back.grid().sameAs(like.grid()));
            assertEquals(like instanceof NiftiImage ? 1 : 2, back.header().sformCode);
        }
    }
}
