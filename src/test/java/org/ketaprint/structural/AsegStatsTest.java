package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** test-data/structural/aseg.stats is written in mri_segstats' layout with values chosen by hand. */
class AsegStatsTest {
    @Test
    void readsMeasuresAndTable() {
        AsegStats s = AsegStats.read(TestData.DIR.resolve("aseg.stats"));
        assertEquals(1543210.987654, s.etivMm3(), 1e-9);
        assertEquals(1187654.0, s.measure("BrainSegVol"));
        assertEquals(1187654.0, s.measure("brainseg"));
        assertEquals(6, s.structures().size());
        assertEquals(4102.7, s.volumeMm3(17));
        assertEquals(4210, s.structures().get(17).voxels());
        assertEquals("Right-Accumbens-area", s.structures().get(58).name());
        assertEquals(588.6, s.volumeMm3(58));
        assertTrue(Double.isNaN(s.volumeMm3(18)));
    }

    @Test
    void noEtivIsNaN(@TempDir Path tmp) throws Exception {
        Path p = tmp.resolve("aseg.stats");
        Files.writeString(p, "# ColHeaders  Index SegId NVoxels Volume_mm3 StructName\n 1 17 10 9.5 Left-Hippocampus\n");
        AsegStats s = AsegStats.read(p);
        assertTrue(Double.isNaN(s.etivMm3()));
        assertEquals(9.5, s.volumeMm3(17));
        assertEquals(null, IcvEstimate.fromAsegStats(s));
    }

    @Test
    void garbageIsAOneLineError(@TempDir Path tmp) throws Exception {
        Path p = tmp.resolve("aseg.stats");
        Files.writeString(p, "# ColHeaders  Index SegId NVoxels Volume_mm3 StructName\n 1 17 ten 9.5 Left-Hippocampus\n");
        KetaprintException e = assertThrows(KetaprintException.class, () -> AsegStats.read(p));
        assertTrue(e.getMessage().startsWith(p + ": line 2: 'ten' is not a number"), e.getMessage());
        Path q = tmp.resolve("empty.stats");
        Files.writeString(q, "hello\n");
        e = assertThrows(KetaprintException.class, () -> AsegStats.read(q));
        assertTrue(e.getMessage().contains("before the '# ColHeaders'"), e.getMessage());
        Path r = tmp.resolve("missing.stats");
        e = assertThrows(KetaprintException.class, () -> AsegStats.read(r));
        assertTrue(e.getMessage().startsWith(r + ": cannot read"), e.getMessage());
    }
}
