package org.ketaprint.nifti;

import java.util.Arrays;

/** A 4x4 voxel-to-world (mm) affine. Immutable. */
public final class Affine {
    private final double[][] m;

    public Affine(double[][] rows) {
        if (rows.length != 4) throw new IllegalArgumentException("affine needs 4 rows");
        m = new double[4][];
        for (int i = 0; i < 4; i++) {
            if (rows[i].length != 4) throw new IllegalArgumentException("affine needs 4 columns");
            m[i] = rows[i].clone();
        }
    }

    public static Affine identity() {
        return diagonal(new double[] {1, 1, 1}, new double[3]);
    }

    /** diag(zooms) with the voxel {@code origin} at world (0,0,0). */
    static Affine diagonal(double[] zooms, double[] origin) {
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            a[i][i] = zooms[i];
            a[i][3] = -origin[i] * zooms[i];
        }
        a[3][3] = 1;
        return new Affine(a);
    }

    public double get(int r, int c) {
        return m[r][c];
    }

    public double[][] toArray() {
        double[][] out = new double[4][];
        for (int i = 0; i < 4; i++) out[i] = m[i].clone();
        return out;
    }

    /** World coordinates (mm) of voxel (i, j, k). */
    public double[] apply(double i, double j, double k) {
        double[] out = new double[3];
        for (int r = 0; r < 3; r++) out[r] = m[r][0] * i + m[r][1] * j + m[r][2] * k + m[r][3];
        return out;
    }

    public Affine multiply(Affine o) {
        double[][] out = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int k = 0; k < 4; k++) s += m[r][k] * o.m[k][c];
                out[r][c] = s;
            }
        }
        return new Affine(out);
    }

    /** Determinant of the 3x3 part: the signed voxel volume in mm^3. */
    public double det3() {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /**
     * Why this affine cannot map voxels to space, or null: a non-finite entry, or a 3x3 part with determinant 0 (a
     * zero voxel size or direction, so every voxel would have no volume and no inverse exists).
     */
    String problem() {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                if (!Double.isFinite(m[r][c])) return "has a non-finite entry (" + m[r][c] + " at row " + r + ", column " + c + ")";
            }
        }
        // the determinant of the columns scaled to unit length: 0 (to 1e-9) when a column is zero or the columns are
        // (nearly) linearly dependent, whatever their size (1e38 entries would overflow the plain determinant)
        double[] len = new double[3];
        for (int c = 0; c < 3; c++) len[c] = Math.hypot(Math.hypot(m[0][c], m[1][c]), m[2][c]);
        double[][] u = new double[3][3];
        for (int c = 0; c < 3; c++) {
            if (!(len[c] > 0)) {
                return "is singular (its 3x3 part has determinant 0: a zero voxel size or direction)";
            }
            for (int r = 0; r < 3; r++) u[r][c] = m[r][c] / len[c];
        }
        double det = u[0][0] * (u[1][1] * u[2][2] - u[1][2] * u[2][1]) - u[0][1] * (u[1][0] * u[2][2] - u[1][2] * u[2][0])
            + u[0][2] * (u[1][0] * u[2][1] - u[1][1] * u[2][0]);
        if (!(Math.abs(det) > 1e-9)) return "is singular (its 3x3 part has determinant 0: a zero voxel size or direction)";
        double v = voxelVolume();
        if (!(v > 0) || !Double.isFinite(v)) return "gives a voxel volume of " + v + " mm^3 (out of double range)";
        return null;
    }

    /** Voxel volume in mm^3: |det| of the 3x3 part. */
    public double voxelVolume() {
        return Math.abs(det3());
    }

    /** Voxel sizes: the lengths of the 3x3 part's columns. */
    public double[] voxelSizes() {
        double[] v = new double[3];
        for (int c = 0; c < 3; c++) v[c] = Math.sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
        return v;
    }

    public Affine inverse() {
        double det = det3();
        if (det == 0 || !Double.isFinite(det)) throw new ArithmeticException("affine is singular");
        double[][] a = m;
        double[][] inv = new double[4][4];
        inv[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
        inv[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
        inv[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
        inv[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
        inv[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
        inv[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
        inv[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
        inv[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
        inv[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
        for (int r = 0; r < 3; r++) inv[r][3] = -(inv[r][0] * a[0][3] + inv[r][1] * a[1][3] + inv[r][2] * a[2][3]);
        inv[3][3] = 1;
        return new Affine(inv);
    }

    /** True when every element differs by at most {@code tol}. */
    public boolean equalsWithin(Affine o, double tol) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (!(Math.abs(m[r][c] - o.m[r][c]) <= tol)) return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (double[] row : m) sb.append(Arrays.toString(row)).append('\n');
        return sb.toString();
    }
}
