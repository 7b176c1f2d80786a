package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ketaprint.bench.ReadBenchmark;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint bench-read}: how fast and how lean NiftiImage.readFloat() is on one file. */
@Command(name = "bench-read", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Time reading a NIfTI file into a float32 array (NiftiImage.readFloat) and report the JVM's "
        + "peak heap during the read.",
        "Run with a heap that fits the data, e.g. KETAPRINT_JAVA_OPTS=-Xmx2g for a 1 GB series."})
public final class BenchReadCommand implements Callable<Integer>, Subcommand {
    @Parameters(paramLabel = "FILE", description = "Image to read (.nii, .nii.gz, .hdr/.img).")
    Path file;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed reads.")
    int repeat = 5;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed reads first (JIT, page cache).")
    int warmup = 1;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        ReadBenchmark.Result r = ReadBenchmark.run(file, repeat, warmup);
        ObjectNode o = toJson(r);
        if (json) {
            System.out.println(Json.pretty(o));
        } else {
            System.out.printf("%s: %d voxels, %.1f MB as float32, %d timed reads after %d warm-up%n", file,
                r.voxels(), r.dataBytes() / 1e6, r.runs().size(), warmup);
            System.out.printf("  time     best %.3f s, median %.3f s%n", r.bestNanos() / 1e9, r.medianNanos() / 1e9);
            System.out.printf("  speed    best %.2f GB/s, median %.2f GB/s%n", r.gbPerSecond(r.bestNanos()),
                r.gbPerSecond(r.medianNanos()));
            System.out.printf("  heap     peak %.1f MB = %.3f x data%n", r.heapPeak() / 1e6, r.heapRatio());
            if (r.rssPeak() > 0) System.out.printf("  rss      peak %.1f MB (whole JVM)%n", r.rssPeak() / 1e6);
            System.out.printf("  checksum %.9e (sum of finite values), %d non-finite%n", r.checksum(), r.nonfinite());
        }
        return 0;
    }

    /** The record printed with --json. Times in seconds, sizes in bytes. */
    public static ObjectNode toJson(ReadBenchmark.Result r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", r.file().toString());
        o.put("tool", "ketaprint");
        o.put("voxels", r.voxels());
        o.put("data_bytes", r.dataBytes());
        o.put("repeat", r.runs().size());
        o.put("best_s", r.bestNanos() / 1e9);
        o.put("median_s", r.medianNanos() / 1e9);
        o.put("best_gbps", r.gbPerSecond(r.bestNanos()));
        o.put("median_gbps", r.gbPerSecond(r.medianNanos()));
        o.put("peak_heap_bytes", r.heapPeak());
        o.put("peak_heap_ratio", r.heapRatio());
        o.put("peak_rss_bytes", r.rssPeak());
        o.put("checksum", r.checksum());
        o.put("nonfinite", r.nonfinite());
        ArrayNode runs = o.putArray("runs");
        for (ReadBenchmark.Run run : r.runs()) {
            ObjectNode x = runs.addObject();
            x.put("time_s", run.nanos() / 1e9);
            x.put("heap_baseline_bytes", run.heapBaseline());
            x.put("heap_peak_bytes", run.heapPeak());
            x.put("rss_peak_bytes", run.rssPeak());
        }
        return o;
    }
}
