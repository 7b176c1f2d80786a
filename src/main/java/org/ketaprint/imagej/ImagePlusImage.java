package org.ketaprint.imagej;

import ij.ImagePlus;
import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/**
 * An open ImagePlus seen as a ketaprint {@link Image}, so the processors run on the image in front of the
 * user (including edits not yet saved). Voxel order and affine as {@link ImagePlusNifti} defines them.
 */
public final class ImagePlusImage implements Image {
    private final ImagePlus imp;
    private final Affine affine;

    public ImagePlusImage(ImagePlus imp) {
        if (imp == null) throw new KetaprintException("no image is open");
        if (imp.getBitDepth() == 24) throw new KetaprintException(imp.getTitle() + ": RGB images are not brain scans; convert to 8, 16 or 32-bit");
        if (imp.getNChannels() > 1) throw new KetaprintException(imp.getTitle() + ": has " + imp.getNChannels() + " channels; split them first");
        this.imp = imp;
        this.affine = ImagePlusNifti.affine(imp);
    }

    public ImagePlus imagePlus() {
        return imp;
    }

    /** The file it came from, or its title when it has none (used in messages). */
    @Override
    public Path path() {
        String src = imp.getProp(ImagePlusNifti.SOURCE);
        return Path.of(src != null && ImagePlusNifti.hasStoredAffine(imp) ? src : imp.getTitle());
    }

    @Override
    public long[] shape() {
        int nt = imp.getNFrames();
        return nt > 1 ? new long[] {imp.getWidth(), imp.getHeight(), imp.getNSlices(), nt}
            : new long[] {imp.getWidth(), imp.getHeight(), imp.getNSlices()};
    }

    @Override
    public Affine affine() {
        return affine;
    }

    @Override
    public Grid grid() {
        return new Grid(new int[] {imp.getWidth(), imp.getHeight(), imp.getNSlices()}, affine);
    }

    @Override
    public long volumes() {
        return imp.getNFrames();
    }

    @Override
    public double repetitionTime() {
        double f = imp.getCalibration().frameInterval;
        return imp.getNFrames() > 1 && f > 0 ? f : Double.NaN;
    }

    @Override
    public float[] readVolume(long t) {
        check(t);
        return ImagePlusNifti.volume(imp, 0, (int) t);
    }

    @Override
    public double[] readVolumeDouble(long t) {
        float[] f = readVolume(t);
        double[] d = new double[f.length];
        for (int p = 0; p < f.length; p++) d[p] = f[p];
        return d;
    }

    private void check(long t) {
        if (t < 0 || t >= imp.getNFrames()) throw new KetaprintException(imp.getTitle() + ": no volume " + t);
    }

    @Override
    public String datatypeName() {
        return switch (imp.getBitDepth()) {
            case 8 -> "uint8";
            case 16 -> "uint16";
            default -> "float32";
        };
    }

    @Override
    public boolean floatingPoint() {
        return imp.getBitDepth() == 32;
    }
}
