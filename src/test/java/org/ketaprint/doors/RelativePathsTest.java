package org.ketaprint.doors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ketaprint.cli.Main;

/** Relative BIDS and output folders, as a user types them (maps are written, so derived paths are compared). */
class RelativePathsTest {
    @Test
    void relativeFoldersWork() throws Exception {
        Path rel = Path.of("target", "rel-out-" + ProcessHandle.current().pid());
        assertEquals(0, Main.run("test-data/demo-bids", rel.toString(), "participant", "--participant-label", "01",
            "--session-label", "pre", "--atlas-dir", "test-data/demo-atlases", "--quiet"));
        assertTrue(Files.isRegularFile(rel.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")));
        try (var s = Files.list(rel.resolve("sub-01/ses-pre"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith("_boldmap.nii.gz")), "maps were written");
        }
    }
}
