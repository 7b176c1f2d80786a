package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.bids.BidsLayout;

/**
 * TransformFinder's preference .h5, then .txt, then .mat (issue 15), checked where it disagrees with the
 * alphabetical order of the names: with only .mat and .txt present, the .txt is chosen.
 */
class TransformFinderOrderTest {
    @TempDir
    Path tmp;

    @Test
    void txtBeforeMat() throws Exception {
        Files.writeString(tmp.resolve("dataset_description.json"), "{\"Name\":\"t\",\"BIDSVersion\":\"1.8.0\"}");
        Files.createDirectories(tmp.resolve("sub-01/anat"));
        Path anat = Files.createDirectories(tmp.resolve("derivatives/fmriprep/sub-01/anat"));
        String stem = "sub-01_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm";
        Files.writeString(anat.resolve(stem + ".mat"), "m");
        Files.writeString(anat.resolve(stem + ".txt"), "t");
        BidsLayout l = BidsLayout.index(tmp, java.util.List.of());
        assertEquals(anat.resolve(stem + ".txt"), TransformFinder.find(l, "01", null, "MNI152NLin2009cAsym", "T1w").orElseThrow());
        Files.writeString(anat.resolve(stem + ".h5"), "h");
        l = BidsLayout.index(tmp, java.util.List.of());
        assertEquals(anat.resolve(stem + ".h5"), TransformFinder.find(l, "01", null, "MNI152NLin2009cAsym", "T1w").orElseThrow());
    }
}
