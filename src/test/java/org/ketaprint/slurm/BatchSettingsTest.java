package org.ketaprint.slurm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;

/** Option checks: SLURM's time and memory formats, shell-safe names. */
class BatchSettingsTest {
    static BatchSettings with(java.util.function.Consumer<BatchSettings> f) {
        BatchSettings s = new BatchSettings();
        f.accept(s);
        return s;
    }

    @Test
    void acceptsSlurmTimeFormats() {
        // minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS: accepted and passed to sbatch unchanged
        for (String t : List.of("30", "30:00", "01:00:00", "2-00", "2-12:00", "1-00:00:00", "0-1:2:3")) {
            BatchSettings s = with(x -> x.time = t);
            assertDoesNotThrow(s::validate, t);
            assertEquals(t, s.time);
        }
        // BatchSettings does not parse --time into a duration (sbatch does); the value reaches #SBATCH as given
        assertEquals("01:00:00", new BatchSettings().time);
        assertDoesNotThrow(new BatchSettings()::validate);
    }

    @Test
    void refusesBadSlurmTimeFormats() {
        for (String t : java.util.Arrays.asList("1h", "", " 30", "30 ", "30:", ":30", "1:2:3:4", "1-", "-1", "1-2-3",
                "a-01", "01:00:00;rm", "1:234", "1.5", null)) {
            KetaprintException e = assertThrows(KetaprintException.class, with(s -> s.time = t)::validate, String.valueOf(t));
            assertTrue(e.getMessage().startsWith("--time '"), e.getMessage());
        }
    }

    @Test
    void rejectsBadValuesNamingTheOption() {
        assertMessage("--time '1h'", with(s -> s.time = "1h"));
        assertMessage("--mem '4GB!'", with(s -> s.mem = "4GB!"));
        assertMessage("--mem '100M': at least 256M", with(s -> s.mem = "100M"));
        assertMessage("--cpus-per-task 0", with(s -> s.cpusPerTask = 0));
        assertMessage("--array-limit -1", with(s -> s.arrayLimit = -1));
        assertMessage("--array-index-var 'SGE TASK'", with(s -> s.indexVar = "SGE TASK"));
        assertMessage("--partition 'a;rm'", with(s -> s.partition = "a;rm"));
        assertMessage("--sbatch-arg 'qos=long'", with(s -> s.sbatchArgs = List.of("qos=long")));
    }

    static void assertMessage(String start, BatchSettings s) {
        KetaprintException e = assertThrows(KetaprintException.class, s::validate);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void memoryUnitsAndHeap() {
        assertEquals(4096, with(s -> s.mem = "4G").memoryMegabytes());
        assertEquals(4096, with(s -> s.mem = "4096").memoryMegabytes()); // SLURM's default unit is MB
        assertEquals(1024, with(s -> s.mem = "1048576K").memoryMegabytes());
        assertEquals(2 * 1024 * 1024, with(s -> s.mem = "2T").memoryMegabytes());
        assertEquals(768, with(s -> s.mem = "1G").heapMegabytes());
    }
}
