package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ITK HDF5 transforms in the forms other writers use (issue 15): TransformGroup/N with TransformType (a string),
 * TransformParameters and TransformFixedParameters - here under ITK's old misspelling "Tranform...", stored as
 * integers - and types the reader must refuse. Written with jhdf in the test.
 */
class ItkHdf5FormsTest {
    @TempDir
    Path dir;

    Path write(String name, Object type, Object params, Object fixed) {
        Path f = dir.resolve(name);
        try (WritableHdfFile h = HdfFile.write(f)) {
            WritableGroup g = h.putGroup("TransformGroup").putGroup("0");
            g.putDataset("TransformType", type);
            g.putDataset("TranformParameters", params);
            g.putDataset("TranformFixedParameters", fixed);
        }
        return f;
    }

    @Test
    void misspelledIntegerParameters() {
        Path f = write("a.h5", new String[] {"AffineTransform_double_3_3"},
            new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3}, new int[] {0, 0, 0});
        List<Transform> ts = ItkTransforms.readH5(f);
        assertEquals(1, ts.size());
        assertEquals(f + "#0", ts.get(0).source());
        double[] p = {0, 0, 0};
        ts.get(0).map(p);
        assertArrayEquals(new double[] {-1, -2, 3}, p, 0);   // LPS translation (1, 2, 3) in RAS
    }

    @Test
    void unsupportedTypesAreRefused() {
        Path f = write("b.h5", new String[] {"BSplineTransform_double_3_3"}, new double[12], new double[3]);
        TransformException e = assertThrows(TransformException.class, () -> ItkTransforms.readH5(f));
        assertTrue(e.getMessage().contains("unsupported transform type BSplineTransform_double_3_3"), e.getMessage());
    }
}
