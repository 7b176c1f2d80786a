package org.ketaprint.spaces;

import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * Resamples a 3D volume onto a target grid through a transform (target point -> source point), like
 * antsApplyTransforms: nearest neighbour for labels, trilinear for continuous maps. A point is inside the
 * source when its voxel coordinates lie within [-0.5, n - 0.5] (ITK's rule; trilinear weights then clamp
 * to the edge voxel); outside points get {@code outside}.
 */
public final class Resampler {
    public enum Interp { NEAREST, LINEAR }

    private Resampler() {
    }

    /** {@code src} on {@code srcGrid} resampled onto {@code target}; {@code t} maps target to source points. */
    public static double[] resample(double[] src, Grid srcGrid, Grid target, Transform t, Interp interp, double outside) {
        if (src.length != srcGrid.size()) {
            throw new IllegalArgumentException("volume has " + src.length + " voxels, grid " + srcGrid + " has " + srcGrid.size());
        }
        double[] out = new double[target.size()];
        Affine srcInv = srcGrid.affine.inverse();
        Affine lin = t == null ? Affine.identity() : t.linear();
        int nx = target.nx, ny = target.ny, nz = target.nz;
        boolean nearest = interp == Interp.NEAREST;
        if (lin != null) {
            // one combined voxel -> voxel affine; step along i by its first column
            Affine m = srcInv.multiply(lin).multiply(target.affine);
            double a0 = m.get(0, 0), a1 = m.get(1, 0), a2 = m.get(2, 0);
            int p = 0;
            for (int k = 0; k < nz; k++) {
                for (int j = 0; j < ny; j++) {
                    double x = m.get(0, 1) * j + m.get(0, 2) * k + m.get(0, 3);
                    double y = m.get(1, 1) * j + m.get(1, 2) * k + m.get(1, 3);
                    double z = m.get(2, 1) * j + m.get(2, 2) * k + m.get(2, 3);
                    for (int i = 0; i < nx; i++, p++) {
                        double ci = x + a0 * i, cj = y + a1 * i, ck = z + a2 * i;
                        out[p] = nearest ? nearest(src, srcGrid, ci, cj, ck, outside) : linear(src, srcGrid, ci, cj, ck, outside);
                    }
                }
            }
            return out;
        }
        Affine ta = target.affine;
        double[] q = new double[3];
        int p = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++, p++) {
                    q[0] = ta.get(0, 0) * i + ta.get(0, 1) * j + ta.get(0, 2) * k + ta.get(0, 3);
                    q[1] = ta.get(1, 0) * i + ta.get(1, 1) * j + ta.get(1, 2) * k + ta.get(1, 3);
                    q[2] = ta.get(2, 0) * i + ta.get(2, 1) * j + ta.get(2, 2) * k + ta.get(2, 3);
                    t.map(q);
                    double ci = srcInv.get(0, 0) * q[0] + srcInv.get(0, 1) * q[1] + srcInv.get(0, 2) * q[2] + srcInv.get(0, 3);
                    double cj = srcInv.get(1, 0) * q[0] + srcInv.get(1, 1) * q[1] + srcInv.get(1, 2) * q[2] + srcInv.get(1, 3);
                    double ck = srcInv.get(2, 0) * q[0] + srcInv.get(2, 1) * q[1] + srcInv.get(2, 2) * q[2] + srcInv.get(2, 3);
                    out[p] = nearest ? nearest(src, srcGrid, ci, cj, ck, outside) : linear(src, srcGrid, ci, cj, ck, outside);
                }
            }
        }
        return out;
    }

    /** Nearest neighbour at continuous voxel coordinates (rounding half up, as ITK). */
    public static double nearest(double[] v, Grid g, double ci, double cj, double ck, double outside) {
        double fi = Math.floor(ci + 0.5), fj = Math.floor(cj + 0.5), fk = Math.floor(ck + 0.5);
        if (!(fi >= 0 && fj >= 0 && fk >= 0 && fi < g.nx && fj < g.ny && fk < g.nz)) return outside;
        return v[(int) fi + g.nx * ((int) fj + g.ny * (int) fk)];
    }

    /** Trilinear at continuous voxel coordinates; neighbours beyond the edge clamp to it. */
    public static double linear(double[] v, Grid g, double ci, double cj, double ck, double outside) {
        int nx = g.nx, ny = g.ny, nz = g.nz;
        if (!(ci >= -0.5 && cj >= -0.5 && ck >= -0.5 && ci <= nx - 0.5 && cj <= ny - 0.5 && ck <= nz - 0.5)) return outside;
        int i0 = (int) Math.floor(ci), j0 = (int) Math.floor(cj), k0 = (int) Math.floor(ck);
        double fx = ci - i0, fy = cj - j0, fz = ck - k0;
        int ia = i0 < 0 ? 0 : i0, ib = i0 + 1 >= nx ? nx - 1 : i0 + 1;
        int ja = j0 < 0 ? 0 : j0, jb = j0 + 1 >= ny ? ny - 1 : j0 + 1;
        int ka = k0 < 0 ? 0 : k0, kb = k0 + 1 >= nz ? nz - 1 : k0 + 1;
        // no upper clamp for ia, no lower one for ib: inside means i0 = floor(ci) <= floor(nx - 0.5) = nx - 1 and
        // i0 >= floor(-0.5) = -1, so ia <= nx - 1 and ib >= 0 already
        int sa = nx * (ja + ny * ka), sb = nx * (jb + ny * ka), sc = nx * (ja + ny * kb), sd = nx * (jb + ny * kb);
        double c00 = v[ia + sa] + (v[ib + sa] - v[ia + sa]) * fx;
        double c10 = v[ia + sb] + (v[ib + sb] - v[ia + sb]) * fx;
        double c01 = v[ia + sc] + (v[ib + sc] - v[ia + sc]) * fx;
        double c11 = v[ia + sd] + (v[ib + sd] - v[ia + sd]) * fx;
        double c0 = c00 + (c10 - c00) * fy;
        double c1 = c01 + (c11 - c01) * fy;
        return c0 + (c1 - c0) * fz;
    }
}
