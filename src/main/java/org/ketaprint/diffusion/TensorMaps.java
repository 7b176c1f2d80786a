package org.ketaprint.diffusion;

import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Grid;

/**
 * What the diffusion measures read: FA/MD (and AD/RD when fitted) on one grid, the atlas labels brought
 * to that grid, their names, and the voxels that count (brain mask, FA threshold).
 *
 * @param ad null for precomputed FA/MD maps
 * @param rd null for precomputed FA/MD maps
 * @param labels atlas label of every voxel of {@code grid}
 * @param use voxels included in every statistic
 * @param atlasName the atlas's name, for messages
 */
public record TensorMaps(Grid grid, float[] fa, float[] md, float[] ad, float[] rd, int[] labels, LabelTable table,
                         boolean[] use, String atlasName) {
    /** A map by name: fa, md, ad, rd (null when not available). */
    public float[] map(String name) {
        return switch (name) {
            case "fa" -> fa;
            case "md" -> md;
            case "ad" -> ad;
            case "rd" -> rd;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
