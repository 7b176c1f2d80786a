package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketaprint.nifti.NiftiImage;

/**
 * Voxel-by-voxel comparison with DIPY 1.6's TensorModel on DIPY's own sample DWIs (every voxel,
 * background included). References: scripts/make_diffusion_reference.py.
 */
class DipyReferenceTest {
    static final Path DIR = Path.of("test-data/diffusion");

    static String ext(String sample) {
        return sample.equals("small_64D") ? ".nii" : ".nii.gz";
    }

    static double[] ref(String sample, String method, String map) {
        return NiftiImage.load(DIR.resolve(sample + "_dipy_" + method + "_" + map + ".nii.gz")).readDouble();
    }

    @ParameterizedTest
    @CsvSource({"small_64D,wls", "small_64D,ols", "small_101D,wls", "small_101D,ols", "small_25,wls", "small_25,ols"})
    void mapsMatchDipy(String sample, String method) {
        NiftiImage dwi = NiftiImage.load(DIR.resolve(sample + ext(sample)));
        Gradients g = Gradients.read(DIR.resolve(sample + ".bval"), DIR.resolve(sample + ".bvec"), dwi);
        DtiMaps m = TensorFit.fit(dwi, g, null, method.equals("wls") ? TensorFit.Method.WLS : TensorFit.Method.OLS);
        int n = dwi.grid().size();
        assertEquals(n, m.fitted());
        assertEquals(0, m.wlsFallback(), "no voxel needs the OLS fallback on DIPY's samples");
        double[] fa = ref(sample, method, "FA");
        double[] l1 = ref(sample, method, "AD");
        double[] rd = ref(sample, method, "RD");
        double[] v1 = ref(sample, method, "V1");
        String[] rel = {"MD", "AD", "RD", "S0"};
        double worstFa = 0;
        for (int p = 0; p < n; p++) {
            worstFa = Math.max(worstFa, Math.abs(m.fa[p] - fa[p]));
        }
        assertTrue(worstFa < 1e-6, sample + " " + method + ": FA differs from DIPY by " + worstFa);
        for (String name : rel) {
            double[] r = ref(sample, method, name);
            float[] mine = m.map(name);
            for (int p = 0; p < n; p++) {
                assertEquals(r[p], mine[p], 1e-6 * Math.abs(r[p]) + 1e-12, sample + " " + method + " " + name + " voxel " + p);
            }
        }
        int checked = 0;
        for (int p = 0; p < n; p++) {
            // V1 is defined only when L1 is clearly separated from L2
            double l2 = 2 * rd[p] - m.l3[p];
            if (l1[p] - l2 < 1e-2 * l1[p]) continue;
            double dot = 0;
            for (int c = 0; c < 3; c++) dot += m.v1[c * n + p] * v1[c * n + p];
            assertEquals(1, Math.abs(dot), 1e-5, sample + " V1 voxel " + p);
            checked++;
        }
        assertTrue(checked > n / 2, "V1 compared in " + checked + " of " + n + " voxels");
    }

    @org.junit.jupiter.api.Test
    void smallSlabsGiveTheSameMaps() {
        NiftiImage dwi = NiftiImage.load(DIR.resolve("small_64D.nii"));
        Gradients g = Gradients.read(DIR.resolve("small_64D.bval"), DIR.resolve("small_64D.bvec"), dwi);
        boolean[] mask = BrainMask.medianOtsu(dwi, g);
        TensorFit f = new TensorFit(g, TensorFit.Method.WLS);
        DtiMaps one = f.fit(dwi, mask, Long.MAX_VALUE);
        DtiMaps slabs = f.fit(dwi, mask, 1);   // one z slice per slab
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.fa, slabs.fa);
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.v1, slabs.v1);
        assertEquals(one.fitted(), slabs.fitted());
        int in = 0;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) in++;
            else assertEquals(0f, one.fa[p], "outside the mask");
        }
        assertEquals(in, one.fitted());
    }

    @org.junit.jupiter.api.Test
    void writesDtifitAndBidsNames(@org.junit.jupiter.api.io.TempDir Path tmp) {
        NiftiImage dwi = NiftiImage.load(DIR.resolve("small_25.nii.gz"));
        Gradients g = Gradients.read(DIR.resolve("small_25.bval"), DIR.resolve("small_25.bvec"), dwi);
        DtiMaps m = TensorFit.fit(dwi, g, null, TensorFit.Method.WLS);
        Path[] a = m.write(tmp.resolve("sub-01_dti").toString());
        Path[] b = m.writeBids(tmp, "sub-01_ses-2", DtiMaps.NAMES, org.ketaprint.nifti.Compression.DEFAULT);
        assertEquals("sub-01_dti_FA.nii.gz", a[0].getFileName().toString());
        assertEquals("sub-01_dti_S0.nii.gz", a[5].getFileName().toString());
        assertEquals("sub-01_ses-2_model-tensor_param-fa_dwimap.nii.gz", b[0].getFileName().toString());
        for (Path[] set : new Path[][] {a, b}) {
            NiftiImage fa = NiftiImage.load(set[0]);
            assertEquals("float32", fa.datatypeName());
            assertTrue(fa.grid().sameAs(dwi.grid(), 1e-6));
            org.junit.jupiter.api.Assertions.assertArrayEquals(m.fa, fa.readVolume(0));
            NiftiImage v1 = NiftiImage.load(set[4]);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {10, 8, 2, 3}, v1.shape());
            org.junit.jupiter.api.Assertions.assertArrayEquals(m.v1, v1.readFloat());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_64D", "small_101D", "small_25"})
    void medianOtsuMatchesDipy(String sample) {
        NiftiImage dwi = NiftiImage.load(DIR.resolve(sample + ext(sample)));
        Gradients g = Gradients.read(DIR.resolve(sample + ".bval"), DIR.resolve(sample + ".bvec"), dwi);
        boolean[] mine = BrainMask.medianOtsu(dwi, g);
        float[] ref = NiftiImage.load(DIR.resolve(sample + "_dipy_mask.nii.gz")).readVolume(0);
        int in = 0;
        for (int p = 0; p < ref.length; p++) {
            assertEquals(ref[p] != 0, mine[p], sample + " mask voxel " + p);
            if (mine[p]) in++;
        }
        assertTrue(in > 0 && in < ref.length, "mask has " + in + " voxels");
    }
}
