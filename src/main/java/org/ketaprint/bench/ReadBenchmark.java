package org.ketaprint.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.NiftiImage;

/**
 * Times {@link NiftiImage#readFloat()} on one file: warm-up reads, then {@code repeat} timed reads, each
 * after a GC with the memory peaks reset. The timed section is load (header) plus readFloat; the checksum
 * (sum of the finite values, and the count of the others) that proves the data was read is computed outside it.
 */
public final class ReadBenchmark {
    private ReadBenchmark() {
    }

    /** One timed read. */
    public record Run(long nanos, long heapBaseline, long heapPeak, long rssPeak) {
    }

    /** All timed reads of one file. */
    public record Result(Path file, long voxels, long dataBytes, double checksum, long nonfinite, List<Run> runs) {
        public long bestNanos() {
            return sortedNanos()[0];
        }

        /** The median time (mean of the middle two for an even count). */
        public double medianNanos() {
            long[] s = sortedNanos();
            int m = s.length / 2;
            return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
        }

        /** Data bytes per second in GB/s (10^9 bytes) for a time in ns. */
        public double gbPerSecond(double nanos) {
            return dataBytes / nanos;
        }

        /** Largest heap peak over the runs. */
        public long heapPeak() {
            return runs.stream().mapToLong(Run::heapPeak).max().orElse(-1);
        }

        /** Largest process peak RSS over the runs, -1 if unknown. */
        public long rssPeak() {
            return runs.stream().mapToLong(Run::rssPeak).max().orElse(-1);
        }

        /** Heap peak over the size of the float32 array. */
        public double heapRatio() {
            return heapPeak() / (double) dataBytes;
        }

        private long[] sortedNanos() {
            long[] s = runs.stream().mapToLong(Run::nanos).toArray();
            Arrays.sort(s);
            return s;
        }
    }

    /** Benchmarks reading {@code file} as float32: {@code warmup} untimed reads, then {@code repeat} timed ones. */
    public static Result run(Path file, int repeat, int warmup) {
        if (repeat < 1) throw new KetaprintException("bench-read: --repeat must be at least 1, got " + repeat);
        if (warmup < 0) throw new KetaprintException("bench-read: --warmup must be at least 0, got " + warmup);
        NiftiImage probe = NiftiImage.load(file);
        long voxels = probe.header().totalVoxels();
        long bytes = voxels * Float.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && bytes > max) {
            throw new KetaprintException(file + ": needs " + mb(bytes) + " MB of heap for the float32 data but the JVM has "
                + mb(max) + " MB; raise it, e.g. KETAPRINT_JAVA_OPTS=-Xmx" + (bytes * 3 / 2 / (1 << 30) + 1) + "g");
        }
        try {
            for (int i = 0; i < warmup; i++) NiftiImage.load(file).readFloat();
            MemoryPeaks mem = new MemoryPeaks();
            List<Run> runs = new ArrayList<>();
            double checksum = 0;
            long nonfinite = 0;
            for (int i = 0; i < repeat; i++) {
                long base = mem.reset();
                long t0 = System.nanoTime();
                float[] data = NiftiImage.load(file).readFloat();
                long dt = System.nanoTime() - t0;
                runs.add(new Run(dt, base, mem.heapPeak(), mem.rssPeak()));
                checksum = sum(data);
                nonfinite = nonfinite(data);
            }
            return new Result(file, voxels, bytes, checksum, nonfinite, List.copyOf(runs));
        } catch (OutOfMemoryError e) {
            throw new KetaprintException(file + ": out of heap reading " + mb(bytes) + " MB of float32 data (JVM max "
                + mb(max) + " MB); raise it, e.g. KETAPRINT_JAVA_OPTS=-Xmx" + (bytes * 3 / 2 / (1 << 30) + 1) + "g");
        }
    }

    /** Sum of the finite values in double precision: lets a caller check the data against another reader. */
    static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            if (Float.isFinite(x)) s += x;
        }
        return s;
    }

    static long nonfinite(float[] v) {
        long n = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) n++;
        }
        return n;
    }

    private static long mb(long b) {
        return b >> 20;
    }
}
