package org.ketaprint.roi;

import java.nio.file.Path;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.spaces.SpaceAlignment;

/**
 * An ROI placed on a data grid by {@link RoiPlacement}: the grid voxels it covers ({@link Grid#index}
 * order, x fastest, ascending) with a weight each (1.0 for the binary ROIs of today; a probabilistic ROI
 * would carry its probabilities), and the alignment that brought it there. The arrays are the record's
 * own: do not modify them.
 *
 * @param spec      what was placed
 * @param grid      the data grid
 * @param roiSpace  the space the ROI was defined in
 * @param alignment how ROI space met the data's (identity, MNI variants with a note, or a transform file)
 * @param voxels    grid indices inside the ROI, ascending
 * @param weights   one weight per voxel
 */
public record PlacedRoi(RoiSpec spec, Grid grid, String roiSpace, SpaceAlignment alignment, int[] voxels, double[] weights) {
    public PlacedRoi {
        if (voxels.length != weights.length) {
            throw new IllegalArgumentException(voxels.length + " voxels but " + weights.length + " weights");
        }
    }

    /** Number of voxels. */
    public int size() {
        return voxels.length;
    }

    public boolean isEmpty() {
        return voxels.length == 0;
    }

    /** Membership of every grid voxel. */
    public boolean[] mask() {
        boolean[] in = new boolean[grid.size()];
        for (int v : voxels) in[v] = true;
        return in;
    }

    /** The QC label image on the data grid: the weight inside the ROI (1 for binary ROIs), 0 outside. */
    public double[] labelImage() {
        double[] out = new double[grid.size()];
        for (int i = 0; i < voxels.length; i++) out[voxels[i]] = weights[i];
        return out;
    }

    /** Writes {@link #labelImage()} as a NIfTI with {@code data}'s geometry ({@link SpaceAlignment#writeLabels}). */
    public void writeLabels(Path out, Image data) {
        writeLabels(out, data, org.ketaprint.nifti.Compression.DEFAULT);
    }

    /** {@link #writeLabels(Path, Image)} gzipped at {@code c}'s level when {@code out} ends in .gz. */
    public void writeLabels(Path out, Image data, org.ketaprint.nifti.Compression c) {
        SpaceAlignment.writeLabels(out, data, labelImage(), c);
    }

    /** True when a transform (not the identity) brought the ROI onto the grid. */
    public boolean transformed() {
        return !alignment.isIdentity();
    }

    /** The transform file used, or null. */
    public Path transformFile() {
        return alignment.file();
    }

    /** The alignment's note (MNI variants matched without a transform), or null. */
    public String note() {
        return alignment.note();
    }

    /** "spec: N voxels on GRID [via FILE]", for logs. */
    public String describe() {
        return spec.spec() + ": " + voxels.length + " voxels on the " + grid + " grid"
            + (alignment.file() != null ? " via " + alignment.file().getFileName()
                : transformed() ? " via " + alignment.chain().describe() : "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
