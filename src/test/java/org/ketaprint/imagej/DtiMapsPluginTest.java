package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.NiftiImage;

/**
 * DTI maps on an open DWI (or a file) against DIPY 1.6's TensorModel maps and median_otsu masks
 * (test-data/diffusion, scripts/make_diffusion_reference.py).
 */
class DtiMapsPluginTest {
    static final Path DIR = Path.of("test-data", "diffusion");

    @TempDir
    Path tmp;

    static String ext(String sample) {
        return sample.equals("small_64D") ? ".nii" : ".nii.gz";
    }

    static NiftiImage dipy(String sample, String method, String map) {
        return NiftiImage.load(DIR.resolve(sample + "_dipy_" + method + "_" + map + ".nii.gz"));
    }

    static Actions.DtiRun run(String sample, String method) {
        Actions.DtiRun r = new Actions.DtiRun();
        r.bval = DIR.resolve(sample + ".bval");
        r.bvec = DIR.resolve(sample + ".bvec");
        r.method = method;
        return r;
    }

    /** Pixel (i, ny-1-j) of slice k+1 == DIPY's voxel (i, j, k), where {@code in} says (null: everywhere); 0 elsewhere. */
    static void assertMapEquals(NiftiImage ref, ImagePlus imp, boolean[] in, String what) {
        double[] want = ref.readDouble();
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        int compared = 0;
        for (int k = 0; k < imp.getNSlices(); k++) {
            var ip = imp.getStack().getProcessor(k + 1);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int p = i + nx * (j + ny * k);
                    float got = ip.getf(i, ny - 1 - j);
                    if (in != null && !in[p]) {
                        assertEquals(0f, got, what + " outside the mask, voxel " + p);
                    } else {
                        assertEquals(want[p], got, 1e-6 * Math.abs(want[p]) + 1e-12, what + " voxel " + i + "," + j + "," + k);
                        compared++;
                    }
                }
            }
        }
        assertTrue(compared > 0, what + ": nothing compared");
    }

    static boolean[] dipyMask(String sample) {
        float[] m = NiftiImage.load(DIR.resolve(sample + "_dipy_mask.nii.gz")).readVolume(0);
        boolean[] b = new boolean[m.length];
        for (int p = 0; p < m.length; p++) b[p] = m[p] != 0;
        return b;
    }

    @ParameterizedTest
    @CsvSource({"small_64D,wls", "small_101D,ols", "small_25,wls", "small_25,ols"})
    void mapsOfTheOpenDwiMatchDipy(String sample, String method) {
        ImagePlus dwi = ImagePlusNifti.open(DIR.resolve(sample + ext(sample)));
        Actions.DtiRun r = run(sample, method);
        r.everyVoxel = true;
        List<String> log = new ArrayList<>();
        ImagePlus[] maps = DtiMapsPlugin.run(dwi, null, r, log::add);
        assertEquals(4, maps.length);
        for (int m = 0; m < 4; m++) {
            String name = DtiMapsPlugin.MAPS[m];
            NiftiImage ref = dipy(sample, method, name);
            assertEquals(sample + "_" + name, maps[m].getTitle());
            assertEquals(1, maps[m].getNFrames());
            assertMapEquals(ref, maps[m], null, sample + " " + method + " " + name);
            // the DWI's calibration (no frame interval) and nibabel's affine of DIPY's map
            Calibration c = maps[m].getCalibration();
            assertEquals(dwi.getCalibration().pixelWidth, c.pixelWidth, 1e-12);
            assertEquals(dwi.getCalibration().pixelDepth, c.pixelDepth, 1e-12);
            assertEquals(0, c.frameInterval);
            assertTrue(ImagePlusNifti.hasStoredAffine(maps[m]));
            assertTrue(ImagePlusNifti.affine(maps[m]).equalsWithin(ref.affine(), 1e-5));
            assertNull(maps[m].getProp(ImagePlusNifti.SOURCE), "not written: no source file");
        }
        assertTrue(log.stream().anyMatch(s -> s.startsWith("dti: " + method.toUpperCase() + " fit of ")), log.toString());
    }

    @Test
    void defaultMaskIsDipysMedianOtsu() {
        ImagePlus dwi = ImagePlusNifti.open(DIR.resolve("small_101D.nii.gz"));
        ImagePlus[] maps = DtiMapsPlugin.run(dwi, null, run("small_101D", "wls"), s -> { });
        boolean[] in = dipyMask("small_101D");
        assertMapEquals(dipy("small_101D", "wls", "FA"), maps[0], in, "FA in DIPY's median_otsu mask");
        assertMapEquals(dipy("small_101D", "wls", "MD"), maps[1], in, "MD in DIPY's median_otsu mask");
    }

    @Test
    void fileInputWithMaskFileWritesLikeTheCli() {
        Actions.DtiRun r = run("small_25", "wls");
        r.mask = NiftiImage.load(DIR.resolve("small_25_dipy_mask.nii.gz"));
        r.prefix = tmp.resolve("sub-01_dti").toString();
        r.maps = org.ketaprint.diffusion.DtiMaps.select(java.util.List.of("true"));
        ImagePlus[] maps = DtiMapsPlugin.run(null, DIR.resolve("small_25.nii.gz"), r, s -> { });
        boolean[] in = dipyMask("small_25");
        for (int m = 0; m < 4; m++) {
            String name = DtiMapsPlugin.MAPS[m];
            Path f = tmp.resolve("sub-01_dti_" + name + ".nii.gz");
            assertEquals(f.toAbsolutePath().toString(), maps[m].getProp(ImagePlusNifti.SOURCE));
            assertMapEquals(dipy("small_25", "wls", name), maps[m], in, "written " + name);
            // the file holds what the image shows
            ImagePlus back = ImagePlusNifti.open(f);
            assertMapEquals(dipy("small_25", "wls", name), back, in, name + " file");
            assertTrue(NiftiImage.load(f).grid().sameAs(NiftiImage.load(DIR.resolve("small_25.nii.gz")).grid(), 1e-6));
        }
        assertTrue(tmp.resolve("sub-01_dti_V1.nii.gz").toFile().isFile());
        assertTrue(tmp.resolve("sub-01_dti_S0.nii.gz").toFile().isFile());
    }

    @Test
    void writesOnlyTheMapsNamed() {
        Actions.DtiRun r = run("small_25", "wls");
        r.prefix = tmp.resolve("d").toString();
        assertEquals(java.util.List.of("fa", "md"), r.maps);   // the diffusion stage's default
        ImagePlus[] maps = DtiMapsPlugin.run(null, DIR.resolve("small_25.nii.gz"), r, s -> { });
        java.util.Set<String> files = new java.util.TreeSet<>();
        for (java.io.File f : tmp.toFile().listFiles()) files.add(f.getName());
        assertEquals(java.util.Set.of("d_FA.nii.gz", "d_MD.nii.gz", "d_mask.nii.gz"), files);
        assertEquals(null, maps[2].getProp(ImagePlusNifti.SOURCE));   // AD shown, not written
    }

    @Test
    void badInputsAreOneLineErrorsNamingTheFile() {
        ImagePlus dwi = ImagePlusNifti.open(DIR.resolve("small_25.nii.gz"));
        Actions.DtiRun r = run("small_64D", "wls");   // 65 b-values for a 25-volume image
        KetaprintException e = assertThrows(KetaprintException.class, () -> DtiMapsPlugin.run(dwi, null, r, s -> { }));
        assertTrue(e.getMessage().contains("small_64D.bval") && e.getMessage().contains("volumes"), e.getMessage());
        Actions.DtiRun bad = run("small_25", "nls");
        e = assertThrows(KetaprintException.class, () -> DtiMapsPlugin.run(dwi, null, bad, s -> { }));
        assertTrue(e.getMessage().contains("wls or ols"), e.getMessage());
        ImagePlus fa = ImagePlusNifti.open(DIR.resolve("small_25_dipy_wls_FA.nii.gz"));
        e = assertThrows(KetaprintException.class, () -> DtiMapsPlugin.run(fa, null, run("small_25", "wls"), s -> { }));
        assertTrue(e.getMessage().contains("small_25_dipy_wls_FA.nii.gz") && e.getMessage().contains("not a 4D"), e.getMessage());
        Actions.DtiRun wrongMask = run("small_25", "wls");
        wrongMask.mask = NiftiImage.load(DIR.resolve("small_64D_dipy_mask.nii.gz"));
        e = assertThrows(KetaprintException.class, () -> DtiMapsPlugin.run(dwi, null, wrongMask, s -> { }));
        assertTrue(e.getMessage().contains("small_64D_dipy_mask.nii.gz") && e.getMessage().contains("grid"), e.getMessage());
    }
}
