package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Main;
import org.ketaprint.pipeline.DemoPipelineTest;
import org.ketaprint.pipeline.PipelineSpec;

/**
 * {@code write_maps} on the demo's sub-01 ses-pre without its DWI mask (so median_otsu makes one): exactly the
 * maps named are written, the computed mask always; an unknown name is a validation error naming file and line.
 */
class WriteMapsPipelineTest {
    static final String MAP = "sub-01_ses-pre_space-MNI152NLin6Asym_model-tensor_param-%s_dwimap.nii.gz";
    static final String MASK = "sub-01_ses-pre_space-MNI152NLin6Asym_desc-brain_mask.nii.gz";

    @TempDir
    Path tmp;
    Path bids;

    @BeforeEach
    void demoWithoutDwiMask() throws Exception {
        bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        Files.delete(bids.resolve("derivatives/qsiprep/sub-01/ses-pre/dwi/" + MASK));
    }

    Path pipeline(String name, String writeMaps) throws Exception {
        Path p = tmp.resolve(name + ".yaml");
        Files.writeString(p, String.join("\n",
            "name: dwi-maps",
            "stages:",
            "  - type: diffusion",
            "    params:",
            writeMaps == null ? "      method: wls" : "      write_maps: " + writeMaps,
            "    features:",
            "      - {column: cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L, map: fa}",
            ""));
        return p;
    }

    /** The images written for sub-01 ses-pre. */
    Set<String> written(String name, String writeMaps) throws Exception {
        Path out = tmp.resolve("out-" + name);
        assertEquals(0, Main.run(bids.toString(), out.toString(), "participant", "--participant-label", "01",
            "--session-label", "pre", "--pipeline", pipeline(name, writeMaps).toString(), "--atlas-dir",
            "test-data/demo-atlases", "--quiet"));
        Set<String> s = new TreeSet<>();
        try (Stream<Path> files = Files.list(out.resolve("sub-01/ses-pre"))) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".nii.gz")).forEach(s::add);
        }
        return s;
    }

    static Set<String> maps(String... names) {
        Set<String> s = new TreeSet<>(Set.of(MASK));
        for (String n : names) s.add(String.format(MAP, n));
        return s;
    }

    @Test
    void exactlyTheMapsNamed() throws Exception {
        assertEquals(maps("fa"), written("list", "[fa]"));
        assertEquals(maps("fa", "md", "ad", "rd", "v1", "s0"), written("true", "true"));
        assertEquals(maps(), written("false", "false"));
        assertEquals(maps("fa", "md"), written("default", null));
        assertEquals(maps("md", "s0"), written("text", "S0,md"));
    }

    @Test
    void anUnknownNameIsOneLineNamingFileAndLine() throws Exception {
        Path p = pipeline("bad", "[fa, tensor]");
        KetaprintException e = assertThrows(KetaprintException.class, () -> PipelineSpec.load(p));
        assertTrue(e.getMessage().startsWith(p + ": line 5: ") && e.getMessage().contains("write_maps")
            && e.getMessage().contains("unknown map 'tensor'") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
