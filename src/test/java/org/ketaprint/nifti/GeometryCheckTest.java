package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ketaprint.nifti.GzipIntegrityTest.assertOneLine;
import static org.ketaprint.nifti.GzipIntegrityTest.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/**
 * Issue 14 (attack suite, img/mgh/delta_* mdc_* pxyz_inf, dataset/singular_affine): a header whose affine has a
 * NaN or infinite entry or a singular 3x3 part (zero voxel size or direction) is refused at load with one line,
 * not read into NaN zooms, a zero voxel volume or an "affine is singular" internal error later.
 */
class GeometryCheckTest {
    @TempDir
    Path tmp;

    private Path mgh(String name, Consumer<ByteBuffer> edit) throws IOException {
        byte[] b = Files.readAllBytes(MghReadTest.DIR.resolve("uchar.mgh"));
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        assertEquals(1, h.getShort(28), "goodRASFlag set: the header's geometry is used");
        edit.accept(h);
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    private Path nii(String name, Consumer<ByteBuffer> edit) throws IOException {
        byte[] b = Files.readAllBytes(NiftiReference.DIR.resolve("dtype_uint8.nii"));
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(h);
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    private static void assertRefused(Path p, String words) {
        KetaprintException e = assertThrows(KetaprintException.class, () -> Images.open(p));
        assertTrue(e.getMessage().startsWith(p + ": the affine ("), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertOneLine(cli("info", p.toString()), p, words);
        assertOneLine(cli("convert", p.toString(), p + ".out.nii"), p, words);
    }

    @Test
    void mghWithNanOrZeroGeometryIsRefused() throws IOException {
        assertRefused(mgh("delta_nan.mgh", h -> h.putFloat(30, Float.NaN)), "the affine (vox2ras) has a non-finite entry");
        assertRefused(mgh("delta_zero.mgh", h -> h.putFloat(30, 0).putFloat(34, 0).putFloat(38, 0)), "singular");
        assertRefused(mgh("mdc_zero.mgh", h -> {
            for (int i = 0; i < 9; i++) h.putFloat(42 + 4 * i, 0);
        }), "singular");
        assertRefused(mgh("mdc_nan.mgh", h -> h.putFloat(42, Float.NaN)), "non-finite");
        assertRefused(mgh("pxyz_inf.mgh", h -> h.putFloat(78, Float.POSITIVE_INFINITY)), "non-finite");
        // goodRASFlag 0: nibabel's default geometry, whatever the fields hold
        Images.open(mgh("flag0.mgh", h -> h.putShort(28, (short) 0).putFloat(30, Float.NaN)));
    }

    @Test
    void niftiWithSingularOrNanAffineIsRefused() throws IOException {
        assertRefused(nii("sform_zero.nii", h -> {
            h.putShort(252, (short) 0).putShort(254, (short) 1);
            for (int i = 0; i < 12; i++) h.putFloat(280 + 4 * i, 0);
        }), "the affine (sform) is singular");
        assertRefused(nii("sform_nan.nii", h -> h.putShort(254, (short) 1).putFloat(280, Float.NaN)), "the affine (sform) has a non-finite entry (NaN");
        assertRefused(nii("qform_nan.nii", h -> h.putShort(254, (short) 0).putShort(252, (short) 1).putFloat(268, Float.NaN)),
            "the affine (qform) has a non-finite entry (NaN");
        assertRefused(nii("sform_1e38.nii", h -> {   // rank 1: every entry 1e38 (its plain determinant overflows to NaN)
            h.putShort(254, (short) 1);
            for (int i = 0; i < 12; i++) h.putFloat(280 + 4 * i, 1e38f);
        }), "the affine (sform) is singular");
        Images.open(nii("sform_huge_diag.nii", h -> {   // 1e38 mm voxels: absurd but invertible, read as nibabel does
            h.putShort(254, (short) 1);
            for (int i = 0; i < 12; i++) h.putFloat(280 + 4 * i, i % 5 == 0 ? 1e38f : 0f);
        }));
        // sform code 0: the qform or pixdim affine is used, a zero sform does not matter
        Images.open(nii("sform_zero_unused.nii", h -> {
            h.putShort(254, (short) 0);
            for (int i = 0; i < 12; i++) h.putFloat(280 + 4 * i, 0);
        }));
    }
}
