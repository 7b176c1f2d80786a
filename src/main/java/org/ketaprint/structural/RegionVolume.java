package org.ketaprint.structural;

/**
 * The volume of one label: its voxel count times the voxel volume (|det| of the affine's 3x3), as
 * {@code fslstats -V} and {@code mri_segstats} without {@code --pv} report it.
 *
 * @param name the label's name from the lookup table, or null when the table has none
 */
public record RegionVolume(int label, String name, long voxels, double volumeMm3) {
    /** True when the label has no voxels (volume 0: a warning, not an error). */
    public boolean empty() {
        return voxels == 0;
    }
}
