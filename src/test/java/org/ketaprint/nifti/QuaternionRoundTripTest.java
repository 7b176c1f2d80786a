package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** affine -> qform parameters (Quaternion.fromAffine) -> NiftiHeader.qform() gives the affine back. */
class QuaternionRoundTripTest {

    /** The rotation of unit quaternion (w, x, y, z). */
    private static double[][] rotation(double w, double x, double y, double z) {
        return new double[][] {
            {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    }

    private static Affine affine(double[][] rot, double[] zooms, double qfac, double[] offset) {
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) m[i][j] = rot[i][j] * zooms[j] * (j == 2 ? qfac : 1);
            m[i][3] = offset[i];
        }
        m[3][3] = 1;
        return new Affine(m);
    }

    /** The qform a header with these parameters gives. */
    private static Affine qform(double[] q, double[] zooms) {
        NiftiHeader.Builder b = NiftiHeader.builder();
        b.dim = new long[] {3, 2, 2, 2, 1, 1, 1, 1};
        b.pixdim = new double[] {q[6], zooms[0], zooms[1], zooms[2], 1, 1, 1, 1};
        b.quatern = new double[] {q[0], q[1], q[2]};
        b.qoffset = new double[] {q[3], q[4], q[5]};
        b.qformCode = 1;
        return b.build("round-trip").qform();
    }

    private static void roundTrip(Affine a, double[] zooms, double qfac, String what) {
        double[] q = Quaternion.fromAffine(a);
        assertEquals(qfac, q[6], 0.0, what + ": qfac");
        assertTrue(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] <= 1 + 1e-12, what + ": |(b,c,d)| > 1");
        Affine back = qform(q, zooms);
        assertTrue(back.equalsWithin(a, 1e-9), what + ":\n" + a + "came back as\n" + back);
    }

    @Test
    void randomRotationsRoundTrip() {
        Random r = new Random(6);
        for (int n = 0; n < 200; n++) {
            double w = r.nextGaussian(), x = r.nextGaussian(), y = r.nextGaussian(), z = r.nextGaussian();
            double len = Math.sqrt(w * w + x * x + y * y + z * z);
            double[][] rot = rotation(w / len, x / len, y / len, z / len);
            double[] zooms = {0.5 + 3 * r.nextDouble(), 0.5 + 3 * r.nextDouble(), 0.5 + 3 * r.nextDouble()};
            double qfac = r.nextBoolean() ? 1 : -1;
            double[] off = {r.nextDouble() * 200 - 100, r.nextDouble() * 200 - 100, r.nextDouble() * 200 - 100};
            roundTrip(affine(rot, zooms, qfac, off), zooms, qfac, "case " + n);
        }
    }

    @Test
    void halfTurnsRoundTrip() {
        // w = 0: the trace branch cannot be used, the x/y/z-dominant branches are
        double[] zooms = {1.5, 2, 2.5};
        double[] off = {1, 2, 3};
        double s = Math.sqrt(0.5);
        double[][] axes = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {s, s, 0}, {0, s, s}, {s, 0, s}};
        for (double[] ax : axes) {
            for (double qfac : new double[] {1, -1}) {
                roundTrip(affine(rotation(0, ax[0], ax[1], ax[2]), zooms, qfac, off), zooms, qfac,
                    "half turn about " + java.util.Arrays.toString(ax) + " qfac " + qfac);
            }
        }
    }
}
