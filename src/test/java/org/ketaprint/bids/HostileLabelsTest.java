package org.ketaprint.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder names that are not BIDS labels (control characters, spaces) are skipped with a one-line warning. */
class HostileLabelsTest {
    @TempDir
    Path tmp;

    @Test
    void nonAlphanumericSubjectFoldersAreSkipped() throws Exception {
        Files.writeString(tmp.resolve("dataset_description.json"), "{\"Name\":\"t\",\"BIDSVersion\":\"1.9.0\"}");
        Files.createDirectories(tmp.resolve("sub-01/anat"));
        Files.createDirectories(tmp.resolve("sub-0\u001b[31m/anat"));
        Files.createDirectories(tmp.resolve("sub-0\u0007 1/anat"));
        BidsLayout l = BidsLayout.index(tmp, List.of());
        assertEquals(List.of("01"), l.subjects());
        assertEquals(2, l.warnings().stream().filter(w -> w.contains("skipped: a BIDS label")).count(), l.warnings().toString());
        for (String w : l.warnings()) assertTrue(w.chars().noneMatch(Character::isISOControl), w);
    }
}
