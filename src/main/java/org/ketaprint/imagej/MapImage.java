package org.ketaprint.imagej;

import ij.ImagePlus;
import ij.measure.Calibration;
import java.nio.file.Path;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.NiftiHeader;
import org.ketaprint.nifti.NiftiImage;

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

    /**
     * A map on {@code grid} as an ImagePlus (rows flipped as {@link ImagePlusNifti} does) titled {@code title}:
     * the calibration of the open image {@code like} (no frame interval) when there is one, the affine of the
     * grid, the sform/qform codes of {@code like} or of the NIfTI {@code source}, and as source file
     * {@code written} (null: none, the map is not saved).
     */
    static ImagePlus imagePlus(float[] data, Grid grid, String title, ImagePlus like, Image source, Path written) {
        ImagePlus imp = ImagePlusNifti.toImagePlus(new MapImage(Path.of(title), grid, data));
        imp.setTitle(title);
        String codes = null;
        if (like != null) {
            Calibration c = like.getCalibration().copy();
            c.frameInterval = 0;
            imp.setCalibration(c);
            codes = like.getProp(ImagePlusNifti.CODES);
        }
        if (codes == null && source instanceof NiftiImage n) {
            NiftiHeader h = n.header();
            int s = h.sformCode > 0 ? h.sformCode : (h.qformCode > 0 ? h.qformCode : 2);
            codes = s + " " + (h.qformCode > 0 ? h.qformCode : s);
        }
        if (codes != null) imp.setProp(ImagePlusNifti.CODES, codes);
        imp.setProp(ImagePlusNifti.SOURCE, written == null ? null : written.toAbsolutePath().toString());
        return imp;
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
