package org.ketaprint.spaces;

import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.NiftiImage;

/**
 * A dense displacement field (ITK convention): at a reference point x the moving point is x + d(x), d
 * interpolated trilinearly on the field's grid. Outside the field (beyond half a voxel) d = 0, as in ITK.
 * Stored in RAS mm; ITK's LPS vectors are converted when read.
 */
public final class DisplacementField implements Transform {
    private final Grid grid;
    private final float[] d;   // x, y, z of voxel 0, then voxel 1, ... (x fastest over the grid)
    private final String source;
    private final double i00, i01, i02, i03, i10, i11, i12, i13, i20, i21, i22, i23;

    /** {@code rasVectors}: 3 values per voxel, in the grid's x-fastest voxel order. */
    public DisplacementField(Grid grid, float[] rasVectors, String source) {
        if (rasVectors.length != 3L * grid.size()) {
            throw new TransformException(source, "displacement field has " + rasVectors.length
                + " values, expected 3 x " + grid.size());
        }
        this.grid = grid;
        this.d = rasVectors;
        this.source = source;
        Affine inv = grid.affine.inverse();
        i00 = inv.get(0, 0); i01 = inv.get(0, 1); i02 = inv.get(0, 2); i03 = inv.get(0, 3);
        i10 = inv.get(1, 0); i11 = inv.get(1, 1); i12 = inv.get(1, 2); i13 = inv.get(1, 3);
        i20 = inv.get(2, 0); i21 = inv.get(2, 1); i22 = inv.get(2, 2); i23 = inv.get(2, 3);
    }

    /** Reads an ITK/ANTs displacement field NIfTI: 5D (X, Y, Z, 1, 3), intent vector, LPS mm. */
    public static DisplacementField readNifti(NiftiImage img) {
        String src = img.path().toString();
        long[] s = img.shape();
        if (s.length != 5 || s[3] != 1 || s[4] != 3) {
            throw new TransformException(src, "not an ITK displacement field: shape " + java.util.Arrays.toString(s)
                + ", expected 5D (X, Y, Z, 1, 3)");
        }
        if (img.header().intentCode != 1007) {
            throw new TransformException(src, "displacement field has NIfTI intent " + img.header().intentCode
                + ", expected 1007 (vector)");
        }
        Grid g = img.grid();
        int n = g.size();
        float[] out = new float[3 * n];
        img.forEachVolume((t, v) -> {   // the three components in one pass (a full read)
            int c = (int) t;
            float sign = c < 2 ? -1f : 1f;   // LPS -> RAS
            for (int p = 0; p < n; p++) out[3 * p + c] = sign * v[p];
        });
        return new DisplacementField(g, out, src);
    }

    /** Reads the image as a displacement field. */
    public static DisplacementField readNifti(Image img) {
        if (!(img instanceof NiftiImage n)) throw new TransformException(img.path(), "displacement fields must be NIfTI");
        return readNifti(n);
    }

    /**
     * From ITK's HDF5/parameter form: fixed parameters = size(3), origin(3), spacing(3), direction(9, row
     * by row), all LPS; parameters = the vectors, component fastest, then x, y, z.
     */
    public static DisplacementField fromItk(double[] fixed, double[] params, String source) {
        if (fixed.length != 18) {
            throw new TransformException(source, "3D displacement field needs 18 fixed parameters, found " + fixed.length);
        }
        int[] dims = {(int) fixed[0], (int) fixed[1], (int) fixed[2]};
        double[][] a = new double[4][4];
        double[] f = {-1, -1, 1};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) a[r][c] = f[r] * fixed[9 + 3 * r + c] * fixed[6 + c];
            a[r][3] = f[r] * fixed[3 + r];
        }
        a[3][3] = 1;
        Grid g = new Grid(dims, new Affine(a));
        if (params.length != 3L * g.size()) {
            throw new TransformException(source, "displacement field has " + params.length + " parameters, expected 3 x "
                + dims[0] + " x " + dims[1] + " x " + dims[2]);
        }
        float[] v = new float[params.length];
        for (int p = 0; p < params.length; p++) v[p] = (float) (f[p % 3] * params[p]);
        return new DisplacementField(g, v, source);
    }

    public Grid grid() {
        return grid;
    }

    @Override
    public void map(double[] p) {
        double x = p[0], y = p[1], z = p[2];
        double ci = i00 * x + i01 * y + i02 * z + i03;
        double cj = i10 * x + i11 * y + i12 * z + i13;
        double ck = i20 * x + i21 * y + i22 * z + i23;
        int nx = grid.nx, ny = grid.ny, nz = grid.nz;
        if (!(ci >= -0.5 && cj >= -0.5 && ck >= -0.5 && ci <= nx - 0.5 && cj <= ny - 0.5 && ck <= nz - 0.5)) return;
        int i0 = (int) Math.floor(ci), j0 = (int) Math.floor(cj), k0 = (int) Math.floor(ck);
        double fx = ci - i0, fy = cj - j0, fz = ck - k0;
        int ia = clamp(i0, nx), ib = clamp(i0 + 1, nx);
        int ja = clamp(j0, ny), jb = clamp(j0 + 1, ny);
        int ka = clamp(k0, nz), kb = clamp(k0 + 1, nz);
        int a = 3 * (ia + nx * (ja + ny * ka)), b = 3 * (ib + nx * (ja + ny * ka));
        int c = 3 * (ia + nx * (jb + ny * ka)), e = 3 * (ib + nx * (jb + ny * ka));
        int a2 = 3 * (ia + nx * (ja + ny * kb)), b2 = 3 * (ib + nx * (ja + ny * kb));
        int c2 = 3 * (ia + nx * (jb + ny * kb)), e2 = 3 * (ib + nx * (jb + ny * kb));
        double w000 = (1 - fx) * (1 - fy) * (1 - fz), w100 = fx * (1 - fy) * (1 - fz);
        double w010 = (1 - fx) * fy * (1 - fz), w110 = fx * fy * (1 - fz);
        double w001 = (1 - fx) * (1 - fy) * fz, w101 = fx * (1 - fy) * fz;
        double w011 = (1 - fx) * fy * fz, w111 = fx * fy * fz;
        for (int q = 0; q < 3; q++) {
            p[q] += w000 * d[a + q] + w100 * d[b + q] + w010 * d[c + q] + w110 * d[e + q]
                + w001 * d[a2 + q] + w101 * d[b2 + q] + w011 * d[c2 + q] + w111 * d[e2 + q];
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "displacement field " + source + " (" + grid + ")";
    }
}
