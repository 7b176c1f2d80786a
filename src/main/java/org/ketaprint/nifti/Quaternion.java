package org.ketaprint.nifti;

/** The NIfTI qform parameters of an affine (nifti_mat44_to_quatern: polar decomposition, then quaternion). */
final class Quaternion {
    private Quaternion() {
    }

    /** {b, c, d, qoffset_x, qoffset_y, qoffset_z, qfac}. */
    static double[] fromAffine(Affine a) {
        double[][] r = new double[3][3];
        double[] vs = a.voxelSizes();
        for (int j = 0; j < 3; j++) {
            double s = vs[j] == 0 ? 1 : vs[j];
            for (int i = 0; i < 3; i++) r[i][j] = a.get(i, j) / s;
        }
        r = polar(r);
        double det = det(r);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            for (int i = 0; i < 3; i++) r[i][2] = -r[i][2];
        }
        double w, x, y, z;
        double tr = r[0][0] + r[1][1] + r[2][2] + 1;
        if (tr > 0.5) {
            w = 0.5 * Math.sqrt(tr);
            x = 0.25 * (r[2][1] - r[1][2]) / w;
            y = 0.25 * (r[0][2] - r[2][0]) / w;
            z = 0.25 * (r[1][0] - r[0][1]) / w;
        } else {
            double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
            double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
            double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
            if (xd > 1) {
                x = 0.5 * Math.sqrt(xd);
                y = 0.25 * (r[0][1] + r[1][0]) / x;
                z = 0.25 * (r[0][2] + r[2][0]) / x;
                w = 0.25 * (r[2][1] - r[1][2]) / x;
            } else if (yd > 1) {
                y = 0.5 * Math.sqrt(yd);
                x = 0.25 * (r[0][1] + r[1][0]) / y;
                z = 0.25 * (r[1][2] + r[2][1]) / y;
                w = 0.25 * (r[0][2] - r[2][0]) / y;
            } else {
                z = 0.5 * Math.sqrt(zd);
                x = 0.25 * (r[0][2] + r[2][0]) / z;
                y = 0.25 * (r[1][2] + r[2][1]) / z;
                w = 0.25 * (r[1][0] - r[0][1]) / z;
            }
            if (w < 0) {
                x = -x;
                y = -y;
                z = -z;
            }
        }
        return new double[] {x, y, z, a.get(0, 3), a.get(1, 3), a.get(2, 3), qfac};
    }

    /** Nearest orthogonal matrix (Newton iteration X = (X + X^-T) / 2). */
    private static double[][] polar(double[][] x) {
        for (int it = 0; it < 100; it++) {
            double[][] inv = inverse(x);
            double[][] n = new double[3][3];
            double diff = 0;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    n[i][j] = 0.5 * (x[i][j] + inv[j][i]);
                    diff += Math.abs(n[i][j] - x[i][j]);
                }
            }
            x = n;
            if (diff < 1e-14) break;
        }
        return x;
    }

    private static double det(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }

    private static double[][] inverse(double[][] a) {
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) System.arraycopy(a[i], 0, m[i], 0, 3);
        m[3][3] = 1;
        double[][] inv = new Affine(m).inverse().toArray();
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) System.arraycopy(inv[i], 0, out[i], 0, 3);
        return out;
    }
}
