package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.table.Json;

/**
 * A noisy phantom on which WLS and OLS differ: each method's FA must match DIPY's TensorModel with
 * fit_method "WLS" / "LS" (scripts/make_wls_ols_reference.py), so swapping the two methods is noticed.
 */
class WlsOlsNoisyTest {
    @Test
    void wlsAndOlsMatchDipyOnNoisyData() throws Exception {
        JsonNode ref = Json.MAPPER.readTree(Path.of("test-data/diffusion/wls_ols_noisy.json").toFile());
        Gradients g = Gradients.read(Path.of("test-data/diffusion/small_64D.bval"), Path.of("test-data/diffusion/small_64D.bvec"), null);
        JsonNode sigs = ref.get("signals");
        int nv = sigs.size(), n = g.count();
        assertEquals(n, sigs.get(0).size());
        float[] sig = new float[nv * n];
        for (int v = 0; v < nv; v++) for (int t = 0; t < n; t++) sig[v * n + t] = (float) sigs.get(v).get(t).asDouble();
        DtiMaps wls = fit(g, sig, nv, TensorFit.Method.WLS);
        DtiMaps ols = fit(g, sig, nv, TensorFit.Method.OLS);
        double[] diff = new double[nv];
        for (int v = 0; v < nv; v++) {
            assertEquals(ref.get("fa_wls").get(v).asDouble(), wls.fa[v], 1e-5, "WLS FA voxel " + v);
            assertEquals(ref.get("fa_ols").get(v).asDouble(), ols.fa[v], 1e-5, "OLS FA voxel " + v);
            diff[v] = Math.abs(wls.fa[v] - ols.fa[v]);
        }
        Arrays.sort(diff);
        // the two methods must differ far beyond the 1e-5 tolerance, or the test could not tell them apart
        assertTrue(diff[nv - 1] > 1e-2, "max |FA_WLS - FA_OLS| " + diff[nv - 1]);
        assertTrue(diff[nv / 2] > 1e-3, "median |FA_WLS - FA_OLS| " + diff[nv / 2]);
    }

    static DtiMaps fit(Gradients g, float[] sig, int nv, TensorFit.Method m) {
        DtiMaps out = new DtiMaps(new Grid(new int[] {nv, 1, 1}, Affine.identity()), null);
        int[] vox = new int[nv];
        for (int i = 0; i < nv; i++) vox[i] = i;
        new TensorFit(g, m).fitVoxels(sig, vox, out);
        return out;
    }
}
