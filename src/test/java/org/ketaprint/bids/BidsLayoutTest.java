package org.ketaprint.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

class BidsLayoutTest {
    @TempDir
    Path root;

    void touch(String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void parsesEntitiesSuffixAndExtension() {
        BidsName n = BidsName.parse("sub-01_ses-pre_task-rest_run-2_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz");
        assertEquals("01", n.get("sub"));
        assertEquals("pre", n.get("ses"));
        assertEquals("rest", n.get("task"));
        assertEquals("2", n.get("run"));
        assertEquals("MNI152NLin2009cAsym", n.get("space"));
        assertEquals("bold", n.suffix);
        assertEquals(".nii.gz", n.extension);
        assertNull(BidsName.parse("README"));
        assertNull(BidsName.parse("dataset_description.json"));
    }

    @Test
    void findsBySubjectSessionAndEntities() throws Exception {
        touch("dataset_description.json", "{}");
        touch("sub-01/ses-pre/func/sub-01_ses-pre_task-rest_bold.nii.gz", "x");
        touch("sub-01/ses-post/func/sub-01_ses-post_task-rest_bold.nii.gz", "x");
        touch("sub-02/ses-pre/func/sub-02_ses-pre_task-rest_bold.nii.gz", "x");
        touch("derivatives/fmriprep/sub-01/ses-pre/func/sub-01_ses-pre_task-rest_space-MNI_desc-preproc_bold.nii.gz", "x");
        touch("derivatives/fmriprep/sub-01/ses-pre/func/sub-01_ses-pre_task-rest_desc-confounds_timeseries.tsv", "x");
        BidsLayout l = BidsLayout.index(root, List.of());
        assertEquals(List.of("01", "02"), l.subjects());
        assertEquals(List.of("post", "pre"), l.sessions("01"));
        assertTrue(l.warnings().isEmpty());
        List<BidsFile> bold = l.find("01", "pre", Map.of("suffix", "bold", "desc", "preproc", "space", "*"));
        assertEquals(1, bold.size());
        assertTrue(bold.get(0).derivative());
        assertEquals(1, l.find("01", "pre", Map.of("suffix", "bold", "desc", "!")).size());
        assertEquals(1, l.find("01", "pre", Map.of("suffix", "bold", "scope", "raw")).size());
        assertEquals(1, l.find("01", "pre", Map.of("suffix", "bold", "scope", "fmriprep")).size());
        assertEquals(1, l.find("01", "pre", Map.of("suffix", "timeseries|regressors", "extension", ".tsv")).size());
        assertEquals(0, l.find("02", "post", Map.of("suffix", "bold")).size());
    }

    @Test
    void sidecarInheritanceDeeperOverridesTopLevel() throws Exception {
        touch("dataset_description.json", "{}");
        touch("task-rest_bold.json", "{\"RepetitionTime\": 2.0, \"TaskName\": \"rest\"}");
        touch("sub-01/sub-01_task-rest_bold.json", "{\"RepetitionTime\": 1.5}");
        touch("sub-01/func/sub-01_task-rest_bold.nii.gz", "x");
        touch("sub-02/func/sub-02_task-rest_bold.nii.gz", "x");
        touch("sub-02/func/sub-02_task-rest_bold.json", "{\"EchoTime\": 0.03}");
        touch("task-other_bold.json", "{\"RepetitionTime\": 9}");
        BidsLayout l = BidsLayout.index(root, List.of());
        var m1 = l.metadata(root.resolve("sub-01/func/sub-01_task-rest_bold.nii.gz"));
        assertEquals(1.5, m1.get("RepetitionTime").asDouble());
        assertEquals("rest", m1.get("TaskName").asText());
        var m2 = l.metadata(root.resolve("sub-02/func/sub-02_task-rest_bold.nii.gz"));
        assertEquals(2.0, m2.get("RepetitionTime").asDouble());
        assertEquals(0.03, m2.get("EchoTime").asDouble());
        assertEquals(java.util.Collections.singletonList(null), l.sessions("01"));
    }

    @Test
    void missingDatasetDescriptionIsAWarningAndMissingRootAnError() throws Exception {
        touch("sub-01/anat/sub-01_T1w.nii.gz", "x");
        BidsLayout l = BidsLayout.index(root, List.of());
        assertEquals(1, l.warnings().size());
        assertTrue(l.warnings().get(0).contains("dataset_description.json"));
        KetaprintException e = assertThrows(KetaprintException.class, () -> BidsLayout.index(root.resolve("nope"), List.of()));
        assertTrue(e.getMessage().contains("nope"));
        assertTrue(Arrays.asList(e.getMessage().split("\n")).size() == 1);
    }
}
