package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** The background-inflated image gives what the file gives, volume by volume, and fails as the file read would. */
class PrefetchedImageTest {
    @TempDir
    Path tmp;

    @Test
    void everyVolumeEqualsTheFilesInAnyOrder() {
        for (String f : new String[] {"long_f32.nii.gz", "long_i16_be_scaled.nii.gz", "series_f32.nii.gz"}) {
            NiftiImage ni = NiftiImage.load(Path.of("test-data/bench", f));
            PrefetchedImage p = PrefetchedImage.start(ni);
            assertEquals(ni.volumes(), p.volumes());
            assertSame(ni, PrefetchedImage.nifti(p));
            assertSame(ni, PrefetchedImage.nifti(ni));
            for (long t = p.volumes() - 1; t >= 0; t--) {
                assertArrayEquals(ni.readVolume(t), p.readVolume(t), f + " volume " + t);
                assertArrayEquals(ni.readVolumeDouble(t), p.readVolumeDouble(t), f + " volume " + t);
            }
            float[] a = p.readVolume(0);
            a[0] = 12345f;
            assertTrue(p.readVolume(0)[0] != 12345f, "each read is a fresh array");
            assertEquals(ni.grid().toString(), p.grid().toString());
            assertEquals(ni.path(), p.path());
            assertEquals(ni.datatypeName(), p.datatypeName());
            assertThrows(IllegalArgumentException.class, () -> p.readVolume(p.volumes()));
        }
    }

    @Test
    void aTruncatedFileFailsTheReaderWithTheFileNamedAndNeverHangs() throws Exception {
        byte[] all = Files.readAllBytes(Path.of("test-data/bench/long_f32.nii.gz"));
        Path cut = tmp.resolve("cut.nii.gz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
        NiftiImage ni = NiftiImage.load(cut);
        PrefetchedImage p = PrefetchedImage.start(ni);
        KetaprintException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> assertThrows(KetaprintException.class, () -> p.readVolume(p.volumes() - 1)));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertNull(PrefetchedImage.nifti(null));
    }
}
