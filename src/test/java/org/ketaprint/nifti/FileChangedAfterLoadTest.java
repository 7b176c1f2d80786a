package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip image replaced by a shorter one between load (which checked its size) and a read: the read that skips to a
 * later volume meets the end of the stream and says "data shorter than the header promises", one line, for NIfTI and
 * MGZ alike. Issue 15.
 */
class FileChangedAfterLoadTest {
    @TempDir
    Path tmp;

    @Test
    void niftiGzipShortenedAfterLoad() throws IOException {
        Path p = tmp.resolve("four.nii.gz");
        double[] v = new double[2 * 2 * 2 * 3];
        NiftiWriter.write(p, NiftiWriter.Spec.of(new long[] {2, 2, 2, 3}, Affine.identity(), DataType.FLOAT32), v);
        NiftiImage img = NiftiImage.load(p);
        byte[] head = GzipIntegrityTest.gzip(Arrays.copyOf(Gunzip.inflate(Files.readAllBytes(p)), 352 + 40), 6);
        Files.write(p, head);
        NiftiException e = assertThrows(NiftiException.class, () -> img.readVolume(2));
        assertTrue(e.getMessage().contains("data shorter than the header promises"), e.getMessage());
    }

    @Test
    void mgzShortenedAfterLoad() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(284 + 8 * 4 * 4);
        b.putInt(1).putInt(2).putInt(2).putInt(2).putInt(4).putInt(3).putInt(0).putShort((short) 0);
        Path p = tmp.resolve("four.mgz");
        Files.write(p, GzipIntegrityTest.gzip(b.array(), 6));
        MghImage m = MghImage.load(p);
        Files.write(p, GzipIntegrityTest.gzip(Arrays.copyOf(b.array(), 284 + 8), 6));
        NiftiException e = assertThrows(NiftiException.class, () -> m.readVolumeDouble(3));
        assertTrue(e.getMessage().contains("data shorter than the header promises"), e.getMessage());
    }

    /** Inflates a whole gzip file (test helper). */
    static final class Gunzip {
        static byte[] inflate(byte[] gz) throws IOException {
            try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                return in.readAllBytes();
            }
        }
    }
}
