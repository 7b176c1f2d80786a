package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsName;

/** The {@code prefer} key of an input query: which of several matching files is taken. */
class InputPreferenceTest {
    static BidsFile f(String name) {
        return new BidsFile(Path.of("/d", name), BidsName.parse(name), true);
    }

    static List<String> names(List<BidsFile> fs) {
        return fs.stream().map(x -> x.path().getFileName().toString()).toList();
    }

    static final BidsFile MNI6 = f("sub-01_task-rest_space-MNI152NLin6Asym_desc-preproc_bold.nii.gz");
    static final BidsFile MNI9 = f("sub-01_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz");
    static final BidsFile T1W = f("sub-01_task-rest_space-T1w_desc-preproc_bold.nii.gz");
    static final BidsFile NONE = f("sub-01_task-rest_desc-preproc_bold.nii.gz");
    static final String PREFER = "space=MNI152NLin2009cAsym|MNI152NLin6Asym|T1w|!";

    @Test
    void firstListedValueThatAnyFileHasWins() {
        assertEquals(names(List.of(MNI9)), names(StageContext.preferred(List.of(MNI6, NONE, T1W, MNI9), PREFER)));
        assertEquals(names(List.of(MNI6)), names(StageContext.preferred(List.of(MNI6, NONE, T1W), PREFER)));
        assertEquals(names(List.of(T1W)), names(StageContext.preferred(List.of(NONE, T1W), PREFER)));
        assertEquals(names(List.of(NONE)), names(StageContext.preferred(List.of(NONE, f("sub-01_task-rest_space-fsLR_desc-preproc_bold.nii.gz")),
            PREFER)), "'!': the entity absent");
    }

    @Test
    void noPreferredValueKeepsAllAndRulesChain() {
        BidsFile a = f("sub-01_task-rest_space-MNIPediatricAsym_res-1_desc-preproc_bold.nii.gz");
        BidsFile b = f("sub-01_task-rest_space-MNIPediatricAsym_res-2_desc-preproc_bold.nii.gz");
        assertEquals(2, StageContext.preferred(List.of(a, b), PREFER).size(), "still ambiguous");
        assertEquals(names(List.of(b)), names(StageContext.preferred(List.of(a, b), PREFER + ";res=2")));
    }
}
