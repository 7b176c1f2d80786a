package org.ketaprint.structural;

import org.ketaprint.nifti.Image;

/**
 * Intracranial volume and where it came from: FreeSurfer's eTIV when an aseg.stats is given, otherwise
 * the volume of a brain mask, otherwise the volume of all non-zero labels.
 *
 * @param source a sentence for the data dictionary naming the source
 */
public record IcvEstimate(double mm3, String source) {
    /** eTIV of an aseg.stats; null when it has none. */
    public static IcvEstimate fromAsegStats(AsegStats s) {
        double e = s.etivMm3();
        if (Double.isNaN(e)) return null;
        return new IcvEstimate(e, "eTIV (EstimatedTotalIntraCranialVol) from " + s.path());
    }

    /** Non-zero voxels of a mask x voxel volume. */
    public static IcvEstimate fromMask(Image mask) {
        if (mask.volumes() != 1) {
            throw new org.ketaprint.KetaprintException(mask.path() + ": a mask must be 3D, this has "
                + mask.volumes() + " volumes");
        }
        long n = 0;
        for (double v : mask.readVolumeDouble(0)) {
            if (v != 0 && !Double.isNaN(v)) n++;
        }
        return new IcvEstimate(n * mask.grid().voxelVolume(),
            "brain mask volume (non-zero voxels x voxel volume) of " + mask.path());
    }

    /** All non-zero labels x voxel volume. */
    public static IcvEstimate fromLabels(Image seg) {
        LabelCounts c = LabelCounts.of(seg);
        return new IcvEstimate(c.nonZeroVoxels() * c.voxelVolume(),
            "volume of all non-zero labels (voxel count x voxel volume) of " + seg.path());
    }

    /**
     * The first source available: eTIV from {@code stats}, then {@code mask} (its grid must be {@code seg}'s),
     * then all non-zero labels of {@code seg}. Either of stats and mask may be null.
     */
    public static IcvEstimate choose(AsegStats stats, Image mask, Image seg) {
        if (stats != null) {
            IcvEstimate e = fromAsegStats(stats);
            if (e != null) return e;
        }
        if (mask != null) {
            if (seg != null) LabelCounts.requireSameGrid(seg, mask);
            return fromMask(mask);
        }
        return fromLabels(seg);
    }
}
