package org.ketaprint.structural;

import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Image;

/**
 * Volume of a probability map (FSL FAST/FIRST partial volumes, fMRIPrep {@code *_probseg}): the sum of
 * the probabilities times the voxel volume.
 */
public final class ProbsegVolume {
    /** Values this far outside [0, 1] are an error (resampling leaves tiny overshoots). */
    static final double TOLERANCE = 1e-3;

    private ProbsegVolume() {
    }

    /** Volume in mm^3 of a 3D probability map. */
    public static double sum(Image prob) {
        if (prob.volumes() != 1) {
            throw new KetaprintException(prob.path() + ": has " + prob.volumes() + " volumes; expected one 3D probability map");
        }
        return sumEach(prob)[0];
    }

    /** Volume in mm^3 of each volume of a 3D or 4D probability map, in one pass over the file (a full read). */
    public static double[] sumEach(Image prob) {
        double vv = prob.grid().voxelVolume();
        double[] out = new double[(int) prob.volumes()];
        prob.forEachVolumeDouble((tt, v) -> {
            int t = (int) tt;
            double s = 0;
            double comp = 0;
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                if (!(x >= -TOLERANCE && x <= 1 + TOLERANCE)) {
                    throw new KetaprintException(prob.path() + ": not a probability map: value " + x
                        + " at voxel " + i + (out.length > 1 ? " of volume " + t : "") + " is outside [0, 1]");
                }
                double y = x - comp;
                double u = s + y;
                comp = (u - s) - y;
                s = u;
            }
            out[t] = s * vv;
        });
        return out;
    }
}
