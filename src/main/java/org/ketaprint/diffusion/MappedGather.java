package org.ketaprint.diffusion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.stream.IntStream;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.NiftiHeader;
import org.ketaprint.nifti.NiftiImage;

/**
 * Reads only the mask voxels of an uncompressed single-file NIfTI, straight from a memory map, one
 * volume per task on all cores. Values are decoded and scaled as NiftiImage.readVolume does them
 * (to double, times scl_slope plus scl_inter, then float32).
 */
final class MappedGather {
    private MappedGather() {
    }

    /**
     * A DWI the fit cannot map (.nii.gz, other types) inflated once on a background thread, so the mask is computed
     * from its first volumes while the rest is read; else {@code img} itself.
     */
    static Image readAhead(Image img) {
        return img instanceof NiftiImage ni && !supported(ni) && ni.volumes() > 1
            ? org.ketaprint.nifti.PrefetchedImage.start(ni) : img;
    }

    static boolean supported(Image img) {
        if (!(img instanceof NiftiImage ni)) return false;
        NiftiHeader h = ni.header();
        String name = ni.path().getFileName().toString().toLowerCase(Locale.ROOT);
        DataType t = h.datatype;
        boolean type = t == DataType.UINT8 || t == DataType.INT16 || t == DataType.UINT16 || t == DataType.INT32
            || t == DataType.FLOAT32 || t == DataType.FLOAT64;
        return h.singleFile && name.endsWith(".nii") && type && h.voxelsPerVolume() * t.bytes <= Integer.MAX_VALUE;
    }

    /** Fills sig volume-major: voxel i, volume t at {@code sig[t * vox.length + i]}. */
    static void gather(NiftiImage img, int[] vox, int volumes, float[] sig) {
        NiftiHeader h = img.header();
        DataType type = h.datatype;
        long nv = h.voxelsPerVolume();
        double[] sc = h.scaling();
        double slope = sc == null ? 1 : sc[0], inter = sc == null ? 0 : sc[1];
        boolean scaled = sc != null;
        int count = vox.length;
        try (FileChannel fc = FileChannel.open(img.path(), StandardOpenOption.READ)) {
            IntStream.range(0, volumes).parallel().forEach(t -> {
                ByteBuffer b;
                try {
                    b = fc.map(FileChannel.MapMode.READ_ONLY, h.voxOffset + t * nv * type.bytes, nv * type.bytes).order(h.order);
                } catch (IOException e) {
                    throw new KetaprintException(img.path() + ": cannot read volume " + t + ": " + e.getMessage(), e);
                }
                int o = t * count;
                for (int i = 0; i < count; i++) {
                    int p = vox[i];
                    double x = switch (type) {
                        case UINT8 -> b.get(p) & 0xff;
                        case INT16 -> b.getShort(2 * p);
                        case UINT16 -> b.getShort(2 * p) & 0xffff;
                        case INT32 -> b.getInt(4 * p);
                        case FLOAT32 -> b.getFloat(4 * p);
                        default -> b.getDouble(8 * p);
                    };
                    sig[o + i] = (float) (scaled ? x * slope + inter : x);
                }
            });
        } catch (IOException e) {
            throw new KetaprintException(img.path() + ": cannot read: " + e.getMessage(), e);
        }
    }
}
