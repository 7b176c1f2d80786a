package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Counters over several parallel chunks of voxels (each bad voxel counted once, no WLS fallback on clean data),
 * and maps of a NIfTI fit keeping its header geometry (issue 15).
 */
class TensorFitCountsTest {
    /** Isotropic tensor, MD 1e-3 mm^2/s, S0 1000: S = S0 exp(-b MD). */
    static float signal(Gradients g, int t) {
        return (float) (1000 * Math.exp(-g.bval(t) * 1e-3));
    }

    @Test
    void countsOverSeveralChunks() {
        Gradients g = PhantomTest.table();
        int n = g.count();
        int nv = 3 * 2048 + 5;
        Set<Integer> bad = Set.of(10, 2048 + 7, 4096 + 100, 6144 + 2);
        float[] sig = new float[nv * n];
        for (int i = 0; i < nv; i++) for (int t = 0; t < n; t++) sig[i * n + t] = signal(g, t);
        for (int i : bad) sig[i * n + 1] = Float.NaN;
        int[] vox = new int[nv];
        for (int i = 0; i < nv; i++) vox[i] = i;
        for (TensorFit.Method m : TensorFit.Method.values()) {
            DtiMaps out = new DtiMaps(new Grid(new int[] {nv, 1, 1}, Affine.identity()));
            new TensorFit(g, m).fitVoxels(sig, vox, out);
            assertEquals(bad.size(), out.nonfinite(), m + " nonfinite");
            assertEquals(nv - bad.size(), out.fitted(), m + " fitted");
            assertEquals(0, out.wlsFallback(), m + " fallback");
            for (int i = 0; i < nv; i++) {
                if (bad.contains(i)) assertTrue(Float.isNaN(out.md[i]), m + " voxel " + i);
                else assertEquals(1e-3, out.md[i], 1e-7, m + " voxel " + i);
            }
        }
    }

    @Test
    void mapsOfANiftiKeepItsHeaderCodes(@TempDir Path tmp) {
        Gradients g = PhantomTest.table();
        int n = g.count();
        float[] data = new float[4 * n];
        for (int t = 0; t < n; t++) for (int p = 0; p < 4; p++) data[t * 4 + p] = signal(g, t);
        Path f = tmp.resolve("dwi.nii.gz");
        NiftiWriter.write(f, NiftiWriter.Spec.of(new long[] {2, 2, 1, n}, Affine.identity(), DataType.FLOAT32).codes(1, 1), data);
        DtiMaps out = TensorFit.fit(Images.open(f), g, null, TensorFit.Method.WLS);
        assertEquals(4, out.fitted());
        Path[] files = out.write(tmp.resolve("m").toString());
        assertEquals(1, NiftiImage.load(files[0]).header().sformCode);
        assertEquals(1, NiftiImage.load(files[0]).header().qformCode);
    }
}
