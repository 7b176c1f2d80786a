package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.bench.WriteBenchmark;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint bench-write}: how fast NiftiWriter writes maps (e.g. a tensor fit's six) as .nii.gz or .nii. */
@Command(name = "bench-write", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Time writing maps with the NIfTI writer: the MAPs are read into float32 arrays, then written one "
        + "after the other into --out-dir, --warmup times untimed and --repeat times timed.",
        "The gzip threads are the available processors, or -Dketaprint.gzip.threads=N (KETAPRINT_JAVA_OPTS), or --threads."})
public final class BenchWriteCommand implements Callable<Integer>, Subcommand {
    @Parameters(arity = "1..*", paramLabel = "MAP", description = "Images to write (read first; any format ketaprint reads).")
    List<Path> maps;

    @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Where the files are written (overwritten).")
    Path outDir;

    @Mixin
    CompressionOption compression;

    @Option(names = "--threads", paramLabel = "N", description = "gzip threads (sets ketaprint.gzip.threads before the first write); "
        + "0: the available processors.")
    int threads;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed writes of all the maps.")
    int repeat = 5;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed writes first (JIT).")
    int warmup = 1;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (threads < 0) throw new KetaprintException("--threads must be 0 or more, got " + threads);
        if (threads > 0) System.setProperty("ketaprint.gzip.threads", Integer.toString(threads));
        Files.createDirectories(outDir);
        WriteBenchmark.Result r = WriteBenchmark.run(maps, outDir, compression.get(), repeat, warmup);
        if (threads > 0 && r.compression().gzip() && r.threads() != threads) {
            throw new KetaprintException("--threads " + threads + ": the gzip pool already had " + r.threads());
        }
        if (json) {
            System.out.println(Json.pretty(toJson(r)));
        } else {
            System.out.printf(Locale.ROOT, "%d maps, %.1f MB as float32, compression %s, %d thread(s), %d timed writes%n",
                r.maps().size(), r.dataBytes() / 1e6, r.compression(), r.threads(), r.runs().size());
            System.out.printf(Locale.ROOT, "  time   best %.3f s, median %.3f s (%.0f MB/s of data)%n", r.bestNanos() / 1e9,
                r.medianNanos() / 1e9, r.dataBytes() / 1e6 / (r.medianNanos() / 1e9));
            System.out.printf(Locale.ROOT, "  cores  %.2f (CPU time / wall time, median)%n", r.cpuPerWall());
            System.out.printf(Locale.ROOT, "  files  %.2f MB (%.1f %% of the data)%n", r.fileBytes() / 1e6,
                100.0 * r.fileBytes() / r.dataBytes());
            System.out.printf(Locale.ROOT, "  heap   at most %.1f MB above the maps during a write%n", r.heapGrowth() / 1e6);
        }
        return 0;
    }

    /** The record printed with --json. Times in seconds, sizes in bytes. */
    static ObjectNode toJson(WriteBenchmark.Result r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("tool", "ketaprint");
        o.put("compression", r.compression().toString());
        o.put("threads", r.threads());
        o.put("maps", r.maps().size());
        o.put("data_bytes", r.dataBytes());
        o.put("file_bytes", r.fileBytes());
        o.put("repeat", r.runs().size());
        o.put("best_s", r.bestNanos() / 1e9);
        o.put("median_s", r.medianNanos() / 1e9);
        o.put("cpu_per_wall", r.cpuPerWall());
        o.put("heap_growth_bytes", r.heapGrowth());
        ArrayNode runs = o.putArray("runs");
        for (WriteBenchmark.Run run : r.runs()) runs.add(run.nanos() / 1e9);
        return o;
    }
}
