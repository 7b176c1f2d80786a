package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Main;
import org.ketaprint.nifti.NiftiImage;

/** bval/bvec parsing and the bad-input messages. */
class GradientsTest {
    static final Path DATA = Path.of("test-data/diffusion");
    @TempDir
    Path tmp;

    Path file(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    KetaprintException fails(String bval, String bvec) throws IOException {
        return assertThrows(KetaprintException.class, () -> Gradients.read(file("x.bval", bval), file("x.bvec", bvec), null));
    }

    @Test
    void readsFslRowsAndColumnsAndNaNForB0() throws IOException {
        Gradients rows = Gradients.read(file("a.bval", "0 1000 1000 1000\n"),
            file("a.bvec", "nan 1 0 0\nnan 0 1 0\nnan 0 0 1\n"), null);
        Gradients cols = Gradients.read(file("b.bval", "0\n1000\n1000\n1000\n"),
            file("b.bvec", "0 0 0\n1 0 0\n0 1 0\n0 0 1\n"), null);
        assertEquals(4, rows.count());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(cols.bvec(i), rows.bvec(i));
            assertEquals(cols.bval(i), rows.bval(i));
        }
        assertArrayEquals(new int[] {0}, rows.b0Indices());
        // DIPY's small_64D has a NaN direction for its b0 and reads fine
        NiftiImage dwi = NiftiImage.load(DATA.resolve("small_64D.nii"));
        assertEquals(65, Gradients.read(DATA.resolve("small_64D.bval"), DATA.resolve("small_64D.bvec"), dwi).count());
    }

    @Test
    void lowBValueIsKeptAsGiven() throws IOException {
        Gradients g = Gradients.read(file("c.bval", "15 1000 1000"), file("c.bvec", "0.6 1 0\n0.8 0 1\n0 0 0"), null);
        assertEquals(15, g.bval(0));
        assertEquals(-15 * 0.36, g.designMatrix()[0][0], 1e-12);
        assertTrue(g.isB0(0));
    }

    @Test
    void badInputsGiveClearMessages() throws IOException {
        assertTrue(fails("0 1000", "0 1 0\n0 0 1\n0 0 0\n").getMessage().contains("3 gradient directions but x.bval has 2"));
        assertTrue(fails("0 1000 1000 1000", "0 1 0 0\n0 0 1 0\n0 0 0 1\n0 0 0 0\n").getMessage().contains("needs 3 rows (or 3 columns)"));
        assertTrue(fails("0 1000 1000", "0 1 0\n0 0 0\n0 0 0\n").getMessage().contains("zero gradient direction"));
        assertTrue(fails("1000 1000 1000", "1 0 0\n0 1 0\n0 0 1\n").getMessage().contains("no b0"));
        assertTrue(fails("0 -5 1000", "0 1 0\n0 0 1\n0 0 0\n").getMessage().contains("not a finite value"));
        assertTrue(fails("0 abc 1000", "0 1 0\n0 0 1\n0 0 0\n").getMessage().contains("'abc' is not a number"));
    }

    @Test
    void nonUnitDirectionIsNormalisedWithWarning() throws IOException {
        Gradients g = Gradients.read(file("d.bval", "0 1000"), file("d.bvec", "0 2\n0 0\n0 0\n"), null);
        assertArrayEquals(new double[] {1, 0, 0}, g.bvec(1));
        assertEquals(1, g.warnings().size());
        assertTrue(g.warnings().get(0).contains("normalised"));
    }

    @Test
    void countMismatchWithImageIsExitTwo() throws IOException {
        Path bval = file("e.bval", "0 1000 1000");
        Path bvec = file("e.bvec", "0 1 0\n0 0 1\n0 0 0\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        System.setErr(new PrintStream(err, true));
        try {
            rc = Main.run("dti", DATA.resolve("small_25.nii.gz").toString(), "--bval", bval.toString(), "--bvec",
                bvec.toString(), "--out", tmp.resolve("o").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        String msg = err.toString();
        assertTrue(msg.startsWith("ketaprint: ") && msg.contains("e.bval") && msg.contains("26 volumes"), msg);
        assertEquals(1, msg.strip().lines().count(), msg);
    }
}
