package org.ketaprint.structural;

import org.ketaprint.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ketaprint.cli.Main;

/** {@code ketaprint volumes} end to end through Main.run, stdout and stderr captured. */
class VolumesCommandTest {
    String out;
    String err;

    int run(String... args) {
        Cli c = Cli.run(args);
        out = c.out;
        err = c.err;
        return c.code;
    }

    static String f(String name) {
        return TestData.DIR.resolve(name).toString();
    }

    @Test
    void jsonMatchesNumpyCounts() throws Exception {
        assertEquals(0, run("volumes", f("labels_oblique.mgz"), "--labels", "17,53,26,58,18", "--json"), err);
        JsonNode a = new ObjectMapper().readTree(out);
        JsonNode c = TestData.ref("labels_oblique.mgz").get("counts");
        assertEquals(5, a.size());
        for (JsonNode o : a) {
            assertEquals(4, o.size(), "label, name, voxels, volume_mm3");
            JsonNode want = c.get(o.get("label").asText());
            long n = want == null ? 0 : want.get("voxels").asLong();
            assertEquals(n, o.get("voxels").asLong());
            assertEquals(want == null ? 0 : want.get("volume_mm3").asDouble(), o.get("volume_mm3").asDouble(), 1e-6 * n,
                "nibabel builds the MGH affine in float32 arithmetic, ketaprint in float64");
        }
        assertEquals("Left-Hippocampus", a.get(0).get("name").asText());
        assertTrue(err.contains("warning") && err.contains("label 18 (Left-Amygdala) has no voxels"), err);
    }

    @Test
    void namesAndText() {
        assertEquals(0, run("volumes", f("labels_oblique.nii.gz"), "--names", "right-hippocampus,Left-Accumbens-area"));
        String[] lines = out.strip().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].matches("53\\s+Right-Hippocampus\\s+24\\s+\\S+"), lines[1]);
        assertTrue(lines[2].matches("26\\s+Left-Accumbens-area\\s+6\\s+\\S+"), lines[2]);
    }

    @Test
    void probseg() throws Exception {
        assertEquals(0, run("volumes", f("probseg_4d.nii.gz"), "--probseg", "--json"), err);
        JsonNode a = new ObjectMapper().readTree(out);
        for (int t = 0; t < 3; t++) {
            assertEquals(TestData.ref("probseg_4d.nii.gz").get("volume_mm3").get(t).asDouble(),
                a.get(t).get("volume_mm3").asDouble(), 1e-6);
        }
    }

    @Test
    void badInputIsOneLineAndExit2() {
        String[][] cases = {
            {"labels_nonint.nii.gz", "not an integer"},
            {"labels_oblique.nii.gz --labels 1000", "no label 1000"},
            {"labels_oblique.nii.gz --names Hippocampus", "no label named 'Hippocampus'"},
            {"labels_oblique.nii.gz --mask " + f("mask_other_grid.nii.gz"), "grid differs from the mask"},
            {"missing.mgz", "no such file"},
        };
        for (String[] c : cases) {
            String[] words = c[0].split(" ");
            String[] args = new String[words.length + 1];
            args[0] = "volumes";
            args[1] = f(words[0]);
            System.arraycopy(words, 1, args, 2, words.length - 1);
            assertEquals(2, run(args), c[0]);
            assertEquals(1, err.strip().lines().count(), err);
            assertTrue(err.startsWith("ketaprint: ") && err.contains(c[1]), err);
        }
    }
}
