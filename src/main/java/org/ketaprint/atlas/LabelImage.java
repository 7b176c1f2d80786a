package org.ketaprint.atlas;

import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/**
 * What every door checks of a label image (an atlas) before resampling it: an affine that places its voxels
 * in the world (finite, invertible), and labels that are integers in the int range, refused as {@code volumes}
 * refuses them ({@code structural.LabelCounts}): one line naming the file, the value and its voxel.
 */
public final class LabelImage {
    private LabelImage() {
    }

    /**
     * Fails with one line naming {@code img} when its affine has a non-finite entry or a singular 3x3 part
     * (its voxels then have no place in the world, and resampling through it is impossible).
     */
    public static void requirePlaceable(Image img) {
        Affine a = img.grid().affine;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                if (!Double.isFinite(a.get(r, c))) {
                    throw new KetaprintException(img.path() + ": the affine (sform/qform) has a non-finite entry ("
                        + a.get(r, c) + " at row " + r + ", column " + c + "); its voxels cannot be placed in the world");
                }
            }
        }
        double det = a.det3();
        if (det == 0 || !Double.isFinite(det) || !Double.isFinite(1 / det)) {
            throw new KetaprintException(img.path() + ": the affine (sform/qform) is singular (determinant " + det
                + "); its voxels cannot be placed in the world");
        }
    }

    /**
     * The first volume of a label image, checked: a placeable affine ({@link #requirePlaceable}) and every value an
     * integer within the int range (NaN, 2.5 and 1e10 are refused, naming the first such voxel).
     */
    public static double[] read(Image img) {
        requirePlaceable(img);
        double[] v = img.readVolumeDouble(0);
        Grid g = img.grid();
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE) {
                String why = x != Math.rint(x) ? "is not an integer" : "is outside the int range of labels";
                throw new KetaprintException(img.path() + ": not a label image: value " + x + " at voxel (" + (i % g.nx)
                    + "," + (i / g.nx) % g.ny + "," + i / (g.nx * g.ny) + ") " + why);
            }
        }
        return v;
    }

    /** The checked labels ({@link #read}) of {@code img} on {@code grid} by nearest neighbour through both affines; 0 outside. */
    public static int[] onGrid(Image img, Grid grid) {
        double[] v = read(img);
        return toInts(grid.resampleNearest(img.grid(), v, 0));
    }

    /** Checked labels (integral, in range) as ints. */
    public static int[] toInts(double[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) out[i] = (int) labels[i];
        return out;
    }
}
