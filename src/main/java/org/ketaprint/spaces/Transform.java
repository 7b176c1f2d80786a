package org.ketaprint.spaces;

import org.ketaprint.nifti.Affine;

/**
 * A spatial transform in ITK's "image mode" direction: it maps a point of the reference (fixed, output)
 * space to the moving (input) space, which is what resampling needs. Points are RAS+ world mm, as in
 * NIfTI; readers convert ITK's LPS on the way in.
 */
public interface Transform {
    /** Maps {@code p} (x, y, z in RAS mm, reference space) to the moving space, in place. */
    void map(double[] p);

    /** The 4x4 RAS point map when the transform is linear, else null. */
    default Affine linear() {
        return null;
    }

    /** Where it came from, for messages and provenance. */
    String source();
}
