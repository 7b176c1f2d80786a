package org.ketaprint.spaces;

import org.ketaprint.nifti.Affine;

/** A linear transform: a 4x4 RAS point map from the reference space to the moving space. */
public final class AffineTransform implements Transform {
    private final Affine m;
    private final String source;
    private final double m00, m01, m02, m03, m10, m11, m12, m13, m20, m21, m22, m23;

    public AffineTransform(Affine rasPointMap, String source) {
        double det = rasPointMap.det3();
        if (!(Math.abs(det) > 1e-12) || !Double.isFinite(det)) {
            throw new TransformException(source, "affine matrix is singular or not finite (determinant " + det + ")");
        }
        for (int r = 0; r < 3; r++) {
            if (!Double.isFinite(rasPointMap.get(r, 3))) {
                throw new TransformException(source, "affine translation is not finite (" + rasPointMap.get(r, 3) + ")");
            }
        }
        this.m = rasPointMap;
        this.source = source;
        m00 = m.get(0, 0); m01 = m.get(0, 1); m02 = m.get(0, 2); m03 = m.get(0, 3);
        m10 = m.get(1, 0); m11 = m.get(1, 1); m12 = m.get(1, 2); m13 = m.get(1, 3);
        m20 = m.get(2, 0); m21 = m.get(2, 1); m22 = m.get(2, 2); m23 = m.get(2, 3);
    }

    /**
     * From ITK parameters (LPS): 9 matrix values row by row, 3 translations, and the centre of rotation
     * (ITK's fixed parameters): {@code T(x) = A (x - c) + t + c}, conjugated by diag(-1, -1, 1) to RAS.
     */
    public static AffineTransform fromItk(double[] params, double[] center, String source) {
        if (params.length != 12) throw new TransformException(source, "an ITK 3D affine has 12 parameters, found " + params.length);
        double[] c = center == null ? new double[3] : center;
        if (c.length != 3) throw new TransformException(source, "an ITK 3D affine has 3 fixed parameters, found " + c.length);
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            double off = params[9 + r] + c[r];
            for (int k = 0; k < 3; k++) {
                a[r][k] = params[3 * r + k];
                off -= params[3 * r + k] * c[k];
            }
            a[r][3] = off;
        }
        a[3][3] = 1;
        double[] f = {-1, -1, 1};
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) a[r][k] *= f[r] * f[k];
            a[r][3] *= f[r];
        }
        return new AffineTransform(new Affine(a), source);
    }

    public AffineTransform inverse() {
        return new AffineTransform(m.inverse(), source + " (inverted)");
    }

    @Override
    public void map(double[] p) {
        double x = p[0], y = p[1], z = p[2];
        p[0] = m00 * x + m01 * y + m02 * z + m03;
        p[1] = m10 * x + m11 * y + m12 * z + m13;
        p[2] = m20 * x + m21 * y + m22 * z + m23;
    }

    @Override
    public Affine linear() {
        return m;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "affine " + source;
    }
}
