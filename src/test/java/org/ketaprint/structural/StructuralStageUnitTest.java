package org.ketaprint.structural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageSpec;
import org.ketaprint.pipeline.TestContexts;

/** StructuralStage without the pipeline: which files it finds, records and logs, and what it validates. */
class StructuralStageUnitTest {
    @TempDir
    Path tmp;
    Path bids;
    Path fsSub;
    Path fsSes;
    Path lut;

    @BeforeEach
    void dataset() throws Exception {
        bids = tmp.resolve("bids");
        Files.createDirectories(bids.resolve("sub-01/ses-pre/anat"));
        Files.writeString(bids.resolve("dataset_description.json"), "{\"Name\":\"t\",\"BIDSVersion\":\"1.9.0\"}");
        Files.writeString(bids.resolve("sub-01/ses-pre/anat/sub-01_ses-pre_T1w.json"), "{}");
        fsSub = Files.createDirectories(bids.resolve("derivatives/freesurfer/sub-01"));
        fsSes = Files.createDirectories(bids.resolve("derivatives/freesurfer/sub-01_ses-pre"));
        for (Path fs : List.of(fsSub, fsSes)) {
            Files.createDirectories(fs.resolve("mri"));
            Files.createDirectories(fs.resolve("stats"));
            Files.copy(TestData.DIR.resolve("labels_oblique.mgz"), fs.resolve("mri/aseg.mgz"));
            Files.copy(TestData.DIR.resolve("aseg.stats"), fs.resolve("stats/aseg.stats"));
        }
        lut = tmp.resolve("lut.txt");
        Files.writeString(lut, "17 Left-Hippocampus 220 216 20 0\n53 Right-Hippocampus 220 216 20 0\n");
    }

    BidsLayout layout() {
        return BidsLayout.index(bids, List.of());
    }

    static StageSpec spec(Path lut, String freesurfer) {
        return StageSpec.of("structural", StructuralStage.TYPE, new StructuralStage.Params(lut, freesurfer));
    }

    @Test
    void theSessionsFreeSurferFolderComesBeforeTheSubjects() {
        List<String> log = new ArrayList<>();
        StageContext ses = TestContexts.of(spec(null, "auto"), layout(), "01", "pre", Map.of(), new LinkedHashMap<>(), null, log::add);
        assertEquals(fsSes.resolve("stats/aseg.stats"), StructuralStage.freesurferFile(ses, "stats/aseg.stats"));
        StageContext noSes = TestContexts.of(spec(null, "auto"), layout(), "01", null, Map.of(), new LinkedHashMap<>(), null, log::add);
        assertEquals(fsSub.resolve("stats/aseg.stats"), StructuralStage.freesurferFile(noSes, "stats/aseg.stats"));
        assertNull(StructuralStage.freesurferFile(ses, "stats/nothing.stats"));
    }

    @Test
    void withoutASegInputTheFreeSurferAsegIsUsedLoggedAndRecorded() {
        List<String> log = new ArrayList<>();
        Map<String, String> used = new LinkedHashMap<>();
        StageContext c = TestContexts.of(spec(lut, "auto"), layout(), "01", "pre", Map.of(), used, null, log::add);
        Segmentation s = StructuralStage.prepare(c);
        Path mgz = fsSes.resolve("mri/aseg.mgz");
        assertEquals(mgz, s.path());
        assertEquals(List.of("[structural] seg: using FreeSurfer " + mgz), log);
        assertEquals(Set.of(lut.toString(), mgz.toString(), fsSes.resolve("stats/aseg.stats").toString()), used.keySet());
        assertEquals(53, s.label("Right-Hippocampus"));
        assertTrue(s.stats != null && s.icv.source().contains("eTIV"), s.icv.source());
    }

    @Test
    void aGivenSegIsNotLoggedAndFreesurferNoneReadsNoStats() {
        List<String> log = new ArrayList<>();
        Map<String, String> used = new LinkedHashMap<>();
        Path seg = TestData.DIR.resolve("labels_oblique.mgz");
        StageContext c = TestContexts.of(spec(null, "none"), layout(), "01", "pre", Map.of("seg", seg), used, null, log::add);
        Segmentation s = StructuralStage.prepare(c);
        assertEquals(seg, s.path());
        assertEquals(List.of(), log);
        assertNull(s.stats);
        assertEquals(Set.of(seg.toString()), used.keySet(), "the seg is recorded, no label table or aseg.stats");
    }

    @Test
    void checkNotesTheLabelTableAndAsegStatsWithoutHashingThem() {
        Set<String> checked = new LinkedHashSet<>();
        Map<String, String> used = new LinkedHashMap<>();
        StageContext c = TestContexts.of(spec(lut, "auto"), layout(), "01", "pre", Map.of(), used, checked, l -> { });
        new StructuralStage().check(c);
        assertEquals(Set.of(lut.toString(), fsSes.resolve("mri/aseg.mgz").toString(),
            fsSes.resolve("stats/aseg.stats").toString()), checked);
        assertTrue(used.isEmpty());
    }

    @Test
    void validateNamesAMissingLookupTableAndAnUnknownLabel() throws Exception {
        Path yaml = tmp.resolve("p.yaml");
        Files.writeString(yaml, String.join("\n", "name: p", "stages:", "  - type: structural",
            "    params:", "      lut: " + tmp.resolve("no-such-lut.txt"),
            "    features:", "      - {column: hc, measure: volume, label: Left-Hippocampus}", ""));
        Problems pr = new Problems();
        PipelineSpec.parse(yaml, pr);
        assertEquals(1, pr.errors().size(), pr.errors().toString());
        assertTrue(pr.errors().get(0).contains("lookup table '" + tmp.resolve("no-such-lut.txt") + "' does not exist"),
            pr.errors().toString());

        Files.writeString(yaml, String.join("\n", "name: p", "stages:", "  - type: structural", "    params:", "      lut: " + lut,
            "    features:", "      - {column: hc, measure: volume, label: Left-Hippocampus}",
            "      - {column: x, measure: volume, label: Left-Amygdala}", "      - {column: n, measure: volume, label: 18}", ""));
        Problems pr2 = new Problems();
        PipelineSpec.parse(yaml, pr2);
        assertEquals(1, pr2.errors().size(), pr2.errors().toString());
        assertTrue(pr2.errors().get(0).contains("Left-Amygdala"), pr2.errors().toString());
        assertFalse(pr2.errors().get(0).contains("Left-Hippocampus"));
    }

    @Test
    void describesItself() {
        assertEquals("Region volumes (mm^3) from a segmentation, with ICV and FreeSurfer aseg.stats",
            new StructuralStage().description());
    }
}
