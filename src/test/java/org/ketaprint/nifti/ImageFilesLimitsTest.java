package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageFiles at its limits (issue 15): the gzip size bound (1100 bytes per byte + 1 MiB), the ISIZE rules, the
 * 18-byte minimum gzip file, counting stopping at the limit, skipFully at the end, error messages, and a pair whose
 * header is not a regular file.
 */
class ImageFilesLimitsTest {
    @TempDir
    Path tmp;

    /**
     * A file of {@code size} bytes (sparse) starting with the gzip magic and a garbage body, whose last four bytes
     * (ISIZE) say {@code isize}: only checks that never inflate can accept it.
     */
    private Path fakeGzip(String name, long size, long isize) throws IOException {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            f.seek(0);
            f.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff});
            f.seek(size - 4);
            for (int i = 0; i < 4; i++) f.write((int) (isize >>> (8 * i)) & 0xff);
        }
        return p;
    }

    @Test
    void needUpToElevenHundredPerByteAndOneMebibyteIsPlausible() throws IOException {
        long bound = 100 * 1100L + (1 << 20);
        Path p = fakeGzip("b.nii.gz", 100, bound);
        assertDoesNotThrow(() -> ImageFiles.checkGzipHolds(p, bound));
        NiftiException e = assertThrows(NiftiException.class, () -> ImageFiles.checkGzipHolds(p, bound + 1));
        assertTrue(e.getMessage().contains((bound + 1) + " bytes cannot come from a 100-byte gzip file"), e.getMessage());
    }

    /** ISIZE equal to need, or (under 4 GiB) larger, is taken as it is: nothing is inflated. */
    @Test
    void isizeAtLeastTheNeedIsTakenWithoutInflating() throws IOException {
        Path same = fakeGzip("same.nii.gz", 1000, 5000);
        assertDoesNotThrow(() -> ImageFiles.checkGzipHolds(same, 5000));
        Path more = fakeGzip("more.nii.gz", 1000, 6000);
        assertDoesNotThrow(() -> ImageFiles.checkGzipHolds(more, 5000));
        // garbage deflate data: counting would fail, so a smaller ISIZE is an error
        Path less = fakeGzip("less.nii.gz", 1000, 4999);
        assertThrows(NiftiException.class, () -> ImageFiles.checkGzipHolds(less, 5000));
    }

    /** Above 4 GiB ISIZE is the size mod 2^32: equal mod 2^32 is taken, no 4 GiB are inflated. */
    @Test
    void isizeModuloTwoToThe32IsTakenAboveFourGibibytes() throws IOException {
        long need = (1L << 32) + 5;
        long size = need / 1100 + 1;
        Path p = fakeGzip("big.nii.gz", size, 5);
        assertDoesNotThrow(() -> ImageFiles.checkGzipHolds(p, need));
        Path q = fakeGzip("big2.nii.gz", size, 6);
        assertThrows(NiftiException.class, () -> ImageFiles.checkGzipHolds(q, need), "ISIZE 6 is not 5 mod 2^32");
    }

    @Test
    void gzipIsizeNeedsEighteenBytes() throws IOException {
        Path p18 = tmp.resolve("a.gz");
        byte[] b = new byte[18];
        b[14] = 0x34;
        b[15] = 0x12;
        Files.write(p18, b);
        assertEquals(0x1234, ImageFiles.gzipIsize(p18));
        Path p17 = tmp.resolve("b.gz");
        Files.write(p17, new byte[17]);
        assertEquals(-1, ImageFiles.gzipIsize(p17));
    }

    @Test
    void decompressedLengthStopsAtTheLimit() throws IOException {
        byte[] raw = new byte[200_000];
        for (int i = 0; i < raw.length; i++) raw[i] = (byte) (i % 199);
        Path p = tmp.resolve("c.gz");
        Files.write(p, GzipIntegrityTest.gzip(raw, 6));
        assertEquals(70_000, ImageFiles.decompressedLength(p, 70_000));
        assertEquals(200_000, ImageFiles.decompressedLength(p, 1_000_000));
    }

    @Test
    void skipFullyReadsWhenSkipDoesNotAndFailsAtTheEnd() throws IOException {
        // skip() that never skips: skipFully reads byte by byte (the bytes are 0, which are data, not the end)
        ByteArrayInputStream noSkip = new ByteArrayInputStream(new byte[5]) {
            @Override
            public synchronized long skip(long n) {
                return 0;
            }
        };
        ImageFiles.skipFully(noSkip, 3);
        assertEquals(2, noSkip.available());
        ByteArrayInputStream shortIn = new ByteArrayInputStream(new byte[10]);
        assertTimeoutPreemptively(Duration.ofSeconds(10),
            () -> assertThrows(EOFException.class, () -> ImageFiles.skipFully(shortIn, 20)));
    }

    @Test
    void readErrorsSayWhatKindOfProblem() {
        Path p = Path.of("x.nii.gz");
        assertEquals("x.nii.gz: corrupt gzip: bad block", ImageFiles.readError(p, new ZipException("bad block")).getMessage());
        assertEquals("x.nii.gz: cannot read: disk gone", ImageFiles.readError(p, new IOException("disk gone")).getMessage());
        assertEquals("x.nii.gz: cannot read: EOFException", ImageFiles.readError(p, new EOFException()).getMessage());
        assertEquals("x.nii.gz: corrupt gzip: CRC mismatch",
            ImageFiles.readError(p, new GzipInput.Corrupt("CRC mismatch")).getMessage());
    }

    @Test
    void pairWithADirectoryAsHeaderIsRefused() throws IOException {
        Files.createDirectory(tmp.resolve("d.hdr"));
        Files.write(tmp.resolve("d.img"), new byte[8]);
        assertThrows(NiftiException.class, () -> ImageFiles.resolve(tmp.resolve("d.img")));
        Files.write(tmp.resolve("e.hdr"), new byte[348]);
        Files.createDirectory(tmp.resolve("e.img"));
        assertThrows(NiftiException.class, () -> ImageFiles.resolve(tmp.resolve("e.hdr")));
    }
}
