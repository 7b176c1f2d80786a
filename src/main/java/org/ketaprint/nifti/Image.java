package org.ketaprint.nifti;

import java.nio.file.Path;

/** What every image format offers (NIfTI, Analyze, MGH/MGZ): shape, affine, data read on request. */
public interface Image {
    Path path();

    /** All dims (3 or more). */
    long[] shape();

    Affine affine();

    /** The spatial grid: first three dims and the affine. */
    Grid grid();

    /** Number of 3D volumes (product of dims 4 and up). */
    long volumes();

    /** Repetition time in seconds, NaN when unknown or 3D. */
    double repetitionTime();

    /** One 3D volume, scaled, float32. */
    float[] readVolume(long t);

    /** One 3D volume, scaled, float64 (exact for integer labels). */
    double[] readVolumeDouble(long t);

    /** Name of the stored datatype ("uint8", "int16", "float32", ...). */
    String datatypeName();

    /** True when the stored type is floating point. */
    boolean floatingPoint();
}
