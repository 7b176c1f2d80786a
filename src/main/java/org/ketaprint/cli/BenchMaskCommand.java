package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ketaprint.bench.MaskBenchmark;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint bench-mask}: how fast the median_otsu brain mask is on one DWI. */
@Command(name = "bench-mask", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Time the median_otsu brain mask (BrainMask: mean b0, 4 passes of a radius-4 median filter, "
        + "Otsu threshold) on a DWI whose b0 volumes are read into memory first (not timed)."})
public final class BenchMaskCommand implements Callable<Integer>, Subcommand {
    @Parameters(paramLabel = "DWI", description = "4D DWI (NIfTI).")
    Path dwi;

    @Option(names = "--bval", required = true, paramLabel = "FILE", description = "b-values (FSL .bval).")
    Path bval;

    @Option(names = "--bvec", required = true, paramLabel = "FILE", description = "Gradient directions (FSL .bvec).")
    Path bvec;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed runs.")
    int repeat = 5;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed runs first (JIT).")
    int warmup = 1;

    @Option(names = "--select", description = "Time the per-voxel quickselect filter (the old implementation).")
    boolean select;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        MaskBenchmark.Result r = MaskBenchmark.run(dwi, bval, bvec, repeat, warmup, select);
        if (json) {
            System.out.println(Json.pretty(toJson(r)));
        } else {
            System.out.printf("%s: %dx%dx%d, %d b0 volume(s), %s filter, %d timed runs after %d warm-up%n", dwi,
                r.dims()[0], r.dims()[1], r.dims()[2], r.b0s(), r.filter(), r.nanos().length, warmup);
            System.out.printf("  time     best %.3f s, median %.3f s (wall); CPU median %.3f s (all threads)%n",
                r.bestNanos() / 1e9, r.medianNanos() / 1e9, median(r.cpuNanos()) / 1e9);
            System.out.printf("  mask     %d voxels, crc32 %08x%n", r.maskVoxels(), r.crc32());
        }
        return 0;
    }

    /** The record printed with --json. Times in seconds. */
    public static ObjectNode toJson(MaskBenchmark.Result r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", r.file().toString());
        o.put("tool", "ketaprint");
        o.put("filter", r.filter());
        ArrayNode d = o.putArray("dims");
        for (int x : r.dims()) d.add(x);
        o.put("b0s", r.b0s());
        o.put("repeat", r.nanos().length);
        o.put("best_s", r.bestNanos() / 1e9);
        o.put("median_s", r.medianNanos() / 1e9);
        o.put("median_cpu_s", median(r.cpuNanos()) / 1e9);
        o.put("mask_voxels", r.maskVoxels());
        o.put("mask_crc32", String.format("%08x", r.crc32()));
        ArrayNode runs = o.putArray("runs");
        for (long t : r.nanos()) runs.add(t / 1e9);
        ArrayNode cpu = o.putArray("cpu_runs");
        for (long t : r.cpuNanos()) cpu.add(t / 1e9);
        return o;
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        java.util.Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
    }
}
