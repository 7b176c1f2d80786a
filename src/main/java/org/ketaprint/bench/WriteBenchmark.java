package org.ketaprint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Compression;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Times writing maps with {@link NiftiWriter}: the maps are read into float32 arrays first, then written one after
 * the other (as a stage writes its maps) {@code warmup} times untimed and {@code repeat} times timed, each after a GC
 * with the memory peaks reset. Threads: {@link NiftiWriter#gzipThreads()}.
 */
public final class WriteBenchmark {
    private WriteBenchmark() {
    }

    /** One timed write of all maps: time, process CPU time (all threads; -1 unknown), heap before it, heap peak. */
    public record Run(long nanos, long cpuNanos, long heapBaseline, long heapPeak) {
    }

    /** All timed writes; {@code fileBytes} is the size of the files written (the last run's). */
    public record Result(List<Path> maps, Compression compression, int threads, long dataBytes, long fileBytes, List<Run> runs) {
        public long bestNanos() {
            return sorted()[0];
        }

        /** The median time (mean of the middle two for an even count). */
        public double medianNanos() {
            long[] s = sorted();
            int m = s.length / 2;
            return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
        }

        /** The median of the runs' CPU time over wall time: the cores used on average. */
        public double cpuPerWall() {
            double[] r = runs.stream().mapToDouble(x -> x.cpuNanos() / (double) x.nanos()).sorted().toArray();
            int m = r.length / 2;
            return r.length % 2 == 1 ? r[m] : (r[m - 1] + r[m]) / 2;
        }

        /** The largest heap growth during a write, over the heap in use before it (the maps themselves). */
        public long heapGrowth() {
            return runs.stream().mapToLong(r -> r.heapPeak() - r.heapBaseline()).max().orElse(-1);
        }

        private long[] sorted() {
            long[] s = runs.stream().mapToLong(Run::nanos).toArray();
            Arrays.sort(s);
            return s;
        }
    }

    private record Map(Path out, NiftiWriter.Spec spec, float[] data) {
    }

    /** Writes {@code maps} (any images Images.open reads) as float32 into {@code outDir}, stored as {@code c} says. */
    public static Result run(List<Path> maps, Path outDir, Compression c, int repeat, int warmup) {
        if (repeat < 1) throw new KetaprintException("bench-write: --repeat must be at least 1, got " + repeat);
        if (warmup < 0) throw new KetaprintException("bench-write: --warmup must be at least 0, got " + warmup);
        List<Map> loaded = new ArrayList<>();
        long bytes = 0;
        for (Path p : maps) {
            Image img = Images.open(p);
            int per = img.grid().size();
            float[] data = new float[Math.multiplyExact(per, (int) img.volumes())];
            for (int t = 0; t < img.volumes(); t++) System.arraycopy(img.readVolume(t), 0, data, t * per, per);
            String name = p.getFileName().toString().replaceFirst("\\.(nii(\\.gz)?|hdr|img|mgh|mgz)$", "");
            loaded.add(new Map(c.file(outDir.resolve(name).toString()), NiftiWriter.specFor(img, DataType.FLOAT32).compression(c), data));
            bytes += 4L * data.length;
        }
        for (int i = 0; i < warmup; i++) writeAll(loaded);
        MemoryPeaks mem = new MemoryPeaks();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            long base = mem.reset();
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            writeAll(loaded);
            long dt = System.nanoTime() - t0;
            runs.add(new Run(dt, c0 < 0 ? -1 : cpuNanos() - c0, base, mem.heapPeak()));
        }
        long size = 0;
        try {
            for (Map m : loaded) size += Files.size(m.out());
        } catch (IOException e) {
            throw new KetaprintException(outDir + ": " + e.getMessage());
        }
        return new Result(List.copyOf(maps), c, c.gzip() ? NiftiWriter.gzipThreads() : 1, bytes, size, List.copyOf(runs));
    }

    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() : -1;
    }

    private static void writeAll(List<Map> maps) {
        for (Map m : maps) NiftiWriter.write(m.out(), m.spec(), m.data());
    }
}
