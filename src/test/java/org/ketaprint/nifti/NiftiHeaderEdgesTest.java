package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Header fields at their boundaries (issue 15, mutants that survived), on committed files with one field rewritten:
 * the expected values follow from the NIfTI/Analyze rules (and nibabel's), by construction.
 */
class NiftiHeaderEdgesTest {
    static final Path DIR = Path.of("test-data/nifti");

    @TempDir
    Path tmp;

    static ByteBuffer bytes(String name) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(DIR.resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
    }

    Path save(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** The same file with its data moved to {@code offset}: the data must read the same. */
    byte[] moved(ByteBuffer orig, int oldOffset, int offset) {
        byte[] a = orig.array();
        byte[] b = new byte[offset + a.length - oldOffset];
        System.arraycopy(a, 0, b, 0, Math.min(oldOffset, offset));
        System.arraycopy(a, oldOffset, b, offset, a.length - oldOffset);
        return b;
    }

    @Test
    void niftiSingleFilesReadDataAtTheirVoxOffset() throws IOException {
        float[] want = NiftiImage.load(DIR.resolve("nifti2_single.nii")).readFloat();
        ByteBuffer n2 = bytes("nifti2_single.nii");
        int old2 = (int) Math.max(544, n2.getLong(168));
        byte[] b = moved(n2, old2, 1024);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(168, 1024);
        NiftiImage img = NiftiImage.load(save("n2_1024.nii", b));
        assertEquals(1024, img.header().voxOffset);
        assertArrayEquals(want, img.readFloat());
        // vox_offset 0 in a single file means "right after the header" (544 for NIfTI-2)
        byte[] z = moved(n2, old2, 544);
        ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).putLong(168, 0);
        NiftiImage zi = NiftiImage.load(save("n2_0.nii", z));
        assertEquals(544, zi.header().voxOffset);
        assertArrayEquals(want, zi.readFloat());

        float[] want1 = NiftiImage.load(DIR.resolve("dtype_float32.nii")).readFloat();
        ByteBuffer n1 = bytes("dtype_float32.nii");
        int old1 = (int) Math.max(352, n1.getFloat(108));
        byte[] c = moved(n1, old1, 800);
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 800);
        assertArrayEquals(want1, NiftiImage.load(save("n1_800.nii", c)).readFloat());
        byte[] c0 = moved(n1, old1, 352);
        ByteBuffer.wrap(c0).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 0);
        NiftiImage c0i = NiftiImage.load(save("n1_0.nii", c0));
        assertEquals(352, c0i.header().voxOffset);
        assertArrayEquals(want1, c0i.readFloat());
    }

    /** SPM Analyze origin (bytes 253-258): used when inside (-dim, 2 dim) on every axis, else the image centre. */
    @Test
    void analyzeOriginRangeIsOpenAtBothEnds() throws IOException {
        ByteBuffer h = bytes("analyze_center.hdr");
        short[] dim = {h.getShort(42), h.getShort(44), h.getShort(46)};
        double[] zoom = {h.getFloat(80), h.getFloat(84), h.getFloat(88)};
        for (int axis = 0; axis < 3; axis++) {
            int d = dim[axis];
            int[][] cases = {{-d, 0}, {-d + 1, 1}, {2 * d, 0}, {2 * d - 1, 1}};
            for (int[] c : cases) {
                short[] origin = {3, 3, 3};
                origin[axis] = (short) c[0];
                byte[] b = h.array().clone();
                ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 3; i++) w.putShort(253 + 2 * i, origin[i]);
                NiftiHeader hd = NiftiHeader.parse(b, b.length, "analyze_center.hdr");
                Affine a = hd.affine();
                boolean used = c[1] == 1;
                for (int i = 0; i < 3; i++) {
                    double o = used ? origin[i] - 1 : (dim[i] - 1) / 2.0;
                    double sign = i == 0 ? -1 : 1;
                    assertEquals(sign * zoom[i], a.get(i, i), 1e-12);
                    assertEquals(-sign * zoom[i] * o, a.get(i, 3), 1e-9,
                        "axis " + axis + " origin " + c[0] + (used ? " (used)" : " (centre)") + ": offset " + i);
                }
            }
        }
    }

    /** A quaternion a little longer than 1 (float rounding) gives a = 0; longer than 3 float ulps is an error. */
    @Test
    void quaternionNormToleranceIsThreeFloatUlps() throws IOException {
        ByteBuffer h = bytes("qform_only.nii");
        byte[] ok = h.array().clone();
        ByteBuffer w = ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN);
        float d = Math.nextUp(1f);   // b^2+c^2+d^2 = 1 + 2 ulp: within the tolerance
        w.putFloat(256, 0).putFloat(260, 0).putFloat(264, d);
        Affine q = NiftiHeader.parse(ok, ok.length, "q").qform();
        // a = 0, (b, c, d) ~ (0, 0, 1): a half turn about z, R = diag(-1, -1, 1) times the zooms
        double[] zoom = {h.getFloat(80), h.getFloat(84), h.getFloat(88) * (h.getFloat(76) == -1 ? -1 : 1)};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double want = i != j ? 0 : (i == 2 ? 1 : -1) * zoom[i];
                assertEquals(want, q.get(i, j), 1e-12 * Math.abs(zoom[j]), "R[" + i + "][" + j + "]");
            }
        }
        byte[] bad = ok.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putFloat(264, 1.000001f);
        NiftiException e = assertThrows(NiftiException.class, () -> NiftiHeader.parse(bad, bad.length, "q.nii").qform());
        assertTrue(e.getMessage().contains("norm > 1"), e.getMessage());
    }
}
