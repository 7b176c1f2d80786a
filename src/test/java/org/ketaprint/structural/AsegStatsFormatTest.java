package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** aseg.stats layout rules: measure lines without a unit, files with only measures or only a table, missing columns (issue 15). */
class AsegStatsFormatTest {
    @TempDir
    Path tmp;

    Path file(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void measuresOnlyAndAMeasureWithoutUnit() throws IOException {
        AsegStats a = AsegStats.read(file("m.stats",
            "# Measure EstimatedTotalIntraCranialVol, eTIV, Estimated Total Intracranial Volume, 1500000.5\n"));
        assertEquals(1500000.5, a.etivMm3());
        assertEquals(Map.of("EstimatedTotalIntraCranialVol", 1500000.5, "eTIV", 1500000.5), a.measures());
        assertTrue(a.structures().isEmpty());
        String m = assertThrows(KetaprintException.class,
            () -> AsegStats.read(file("short.stats", "# title\n# Measure A, a, 12\n"))).getMessage();
        assertTrue(m.contains("line 2: a Measure line needs"), m);
    }

    @Test
    void tableOnly() throws IOException {
        AsegStats a = AsegStats.read(file("t.stats",
            "# ColHeaders Index SegId NVoxels Volume_mm3 StructName\n1 17 4000 4100.5 Left-Hippocampus\n"));
        assertTrue(a.measures().isEmpty());
        assertEquals(new AsegStats.Structure(17, "Left-Hippocampus", 4000, 4100.5), a.structures().get(17));
        assertEquals(Double.NaN, a.etivMm3());
    }

    @Test
    void neitherIsNotAnAsegStatsFile() throws IOException {
        String m = assertThrows(KetaprintException.class, () -> AsegStats.read(file("e.stats", "# just a comment\n\n"))).getMessage();
        assertTrue(m.contains("not an aseg.stats file"), m);
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        String m = assertThrows(KetaprintException.class, () -> AsegStats.read(file("c.stats",
            "# ColHeaders Index SegId Volume_mm3 StructName\n1 17 4100.5 Left-Hippocampus\n"))).getMessage();
        assertTrue(m.contains("no 'NVoxels' column in the '# ColHeaders' line"), m);
    }
}
