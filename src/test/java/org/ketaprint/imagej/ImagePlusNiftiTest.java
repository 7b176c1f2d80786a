package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.NiftiImage;

/** Open and save against nibabel's reading of the same files (test-data/imagej/reference.json). */
class ImagePlusNiftiTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"labels_oblique.nii.gz", "scaled4d.nii.gz", "las_float.nii", "u8.nii.gz"})
    void openMatchesNibabel(String name) {
        JsonNode ref = Reference.of(name);
        ImagePlus imp = ImagePlusNifti.open(Reference.DIR.resolve(name));
        int[] s = Reference.shape(ref);
        int nt = s.length > 3 ? s[3] : 1;
        assertEquals(s[0], imp.getWidth());
        assertEquals(s[1], imp.getHeight());
        assertEquals(s[2], imp.getNSlices());
        assertEquals(nt, imp.getNFrames());
        assertEquals(name.equals("u8.nii.gz") ? 8 : 32, imp.getBitDepth());
        Calibration cal = imp.getCalibration();
        double[] sizes = new Affine(Reference.affine(ref)).voxelSizes();
        assertEquals(sizes[0], cal.pixelWidth, 1e-6);
        assertEquals(sizes[1], cal.pixelHeight, 1e-6);
        assertEquals(sizes[2], cal.pixelDepth, 1e-6);
        assertEquals("mm", cal.getUnit());
        if (nt > 1) {
            assertEquals(ref.get("tr").asDouble(), cal.frameInterval, 1e-9);
            assertTrue(imp.isHyperStack());
        }
        assertTrue(ImagePlusNifti.affine(imp).equalsWithin(new Affine(Reference.affine(ref)), 1e-9));
        // voxel (i, j, k, t) is pixel (i, ny-1-j) of slice k+1, frame t+1
        double[] d = Reference.data(ref);
        for (int t = 0; t < nt; t++) {
            for (int k = 0; k < s[2]; k++) {
                var ip = imp.getStack().getProcessor(imp.getStackIndex(1, k + 1, t + 1));
                for (int j = 0; j < s[1]; j++) {
                    for (int i = 0; i < s[0]; i++) {
                        double want = d[i + s[0] * (j + s[1] * (k + s[2] * t))];
                        float got = ip.getf(i, s[1] - 1 - j);
                        if (Double.isNaN(want)) {
                            assertTrue(Float.isNaN(got));
                        } else {
                            assertEquals(want, got, Math.abs(want) * 1e-6, name + " voxel " + i + "," + j + "," + k + "," + t);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels_oblique.nii.gz", "scaled4d.nii.gz", "las_float.nii", "u8.nii.gz"})
    void saveWritesSameVoxelsAffineAndTr(String name) {
        JsonNode ref = Reference.of(name);
        ImagePlus imp = ImagePlusNifti.open(Reference.DIR.resolve(name));
        Path out = tmp.resolve("out.nii.gz");
        ImagePlusNifti.save(imp, out);
        NiftiImage back = NiftiImage.load(out);
        assertArrayEquals(toLong(Reference.shape(ref)), back.shape());
        assertTrue(back.affine().equalsWithin(new Affine(Reference.affine(ref)), 1e-5), back.affine().toString());
        double[] want = Reference.data(ref);
        double[] got = back.readDouble();
        for (int p = 0; p < want.length; p++) {
            if (Double.isNaN(want[p])) {
                assertTrue(Double.isNaN(got[p]));
            } else {
                assertEquals(want[p], got[p], Math.abs(want[p]) * 1e-6, name + " index " + p);
            }
        }
        String expectType = switch (name) {
            case "labels_oblique.nii.gz" -> "int16";
            case "u8.nii.gz" -> "uint8";
            default -> "float32";   // scaled int16 values are not integers; float stays float
        };
        assertEquals(expectType, back.datatypeName());
        if (!ref.get("tr").isNull()) assertEquals(ref.get("tr").asDouble(), back.repetitionTime(), 1e-6);
        if (name.startsWith("labels")) {
            assertEquals(4, back.header().sformCode);
            assertEquals(1, back.header().qformCode);
        }
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

    @Test
    void imageMadeInImageJGetsAffineFromCalibration() {
        ImageStack st = new ImageStack(4, 3);
        for (int z = 0; z < 2; z++) {
            float[] p = new float[12];
            for (int q = 0; q < 12; q++) p[q] = 100 * z + q;
            st.addSlice(new FloatProcessor(4, 3, p));
        }
        ImagePlus imp = new ImagePlus("made", st);
        Calibration c = imp.getCalibration();
        c.pixelWidth = 0.5;
        c.pixelHeight = 0.75;
        c.pixelDepth = 3;
        c.setUnit("mm");
        c.xOrigin = 2;
        c.yOrigin = 1;
        c.zOrigin = 1;
        Path out = tmp.resolve("made.nii");
        ImagePlusNifti.save(imp, out);
        NiftiImage back = NiftiImage.load(out);
        // by construction: x world = (i - 2) * 0.5; j = 2 - y so origin pixel y=1 is j=1; z = (k - 1) * 3
        Affine want = new Affine(new double[][] {{0.5, 0, 0, -1}, {0, 0.75, 0, -0.75}, {0, 0, 3, -3}, {0, 0, 0, 1}});
        assertTrue(back.affine().equalsWithin(want, 1e-6), back.affine().toString());
        float[] v = back.readFloat();
        // voxel (i=1, j=0, k=1) is pixel (1, y=2) of slice 2: 100 + 2*4 + 1
        assertEquals(109f, v[1 + 4 * (0 + 3 * 1)]);
        assertEquals(3, back.shape().length);
    }

    @Test
    void croppedImageDoesNotReuseTheStoredAffine() {
        ImagePlus imp = ImagePlusNifti.open(Reference.DIR.resolve("las_float.nii"));
        assertTrue(ImagePlusNifti.hasStoredAffine(imp));
        imp.setRoi(1, 1, 3, 3);
        ImagePlus crop = imp.crop("stack");
        crop.setProp(ImagePlusNifti.AFFINE, imp.getProp(ImagePlusNifti.AFFINE));
        crop.setProp(ImagePlusNifti.SHAPE, imp.getProp(ImagePlusNifti.SHAPE));
        assertFalse(ImagePlusNifti.hasStoredAffine(crop));
    }

    @Test
    void sixteenBitImageSavesAsInt16() {
        short[] p = {0, 1, 2, 30000, 4, 5};
        ImagePlus imp = new ImagePlus("s", new ShortProcessor(3, 2, p, null));
        Path out = tmp.resolve("s.nii.gz");
        ImagePlusNifti.save(imp, out);
        NiftiImage back = NiftiImage.load(out);
        assertEquals("int16", back.datatypeName());
        // pixel (x, y) = voxel (x, 1-y): first row on screen is j = 1
        assertArrayEquals(new float[] {30000, 4, 5, 0, 1, 2}, back.readFloat());
    }

    @Test
    void rgbAndBadNamesAreOneLineErrors() {
        ImagePlus rgb = new ImagePlus("photo", new ColorProcessor(3, 3));
        KetaprintException e = assertThrows(KetaprintException.class, () -> ImagePlusNifti.save(rgb, tmp.resolve("x.nii")));
        assertTrue(e.getMessage().startsWith("photo: RGB"), e.getMessage());
        ImagePlus f = new ImagePlus("f", new FloatProcessor(2, 2));
        e = assertThrows(KetaprintException.class, () -> ImagePlusNifti.save(f, tmp.resolve("x.tif")));
        assertTrue(e.getMessage().contains("x.tif") && e.getMessage().contains(".nii"), e.getMessage());
    }

    @Test
    void corruptFileIsAOneLineError() throws IOException {
        Path bad = tmp.resolve("bad.nii.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        KetaprintException e = assertThrows(KetaprintException.class, () -> ImagePlusNifti.open(bad));
        assertTrue(e.getMessage().contains("bad.nii.gz"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
