package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsLayout;

/**
 * StageContext.resolveInputs with several matches: runs (files differing only in run-) for a multi-run input, sorted
 * by run number; an error for an input that takes one; an error naming acq-, rec-, res-, cohort- or echo- when the
 * matches differ in it; anything else ambiguous as before.
 */
class RunInputsTest {
    @TempDir
    Path tmp;

    static final Map<String, String> BOLD = Map.of("task", "rest", "desc", "preproc", "suffix", "bold", "extension", ".nii.gz");

    BidsLayout layout(String... names) throws Exception {
        Path func = tmp.resolve("derivatives/fmriprep/sub-01/func");
        Files.createDirectories(func);
        Files.createDirectories(tmp.resolve("sub-01"));
        for (String n : names) Files.writeString(func.resolve(n), "");
        return BidsLayout.index(tmp, List.of());
    }

    static StageSpec spec(boolean multiRun) {
        StageSpec s = StageSpec.of("rs", "restingstate", null);
        s.inputs.put("bold", new LinkedHashMap<>(BOLD));
        if (multiRun) s.multiRun.add("bold");
        return s;
    }

    static List<String> names(List<BidsFile> fs) {
        return fs.stream().map(f -> f.path().getFileName().toString()).toList();
    }

    @Test
    void runsOfAMultiRunInputSortedByNumber() throws Exception {
        BidsLayout l = layout("sub-01_task-rest_run-10_desc-preproc_bold.nii.gz", "sub-01_task-rest_run-2_desc-preproc_bold.nii.gz",
            "sub-01_task-rest_run-1_desc-preproc_bold.nii.gz");
        List<String> problems = new ArrayList<>();
        Map<String, List<BidsFile>> in = StageContext.resolveInputs(spec(true), l, "01", null, problems);
        assertEquals(List.of(), problems);
        assertEquals(List.of("sub-01_task-rest_run-1_desc-preproc_bold.nii.gz", "sub-01_task-rest_run-2_desc-preproc_bold.nii.gz",
            "sub-01_task-rest_run-10_desc-preproc_bold.nii.gz"), names(in.get("bold")));
    }

    @Test
    void runsOfAnInputThatTakesOneAreAnError() throws Exception {
        BidsLayout l = layout("sub-01_task-rest_run-1_desc-preproc_bold.nii.gz", "sub-01_task-rest_run-2_desc-preproc_bold.nii.gz");
        List<String> problems = new ArrayList<>();
        StageContext.resolveInputs(spec(false), l, "01", null, problems);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("input 'bold' matches 2 runs (run-1, run-2) but the stage takes one")
            && problems.get(0).contains("run: \"2\""), problems.get(0));
    }

    @Test
    void entitiesThatNeedAQueryAreNamedWithTheirValues() throws Exception {
        for (String e : StageContext.PICK_ONE) {
            Path d = tmp.resolve("derivatives");
            if (Files.exists(d)) {
                try (var s = Files.walk(d)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            // two runs, each in two values of the entity (and one file without it): not runs, an error naming the entity
            BidsLayout l = layout("sub-01_task-rest_" + e + "-a_run-1_desc-preproc_bold.nii.gz",
                "sub-01_task-rest_" + e + "-b_run-1_desc-preproc_bold.nii.gz", "sub-01_task-rest_" + e + "-b_run-2_desc-preproc_bold.nii.gz",
                "sub-01_task-rest_run-2_desc-preproc_bold.nii.gz");
            List<String> problems = new ArrayList<>();
            Map<String, List<BidsFile>> in = StageContext.resolveInputs(spec(true), l, "01", null, problems);
            assertEquals(1, problems.size(), problems.toString());
            String p = problems.get(0);
            assertTrue(p.contains("differ in " + e + "- ((none), a, b)") && p.contains("set " + e + " in the stage's inputs:")
                && p.contains("inputs: {bold: {..., " + e + ": \"b\"}}") && !p.contains("\n"), p);
            assertTrue(in.get("bold") == null);
        }
    }

    @Test
    void otherDifferencesStayAmbiguous() throws Exception {
        BidsLayout l = layout("sub-01_task-rest_dir-AP_run-1_desc-preproc_bold.nii.gz", "sub-01_task-rest_dir-PA_run-2_desc-preproc_bold.nii.gz");
        List<String> problems = new ArrayList<>();
        StageContext.resolveInputs(spec(true), l, "01", null, problems);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("is ambiguous: 2 files match"), problems.get(0));
    }
}
