package org.ketaprint.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory of a section of code: JVM heap (sum of the heap pools' peak usage, reset after a GC) and,
 * on Linux, the process's peak resident set (VmHWM, reset through /proc/self/clear_refs).
 */
public final class MemoryPeaks {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final List<MemoryPoolMXBean> heapPools;
    private boolean rssResettable;

    public MemoryPeaks() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
            .toList();
    }

    /** Collects garbage, then resets the peaks; returns the heap in use afterwards (the baseline). */
    public long reset() {
        System.gc();
        System.gc();
        for (MemoryPoolMXBean p : heapPools) p.resetPeakUsage();
        try {
            Files.writeString(CLEAR_REFS, "5");
            rssResettable = true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            rssResettable = false;
        }
        long used = 0;
        for (MemoryPoolMXBean p : heapPools) used += p.getUsage().getUsed();
        return used;
    }

    /**
     * Heap peak since {@link #reset()}: the sum of each pool's peak. Pools may peak at different moments,
     * so this is an upper bound on the true peak.
     */
    public long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean p : heapPools) peak += p.getPeakUsage().getUsed();
        return peak;
    }

    /** Peak resident set since {@link #reset()} in bytes, or -1 when the OS cannot report it. */
    public long rssPeak() {
        if (!rssResettable) return -1;
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
