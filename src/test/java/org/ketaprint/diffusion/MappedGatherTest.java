package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/** The memory-mapped mask gather gives exactly what NiftiImage.readMasked reads. */
class MappedGatherTest {
    static void same(NiftiImage img) {
        int nv = img.grid().size();
        int[] vox = new int[nv / 3];
        for (int i = 0; i < vox.length; i++) vox[i] = 3 * i + 1;
        int n = (int) img.volumes();
        float[] byVoxel = img.readMasked(vox);   // [i * n + t]
        float[] mapped = new float[vox.length * n];
        assertTrue(MappedGather.supported(img));
        MappedGather.gather(img, vox, n, mapped);   // [t * count + i]
        float[] expect = new float[mapped.length];
        for (int i = 0; i < vox.length; i++) for (int t = 0; t < n; t++) expect[t * vox.length + i] = byVoxel[i * n + t];
        assertArrayEquals(expect, mapped);
    }

    @Test
    void int16AndFloat32(@TempDir Path tmp) {
        NiftiImage s64 = NiftiImage.load(Path.of("test-data/diffusion/small_64D.nii"));
        same(s64);
        NiftiImage s25 = NiftiImage.load(Path.of("test-data/diffusion/small_25.nii.gz"));
        assertFalse(MappedGather.supported(s25));
        float[] all = s25.readFloat();
        for (int i = 0; i < all.length; i++) all[i] = all[i] * 0.37f - 5;
        for (DataType t : new DataType[] {DataType.FLOAT32, DataType.FLOAT64, DataType.INT16}) {
            Path f = tmp.resolve("x_" + t.label + ".nii");
            NiftiWriter.write(f, NiftiWriter.Spec.like(s25, s25.shape(), t), all);
            same(NiftiImage.load(f));
        }
    }
}
