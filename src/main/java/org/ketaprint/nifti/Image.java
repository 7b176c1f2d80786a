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

    /**
     * One 3D volume, scaled, float32. Reading the last volume (the only one of a 3D image) is a full read, which for a
     * gzip file checks every member's CRC32 and ISIZE; an earlier volume of a 4D gzip file is a partial read.
     */
    float[] readVolume(long t);

    /** One 3D volume, scaled, float64 (exact for integer labels); full or partial read as {@link #readVolume}. */
    double[] readVolumeDouble(long t);

    /** Volumes read in order, one after the other. */
    interface VolumeCursor extends AutoCloseable {
        /** The next volume (0, 1, ...), scaled, float64, in an array the next call may reuse. */
        double[] next();

        @Override
        void close();
    }

    /**
     * Reads the volumes in order in one pass over the file (for gzip: one inflation, not one per volume), holding one
     * volume at a time; reading the last one completes a full, checked read. The default reads each with
     * {@link #readVolumeDouble}.
     */
    default VolumeCursor volumeCursor() {
        return new VolumeCursor() {
            private long t;

            @Override
            public double[] next() {
                return readVolumeDouble(t++);
            }

            @Override
            public void close() {
                // nothing held open
            }
        };
    }

    /** Receives volumes in order; the array may be reused between calls. */
    @FunctionalInterface
    interface DoubleVolumeVisitor {
        void visit(long t, double[] volume);
    }

    /** Every volume in order through {@link #volumeCursor}, as float64: a full read. */
    default void forEachVolumeDouble(DoubleVolumeVisitor v) {
        try (VolumeCursor c = volumeCursor()) {
            for (long t = 0; t < volumes(); t++) v.visit(t, c.next());
        }
    }

    /** Name of the stored datatype ("uint8", "int16", "float32", ...). */
    String datatypeName();

    /** True when the stored type is floating point. */
    boolean floatingPoint();
}
