package org.ketaprint.doors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;
import org.ketaprint.restingstate.Roi;

/** Leftovers of the attack suite: hostile names stay on one line; infinite spheres are refused. */
class OneLineErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void aFileNameWithANewlineGivesOneLine() throws Exception {
        Path bad = tmp.resolve("a\nb.nii");
        Files.write(bad, new byte[10]);
        Cli r = Cli.run("info", bad.toString());
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("a\\nb.nii"), r.err);
    }

    @Test
    void infiniteOrNaNSpheresAreRefused() {
        assertThrows(KetaprintException.class, () -> Roi.parse("sphere:0,0,0,Infinity"));
        assertThrows(KetaprintException.class, () -> Roi.parse("sphere:NaN,0,0,5"));
        assertEquals("sphere:0,0,0,5", Roi.parse("sphere:0,0,0,5").spec());
    }

    @Test
    void aTransformWithAnInfiniteTranslationIsRefused() throws Exception {
        Path x = tmp.resolve("inf_xfm.txt");
        Files.writeString(x, "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
            + "Parameters: 1 0 0 0 1 0 0 0 1 Infinity 0 0\nFixedParameters: 0 0 0\n");
        Cli r = Cli.run("transform-point", "-t", x.toString(), "1", "2", "3");
        assertEquals(2, r.code, r.out + r.err);
        assertTrue(r.err.contains("inf_xfm.txt") && r.err.contains("not finite"), r.err);
    }

    @Test
    void validatePipelineKeepsAHostileColumnNameOnOneLine() throws Exception {
        Path y = tmp.resolve("p.yaml");
        Files.writeString(y, "name: x\nstages:\n  - type: structural\n    features:\n"
            + "      - {column: \"a\\nb\", measure: icv}\n");
        Cli r = Cli.run("validate-pipeline", y.toString());
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("a\\nb"), r.err);
    }
}
