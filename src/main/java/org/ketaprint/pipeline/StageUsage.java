package org.ketaprint.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;

/**
 * What one stage run cost, for the provenance and the log: wall time, the process's CPU time (every thread: the
 * stage's parallel work, and with {@code --nthreads} above 1 the other sessions running meanwhile, GC and JIT) and
 * the JVM's heap peak (sum of the heap pools' peaks, garbage not yet collected included, so an upper bound; also
 * process-wide). The pools' peaks are reset only when no stage is running in the JVM, so a stage's peak never
 * misses its own span; with overlapping sessions it may start at an earlier stage's start.
 */
final class StageUsage {
    private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    private static final Object LOCK = new Object();
    private static int running;

    private final long wall0 = System.nanoTime();
    private final long cpu0;

    private StageUsage() {
        cpu0 = cpuNanos();
    }

    /** Starts measuring a stage (resetting the heap peaks when it is the only stage running). */
    static StageUsage start() {
        synchronized (LOCK) {
            if (running++ == 0) HEAP.forEach(MemoryPoolMXBean::resetPeakUsage);
        }
        return new StageUsage();
    }

    /**
     * Stops: wall_s, cpu_s (null when the JVM cannot tell the process's CPU time) and heap_peak_mb.
     *
     * @param wallS seconds since {@link #start}
     * @param cpuS process CPU seconds since {@link #start}, all threads
     * @param heapPeakMb MiB (2^20 bytes), to 0.1
     */
    record Usage(double wallS, Double cpuS, double heapPeakMb) {
        /** "2.00 s (CPU 3.10 s, heap peak 512 MB)". */
        String describe() {
            return String.format(Locale.ROOT, "%.2f s (CPU %s, heap peak %.0f MB)", wallS,
                cpuS == null ? "n/a" : String.format(Locale.ROOT, "%.2f s", cpuS), heapPeakMb);
        }
    }

    Usage stop() {
        long peak = 0;
        for (MemoryPoolMXBean p : HEAP) {
            java.lang.management.MemoryUsage u = p.getPeakUsage();
            if (u != null) peak += u.getUsed();
        }
        long cpu = cpuNanos();
        synchronized (LOCK) {
            running--;
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        return new Usage(wall, cpu < 0 || cpu0 < 0 ? null : Math.max(0, cpu - cpu0) / 1e9, Math.round(peak / 104857.6) / 10.0);
    }

    /** The process's CPU time in ns, or -1. */
    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : -1;
    }
}
