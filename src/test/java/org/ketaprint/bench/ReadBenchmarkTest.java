package org.ketaprint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;

/** ReadBenchmark against what nibabel reads (test-data/bench/reference.json, scripts/bench/make_test_data.py). */
class ReadBenchmarkTest {
    static final Path DIR = Path.of("test-data/bench");

    static JsonNode reference(String name) throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile()).get(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"series_f32.nii", "series_f32.nii.gz", "series_i16_be_scaled.nii", "long_f32.nii.gz",
        "long_i16_be_scaled.nii.gz"})
    void readsWhatNibabelReads(String name) throws IOException {
        JsonNode ref = reference(name);
        ReadBenchmark.Result r = ReadBenchmark.run(DIR.resolve(name), 3, 1);
        assertEquals(ref.get("voxels").asLong(), r.voxels());
        assertEquals(ref.get("data_bytes").asLong(), r.dataBytes());
        double sum = ref.get("sum").asDouble();
        assertEquals(sum, r.checksum(), 1e-12 * Math.abs(sum), "sum of nibabel's get_fdata(dtype=float32)");
        assertEquals(ref.get("nonfinite").asLong(), r.nonfinite());
        assertEquals(3, r.runs().size());
    }

    @Test
    void statisticsOfTheRuns() {
        List<ReadBenchmark.Run> runs = List.of(run(40), run(10), run(30), run(20));
        ReadBenchmark.Result r = new ReadBenchmark.Result(Path.of("x.nii"), 250, 1000, 0, 0, runs);
        assertEquals(10, r.bestNanos());
        assertEquals(25.0, r.medianNanos());
        assertEquals(100.0, r.gbPerSecond(10), 1e-12); // 1000 bytes in 10 ns = 100 GB/s
        ReadBenchmark.Result odd = new ReadBenchmark.Result(Path.of("x.nii"), 250, 1000, 0, 0, runs.subList(0, 3));
        assertEquals(30.0, odd.medianNanos());
    }

    private static ReadBenchmark.Run run(long nanos) {
        return new ReadBenchmark.Run(nanos, 0, 0, -1);
    }

    /** A 64 MB read: the measured heap peak must include the float32 array, and nothing like a second copy. */
    @Test
    void heapPeakCoversTheArrayOnly(@TempDir Path tmp) {
        long[] shape = {64, 64, 64, 64};
        float[] data = new float[64 * 64 * 64 * 64];
        for (int i = 0; i < data.length; i++) data[i] = i % 977;
        Path f = tmp.resolve("big.nii");
        NiftiWriter.write(f, NiftiWriter.Spec.of(shape, Affine.identity(), DataType.FLOAT32), data);
        long bytes = 4L * data.length;
        data = null;
        ReadBenchmark.Result r = ReadBenchmark.run(f, 2, 0);
        for (ReadBenchmark.Run run : r.runs()) {
            long above = run.heapPeak() - run.heapBaseline();
            assertTrue(above >= bytes, "peak above baseline " + above + " < array " + bytes);
            assertTrue(above <= 1.3 * bytes, "peak above baseline " + above + " > 1.3 x array " + bytes);
        }
    }

    @Test
    void rejectsBadRepeatAndMissingFile() {
        Path f = DIR.resolve("series_f32.nii");
        assertThrows(KetaprintException.class, () -> ReadBenchmark.run(f, 0, 1));
        assertThrows(KetaprintException.class, () -> ReadBenchmark.run(f, 1, -1));
        KetaprintException e = assertThrows(KetaprintException.class,
            () -> ReadBenchmark.run(DIR.resolve("nope.nii"), 1, 0));
        assertTrue(e.getMessage().contains("nope.nii"), e.getMessage());
    }
}
