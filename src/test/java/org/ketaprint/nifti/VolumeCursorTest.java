package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 14: volumes read in one pass (Image.volumeCursor, forEachVolumeDouble) equal those read one by one. */
class VolumeCursorTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"nifti/fmri_4d_scaled_gz.nii.gz", "nifti/five_d.nii", "nifti/gz_int16.nii.gz",
        "nifti/analyze_4d_uint8.hdr", "structural/float4d.mgz", "structural/test.mgz", "structural/short.mgz"})
    void cursorEqualsVolumeByVolume(String file) throws Exception {
        Image img = Images.open(Path.of("test-data").resolve(file));
        try (Image.VolumeCursor c = img.volumeCursor()) {
            for (long t = 0; t < img.volumes(); t++) assertArrayEquals(img.readVolumeDouble(t), c.next(), file + " volume " + t);
            assertThrows(NoSuchElementException.class, c::next);
        }
        long[] seen = {0};
        img.forEachVolumeDouble((t, v) -> {
            assertEquals(seen[0]++, t);
            assertArrayEquals(img.readVolumeDouble(t), v);
        });
        assertEquals(img.volumes(), seen[0]);
        // the writer's volume-by-volume path gives the same file as the whole-array one
        long[] shape = img.shape();
        double[] all = new double[(int) (img.grid().size() * img.volumes())];
        img.forEachVolumeDouble((t, v) -> System.arraycopy(v, 0, all, (int) (t * v.length), v.length));
        NiftiWriter.Spec spec = NiftiWriter.Spec.of(shape, img.affine(), DataType.FLOAT64);
        NiftiWriter.write(tmp.resolve("a.nii"), spec, all);
        try (Image.VolumeCursor c = img.volumeCursor()) {
            NiftiWriter.writeVolumes(tmp.resolve("b.nii"), spec, v -> c.next(), img.volumes());
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.nii")), Files.readAllBytes(tmp.resolve("b.nii")));
    }
}
