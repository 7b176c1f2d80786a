package org.ketaprint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketaprint.nifti.NiftiImage;

/**
 * The reader bench-read times, on gzip files larger than its read chunk (1 MB): every volume, read alone
 * (skipping into the stream) and streamed, against nibabel's per-volume sums (reference.json).
 */
class ReaderChunksTest {
    @ParameterizedTest
    @ValueSource(strings = {"long_f32.nii.gz", "long_i16_be_scaled.nii.gz", "series_f32.nii.gz"})
    void volumesMatchNibabel(String name) throws IOException {
        JsonNode sums = ReadBenchmarkTest.reference(name).get("volume_sums");
        NiftiImage img = NiftiImage.load(ReadBenchmarkTest.DIR.resolve(name));
        assertEquals(sums.size(), img.volumes());
        for (int t = 0; t < sums.size(); t++) {
            double want = sums.get(t).asDouble();
            assertEquals(want, ReadBenchmark.sum(img.readVolume(t)), 1e-12 * Math.abs(want) + 1e-9, "volume " + t);
        }
        img.forEachVolume((t, vol) -> {
            double want = sums.get((int) t).asDouble();
            assertEquals(want, ReadBenchmark.sum(vol), 1e-12 * Math.abs(want) + 1e-9, "streamed volume " + t);
        });
    }
}
