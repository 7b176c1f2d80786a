package org.ketaprint.doors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.pipeline.DemoPipelineTest;
import org.ketaprint.table.Table;

/** Inputs without a space- entity: --space, and a sidecar's SpatialReference, give the demo's values. */
class DeclaredSpaceTest {
    static final String ATLASES = "test-data/demo-atlases";

    @TempDir
    Path tmp;

    static Map<String, String> run(Path bids, Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of(bids.toString(), out.toString(), "participant", "--participant-label", "01",
            "--session-label", "pre", "--atlas-dir", ATLASES, "--quiet"));
        a.addAll(List.of(extra));
        Main.run(a.toArray(String[]::new));
        return Table.read(out.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")).rows().get(0);
    }

    /** Renames sub-01's derivative files without their space- entity; returns how many. */
    static int stripSpace(Path bids, String nameContains) throws Exception {
        int n = 0;
        try (Stream<Path> s = Files.walk(bids.resolve("derivatives"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith("sub-01_") || !name.contains(nameContains) || !name.contains("_space-")
                    || p.toString().contains("petprep")) continue;
                Files.move(p, p.resolveSibling(name.replaceAll("_space-[A-Za-z0-9]+", "")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                n++;
            }
        }
        return n;
    }

    @Test
    void spaceFlagDeclaresTheSpaceOfUnentitiedFiles() throws Exception {
        Map<String, String> demo = run(DemoPipelineTest.copyDemo(tmp.resolve("demo")), tmp.resolve("out-demo"));
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        assertTrue(stripSpace(bids, "") >= 6);
        Map<String, String> declared = run(bids, tmp.resolve("out"), "--space", "MNI152NLin2009cAsym");
        // the PET and MRS stages read T1w-space files (stripping space- from the MNI GM map makes it shadow the T1w one)
        java.util.function.Predicate<String> t1wStages = k -> k.startsWith("pgacc_") || k.matches("(insula|pfc|habenula)_.*");
        demo.keySet().removeIf(t1wStages);
        declared.keySet().removeIf(t1wStages);
        assertEquals(demo, declared, "with --space the un-entitied copy gives the demo's values");
        Map<String, String> undeclared = run(bids, tmp.resolve("out-none"));
        assertEquals("n/a", undeclared.get("sgacc_rdlpfc_fc_z"));
        String prov = Files.readString(tmp.resolve("out-none/sub-01/ses-pre/sub-01_ses-pre_provenance.json"));
        assertTrue(prov.contains("--space MNI152"), "the failure names the flag that fixes it: " + prov);
    }

    @Test
    void sidecarSpatialReferenceDeclaresTheSpace() throws Exception {
        Map<String, String> demo = run(DemoPipelineTest.copyDemo(tmp.resolve("demo")), tmp.resolve("out-demo"));
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        assertEquals(4, stripSpace(bids, "desc-preproc_dwi.nii.gz") + stripSpace(bids, "MNI152NLin6Asym_desc-brain_mask.nii.gz"));   // pre and post
        Path dwi = bids.resolve("derivatives/qsiprep/sub-01/ses-pre/dwi");
        String stem = "sub-01_ses-pre_desc-preproc_dwi";
        try (Stream<Path> s = Files.list(dwi)) {
            for (Path p : s.toList()) {   // bval/bvec follow the DWI's name
                String n = p.getFileName().toString();
                if (n.matches(".*_space-[^_]+_desc-preproc_dwi\\.(bval|bvec)")) Files.move(p, dwi.resolve(stem + n.substring(n.lastIndexOf('.'))));
            }
        }
        Map<String, String> none = run(bids, tmp.resolve("out-none"));
        assertEquals("n/a", none.get("cingulum_cg_l_fa"), "native DWI without a transform: n/a");
        Files.writeString(dwi.resolve(stem + ".json"),
            "{\"SpatialReference\": \"https://templateflow.s3.amazonaws.com/tpl-MNI152NLin6Asym/tpl-MNI152NLin6Asym_res-01_T1w.nii.gz\"}");
        Map<String, String> ref = run(bids, tmp.resolve("out-ref"));
        for (String c : List.of("cingulum_cg_l_fa", "cingulum_hc_r_md")) {
            assertNotEquals("n/a", ref.get(c));
            assertEquals(demo.get(c), ref.get(c), c);
        }
    }
}
