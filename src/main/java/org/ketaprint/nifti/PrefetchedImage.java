package org.ketaprint.nifti;

import java.nio.file.Path;
import org.ketaprint.KetaprintException;

/**
 * A 4D image inflated once, in order, into memory by a background thread, so reading overlaps computation: a
 * reader of volume t waits only until volume t is in. Holds every volume (float32) until it is dropped.
 */
public final class PrefetchedImage implements Image {
    private final NiftiImage source;
    private final float[][] volumes;
    private int ready;
    private RuntimeException error;

    private PrefetchedImage(NiftiImage source) {
        this.source = source;
        long n = source.volumes();
        if (n > Integer.MAX_VALUE) throw new KetaprintException(source.path() + ": too many volumes to hold");
        this.volumes = new float[(int) n][];
    }

    /** Starts inflating {@code source} on a daemon thread and returns at once. */
    public static PrefetchedImage start(NiftiImage source) {
        PrefetchedImage p = new PrefetchedImage(source);
        Thread t = new Thread(p::load, "ketaprint-prefetch " + source.path().getFileName());
        t.setDaemon(true);
        t.start();
        return p;
    }

    private void load() {
        try {
            source.forEachVolume((t, vol) -> {
                synchronized (this) {
                    volumes[(int) t] = vol.clone();
                    ready = (int) t + 1;
                    notifyAll();
                }
            });
        } catch (Throwable e) {   // an Error too: a waiting reader must not wait forever
            synchronized (this) {
                error = e instanceof RuntimeException r ? r : new KetaprintException(source.path() + ": read failed: " + e);
                notifyAll();
            }
        }
    }

    /** The NIfTI file image behind {@code img} (itself, or a prefetch's source); null for other images. */
    public static NiftiImage nifti(Image img) {
        return img instanceof NiftiImage ni ? ni : img instanceof PrefetchedImage p ? p.source : null;
    }

    /** The file's image (header, geometry) being read. */
    public NiftiImage source() {
        return source;
    }

    /** Volume t as a fresh array, once the background read has reached it; its read error, if it failed first. */
    @Override
    public float[] readVolume(long t) {
        if (t < 0 || t >= volumes.length) throw new IllegalArgumentException("volume " + t + " of " + volumes.length);
        synchronized (this) {
            while (ready <= t && error == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KetaprintException(source.path() + ": interrupted while reading");
                }
            }
            if (ready <= t) throw error instanceof KetaprintException k ? new KetaprintException(k.getMessage()) : error;
            return volumes[(int) t].clone();
        }
    }

    @Override
    public double[] readVolumeDouble(long t) {
        float[] f = readVolume(t);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override
    public Path path() {
        return source.path();
    }

    @Override
    public long[] shape() {
        return source.shape();
    }

    @Override
    public Affine affine() {
        return source.affine();
    }

    @Override
    public Grid grid() {
        return source.grid();
    }

    @Override
    public long volumes() {
        return volumes.length;
    }

    @Override
    public double repetitionTime() {
        return source.repetitionTime();
    }

    @Override
    public String datatypeName() {
        return source.datatypeName();
    }

    @Override
    public boolean floatingPoint() {
        return source.floatingPoint();
    }
}
