package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Quaternion.fromAffine as nifti_mat44_to_quatern defines it: columns divided by the voxel sizes, then the nearest
 * rotation (polar decomposition), a reflection moved into qfac, and (b, c, d) with a >= 0 (negated only if a < 0).
 * Issue 15.
 */
class QuaternionPolarTest {

    /** The rotation of unit quaternion (w, x, y, z). */
    private static double[][] rotation(double w, double x, double y, double z) {
        return new double[][] {
            {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) c[i][j] += a[i][k] * b[k][j];
            }
        }
        return c;
    }

    private static Affine affine(double[][] lin, double[] offset) {
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(lin[i], 0, m[i], 0, 3);
            m[i][3] = offset[i];
        }
        m[3][3] = 1;
        return new Affine(m);
    }

    /**
     * A = R F P Z: rotation R, F = diag(1, 1, qfac), P symmetric positive definite with unit columns (a shear),
     * Z = diag(zooms), all distinct. The column norms of A are the zooms, so the normalised matrix is R F P, whose
     * polar factor is R F: the quaternion must be that of R, whatever the shear and the zooms.
     */
    @Test
    void shearIsRemovedByThePolarFactorAfterDividingByTheVoxelSizes() {
        double n = Math.sqrt(1 + 4 + 9 + 16);
        double w = 1 / n, x = 2 / n, y = -3 / n, z = 4 / n;
        double c = 0.4, a = Math.sqrt(1 - c * c);
        double[][] p = {{a, c, 0}, {c, a, 0}, {0, 0, 1}};
        double[][] zooms = {{0.7, 0, 0}, {0, 2.5, 0}, {0, 0, 4}};
        for (double qfac : new double[] {1, -1}) {
            double[][] f = {{1, 0, 0}, {0, 1, 0}, {0, 0, qfac}};
            double[][] lin = mul(mul(mul(rotation(w, x, y, z), f), p), zooms);
            double[] q = Quaternion.fromAffine(affine(lin, new double[] {5, -6, 7}));
            assertArrayEquals(new double[] {x, y, z, 5, -6, 7, qfac}, q, 1e-9, "qfac " + qfac);
        }
    }

    /** A quarter turn about z (r[0][0] = 0 exactly) with and without a reflection of the third axis. */
    @Test
    void quarterTurnWithReflectionKeepsQfac() {
        double s = Math.sqrt(0.5);
        double[][] rot = rotation(s, 0, 0, s); // {{0,-1,0},{1,0,0},{0,0,1}}
        for (double qfac : new double[] {1, -1}) {
            double[][] lin = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) lin[i][j] = Math.rint(rot[i][j]) * (j == 2 ? 3 * qfac : 2);
            }
            double[] q = Quaternion.fromAffine(affine(lin, new double[] {0, 0, 0}));
            assertEquals(qfac, q[6], 0.0, "qfac");
            assertArrayEquals(new double[] {0, 0, s}, java.util.Arrays.copyOf(q, 3), 1e-12, "qfac " + qfac);
        }
    }

    /**
     * Half turns have a = 0, so (b, c, d) and -(b, c, d) are the same rotation; nifti_mat44_to_quatern negates only
     * when a < 0, so the dominant component stays positive: a half turn about x is (1, 0, 0), about y (0, 1, 0),
     * about z (0, 0, 1).
     */
    @Test
    void halfTurnsKeepThePositiveDominantComponent() {
        double[][][] lins = {
            {{1, 0, 0}, {0, -1, 0}, {0, 0, -1}},
            {{-1, 0, 0}, {0, 1, 0}, {0, 0, -1}},
            {{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}};
        for (int k = 0; k < 3; k++) {
            double[] q = Quaternion.fromAffine(affine(lins[k], new double[] {0, 0, 0}));
            double[] expect = new double[3];
            expect[k] = 1;
            assertArrayEquals(expect, java.util.Arrays.copyOf(q, 3), 0.0, "half turn about axis " + k);
            assertEquals(1, q[6], 0.0);
        }
    }
}
