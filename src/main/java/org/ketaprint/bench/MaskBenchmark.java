package org.ketaprint.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.ketaprint.KetaprintException;
import org.ketaprint.diffusion.BrainMask;
import org.ketaprint.diffusion.Gradients;
import org.ketaprint.diffusion.MedianFilter;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.NiftiImage;

/**
 * Times median_otsu (BrainMask): mean of the b0 volumes, median filter passes, Otsu threshold. The b0 volumes are read
 * into memory first (not timed), as DIPY's median_otsu gets an array already loaded. {@code select} times the
 * per-voxel quickselect filter (the implementation before the rank window) instead.
 */
public final class MaskBenchmark {
    private MaskBenchmark() {
    }

    /**
     * All timed runs: wall time and the process's CPU time (all threads, -1 if unknown); the mask's voxel count and
     * CRC-32 (uint8 0/1, x fastest) identify it.
     */
    public record Result(Path file, int[] dims, int b0s, String filter, long[] nanos, long[] cpuNanos, long maskVoxels,
        long crc32) {
        public long bestNanos() {
            return sorted()[0];
        }

        /** The median time (mean of the middle two for an even count). */
        public double medianNanos() {
            long[] s = sorted();
            int m = s.length / 2;
            return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
        }

        private long[] sorted() {
            long[] s = nanos.clone();
            Arrays.sort(s);
            return s;
        }
    }

    public static Result run(Path dwi, Path bval, Path bvec, int repeat, int warmup, boolean select) {
        if (repeat < 1) throw new KetaprintException("bench-mask: --repeat must be at least 1, got " + repeat);
        if (warmup < 0) throw new KetaprintException("bench-mask: --warmup must be at least 0, got " + warmup);
        NiftiImage img = NiftiImage.load(dwi);
        Gradients g = Gradients.read(bval, bvec, img);
        int[] b0 = g.b0Indices();
        float[][] vols = new float[b0.length][];
        for (int i = 0; i < b0.length; i++) vols[i] = img.readVolume(b0[i]);
        Grid grid = img.grid();
        boolean[] mask = null;
        for (int i = 0; i < warmup; i++) mask = mask(vols, grid, select);
        long[] nanos = new long[repeat];
        long[] cpu = new long[repeat];
        for (int i = 0; i < repeat; i++) {
            System.gc();
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            mask = mask(vols, grid, select);
            nanos[i] = System.nanoTime() - t0;
            cpu[i] = c0 < 0 ? -1 : cpuNanos() - c0;
        }
        long n = 0;
        CRC32 crc = new CRC32();
        for (boolean b : mask) {
            if (b) n++;
            crc.update(b ? 1 : 0);
        }
        return new Result(dwi, grid.dims(), b0.length, select ? "quickselect" : "rank-window", nanos, cpu, n,
            crc.getValue());
    }

    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    }

    static boolean[] mask(float[][] b0s, Grid grid, boolean select) {
        double[] f = BrainMask.mean(b0s);
        if (!select) return BrainMask.medianOtsu(f, grid, BrainMask.DEFAULT_RADIUS, BrainMask.DEFAULT_PASSES);
        for (int i = 0; i < BrainMask.DEFAULT_PASSES; i++) f = MedianFilter.medianSelect(f, grid, BrainMask.DEFAULT_RADIUS);
        return BrainMask.threshold(f);
    }
}
