package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/** SpaceAlignment's small rules (issue 15): the default transform, who a mismatch names, the QC label type, maps. */
class SpaceAlignmentRulesTest {
    @TempDir
    Path dir;

    @Test
    void noChainAndNoFileIsTheIdentity() {
        assertTrue(new SpaceAlignment("T1w", "T1w", null, null, null).isIdentity());
        TransformChain c = new TransformChain(List.of(new AffineTransform(Affine.identity(), "A")));
        SpaceAlignment a = new SpaceAlignment("T1w", "MNI152NLin2009cAsym", c, null, null);
        assertSame(c, a.chain());
        assertEquals(false, a.isIdentity());
        assertEquals("T1w", a.roiSpace());
        assertEquals("MNI152NLin2009cAsym", a.dataSpace());
    }

    @Test
    void mismatchNamesSubjectAndSession() {
        String roi = "T1w", data = "MNI152NLin2009cAsym";
        SpaceMismatchException e = assertThrows(SpaceMismatchException.class, () -> SpaceAlignment.resolve(null, "01", "2", roi, data));
        assertTrue(e.getMessage().startsWith("sub-01 ses-2: data are in space"), e.getMessage());
        assertEquals(data, e.dataSpace());
        assertEquals(roi, e.roiSpace());
        e = assertThrows(SpaceMismatchException.class, () -> SpaceAlignment.resolve(null, "01", null, roi, data));
        assertTrue(e.getMessage().startsWith("sub-01: data are in space"), e.getMessage());
        e = assertThrows(SpaceMismatchException.class, () -> SpaceAlignment.resolve(null, null, null, roi, data));
        assertTrue(e.getMessage().startsWith("the data: data are in space"), e.getMessage());
    }

    static Image image(Path f, double[] v, Grid g) {
        NiftiWriter.write(f, NiftiWriter.Spec.of(new long[] {g.nx, g.ny, g.nz}, g.affine, DataType.FLOAT32), v);
        return Images.open(f);
    }

    @Test
    void qcLabelsInt16UpTo32767ThenInt32() {
        Grid g = new Grid(new int[] {2, 1, 1}, Affine.identity());
        Image like = image(dir.resolve("like.nii"), new double[] {0, 0}, g);
        SpaceAlignment.writeLabels(dir.resolve("a.nii"), like, new double[] {1, 32767});
        SpaceAlignment.writeLabels(dir.resolve("b.nii"), like, new double[] {-32768, 1});
        SpaceAlignment.writeLabels(dir.resolve("c.nii"), like, new double[] {1, 32768});
        NiftiImage a = (NiftiImage) Images.open(dir.resolve("a.nii"));
        assertEquals(DataType.INT16, a.header().datatype);
        assertArrayEquals(new double[] {1, 32767}, a.readVolumeDouble(0), 0);
        // |-32768| exceeds 32767, so int32 (the rule is on the magnitude)
        assertEquals(DataType.INT32, ((NiftiImage) Images.open(dir.resolve("b.nii"))).header().datatype);
        NiftiImage c = (NiftiImage) Images.open(dir.resolve("c.nii"));
        assertEquals(DataType.INT32, c.header().datatype);
        assertArrayEquals(new double[] {1, 32768}, c.readVolumeDouble(0), 0);
    }

    @Test
    void mapOntoIsTrilinearWithNaNOutside() {
        Grid g = new Grid(new int[] {2, 1, 1}, Affine.identity());
        Image map = image(dir.resolve("map.nii"), new double[] {2, 6}, g);
        // data grid: voxel centres at x = 0.75, 1.75: the first 3/4 of the way from 2 to 6 (5), the second beyond 1.5
        Grid data = new Grid(new int[] {2, 1, 1}, new Affine(new double[][] {{1, 0, 0, 0.75}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}));
        double[] v = new SpaceAlignment("T1w", "T1w", null, null, null).mapOnto(map, data);
        assertEquals(5, v[0], 1e-6);
        assertTrue(Double.isNaN(v[1]));
    }
}
