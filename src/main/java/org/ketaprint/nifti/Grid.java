package org.ketaprint.nifti;

/** A 3D voxel grid: its size and its voxel-to-world affine. */
public final class Grid {
    public final int nx;
    public final int ny;
    public final int nz;
    public final Affine affine;

    public Grid(int[] dims, Affine affine) {
        this.nx = dims[0];
        this.ny = dims[1];
        this.nz = dims[2];
        this.affine = affine;
    }

    public int[] dims() {
        return new int[] {nx, ny, nz};
    }

    public int size() {
        return nx * ny * nz;
    }

    public int index(int i, int j, int k) {
        return i + nx * (j + ny * k);
    }

    /** Same dims and affines equal within {@code tol} mm. */
    public boolean sameAs(Grid o, double tol) {
        return nx == o.nx && ny == o.ny && nz == o.nz && affine.equalsWithin(o.affine, tol);
    }

    /** Same grid with the default tolerance of 1e-3 mm (float32 headers). */
    public boolean sameAs(Grid o) {
        return sameAs(o, 1e-3);
    }

    public double voxelVolume() {
        return affine.voxelVolume();
    }

    /** Voxel coordinates (continuous) of a world point. */
    public double[] toVoxel(double x, double y, double z) {
        return affine.inverse().apply(x, y, z);
    }

    /**
     * Resamples {@code values} given on {@code source} onto this grid by nearest neighbour through both
     * affines; points outside the source get {@code outside}.
     */
    public double[] resampleNearest(Grid source, double[] values, double outside) {
        Affine m = source.affine.inverse().multiply(affine);
        double[] out = new double[size()];
        int p = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++, p++) {
                    double[] v = m.apply(i, j, k);
                    long si = (long) Math.floor(v[0] + 0.5);
                    long sj = (long) Math.floor(v[1] + 0.5);
                    long sk = (long) Math.floor(v[2] + 0.5);
                    if (si < 0 || sj < 0 || sk < 0 || si >= source.nx || sj >= source.ny || sk >= source.nz) {
                        out[p] = outside;
                    } else {
                        out[p] = values[source.index((int) si, (int) sj, (int) sk)];
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return nx + "x" + ny + "x" + nz;
    }
}
