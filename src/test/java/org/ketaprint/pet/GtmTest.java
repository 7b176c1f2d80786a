package org.ketaprint.pet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/** GTM recovers piecewise-constant truth blurred by the same PSF exactly (by construction), where the plain mean is biased. */
class GtmTest {
    @Test
    void recoversPlantedValues() {
        Grid g = new Grid(new int[] {24, 24, 20}, new Affine(new double[][] {{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}}));
        int[] label = new int[g.size()];
        for (int k = 0; k < 20; k++) {
            for (int j = 0; j < 24; j++) {
                for (int i = 0; i < 24; i++) {
                    int v = g.index(i, j, k);
                    if (i >= 4 && i < 20 && j >= 4 && j < 20 && k >= 3 && k < 17) label[v] = 1;      // background tissue
                    if (i >= 8 && i < 12 && j >= 8 && j < 12 && k >= 8 && k < 11) label[v] = 2;    // a small region
                    if (i >= 14 && i < 19 && j >= 10 && j < 16 && k >= 5 && k < 12) label[v] = 3;  // reference
                }
            }
        }
        double[] truth = {0, 4, 10, 6};
        double[] img = new double[g.size()];
        for (int v = 0; v < img.length; v++) img[v] = truth[label[v]];
        double[] sigma = Gaussian.sigmaVoxels(g, 7);
        double[] blurred = Gaussian.filter(img, g, sigma);
        List<int[]> regions = new ArrayList<>();
        for (int l = 1; l <= 3; l++) {
            int n = 0;
            for (int x : label) if (x == l) n++;
            int[] idx = new int[n];
            for (int v = 0, m = 0; v < label.length; v++) if (label[v] == l) idx[m++] = v;
            regions.add(idx);
        }
        Gtm.Result r = Gtm.solve(g, blurred, regions, sigma);
        for (int l = 1; l <= 3; l++) assertEquals(truth[l], r.corrected()[l - 1], 1e-9, "region " + l);
        // without correction the small region's ratio to the reference is biased low
        double plain = r.observed()[1] / r.observed()[2];
        assertTrue(plain < 0.9 * truth[2] / truth[3], "plain ratio " + plain);
        assertEquals(truth[2] / truth[3], r.corrected()[1] / r.corrected()[2], 1e-9);
    }
}
