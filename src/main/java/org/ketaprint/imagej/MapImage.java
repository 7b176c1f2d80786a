package org.ketaprint.imagej;

import java.nio.file.Path;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/** A 3D float map held in memory (e.g. FA of a tensor fit) seen as a ketaprint {@link Image}. */
final class MapImage implements Image {
    private final Path path;
    private final Grid grid;
    private final float[] data;

    MapImage(Path path, Grid grid, float[] data) {
        if (data.length != grid.size()) throw new IllegalArgumentException("map size " + data.length + " != grid " + grid.size());
        this.path = path;
        this.grid = grid;
        this.data = data;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long[] shape() {
        return new long[] {grid.nx, grid.ny, grid.nz};
    }

    @Override
    public Affine affine() {
        return grid.affine;
    }

    @Override
    public Grid grid() {
        return grid;
    }

    @Override
    public long volumes() {
        return 1;
    }

    @Override
    public double repetitionTime() {
        return Double.NaN;
    }

    @Override
    public float[] readVolume(long t) {
        if (t != 0) throw new IllegalArgumentException("no volume " + t);
        return data;
    }

    @Override
    public double[] readVolumeDouble(long t) {
        float[] f = readVolume(t);
        double[] d = new double[f.length];
        for (int p = 0; p < f.length; p++) d[p] = f[p];
        return d;
    }

    @Override
    public String datatypeName() {
        return "float32";
    }

    @Override
    public boolean floatingPoint() {
        return true;
    }
}
