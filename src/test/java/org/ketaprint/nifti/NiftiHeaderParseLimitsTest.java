package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * NiftiHeader.parse at its limits (issue 15): 4 bytes are enough to tell the byte order (then the header is
 * "truncated", not "no header"), and the largest vox_offset each version accepts: NIfTI-1 stores a float compared
 * with Integer.MAX_VALUE (as a float, 2^31), NIfTI-2 a long up to 2^56.
 */
class NiftiHeaderParseLimitsTest {
    static final Path DIR = Path.of("test-data/nifti");

    @Test
    void fourBytesGiveTheByteOrder() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, NiftiHeader.detectOrder(new byte[] {0x5c, 1, 0, 0}));
        assertEquals(ByteOrder.BIG_ENDIAN, NiftiHeader.detectOrder(new byte[] {0, 0, 2, 0x1c}));
        assertEquals(null, NiftiHeader.detectOrder(new byte[] {0x5c, 1, 0}));
        byte[] four = {0x5c, 1, 0, 0};
        NiftiException e = assertThrows(NiftiException.class, () -> NiftiHeader.parse(four, 4, "h"));
        assertEquals("h: truncated header: 4 of 348 bytes", e.getMessage());
        NiftiException f = assertThrows(NiftiException.class, () -> NiftiHeader.parse(four, 3, "h"));
        assertEquals("h: truncated file: 3 bytes, no header", f.getMessage());
    }

    @Test
    void largestNifti1VoxOffsetIsTwoToThe31() throws IOException {
        byte[] b = Arrays.copyOf(Files.readAllBytes(DIR.resolve("dtype_float32.nii")), 352);
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float max = (float) Integer.MAX_VALUE;   // 2^31
        w.putFloat(108, max);
        assertEquals(1L << 31, NiftiHeader.parse(b, b.length, "h").voxOffset);
        w.putFloat(108, Math.nextUp(max));
        assertThrows(NiftiException.class, () -> NiftiHeader.parse(b, b.length, "h"));
    }

    @Test
    void largestNifti2VoxOffsetIsTwoToThe56() throws IOException {
        byte[] b = Arrays.copyOf(Files.readAllBytes(DIR.resolve("nifti2_single.nii")), 544);
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(540, w.getInt(0), "precondition: a little-endian NIfTI-2 header");
        w.putLong(168, 1L << 56);
        assertEquals(1L << 56, NiftiHeader.parse(b, b.length, "h").voxOffset);
        w.putLong(168, (1L << 56) + 1);
        NiftiException e = assertThrows(NiftiException.class, () -> NiftiHeader.parse(b, b.length, "h"));
        assertTrue(e.getMessage().contains("invalid vox_offset " + ((1L << 56) + 1)), e.getMessage());
    }
}
