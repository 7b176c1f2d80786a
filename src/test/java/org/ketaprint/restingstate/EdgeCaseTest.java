package org.ketaprint.restingstate;

import org.ketaprint.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/** Bad input: one-line errors naming the file and the problem, exit 2; n/a with a reason. */
class EdgeCaseTest {
    static final String D = "test-data/restingstate/";
    static final String[] BASE = {D + "bold.nii.gz", "--mask", D + "brain_mask.nii.gz", "--confounds", D + "confounds.tsv"};

    @TempDir
    Path tmp;

    static String[] args(String cmd, String... more) {
        String[] a = new String[1 + BASE.length + more.length];
        a[0] = cmd;
        System.arraycopy(BASE, 0, a, 1, BASE.length);
        System.arraycopy(more, 0, a, 1 + BASE.length, more.length);
        return a;
    }

    static void assertOneLineError(Cli c, String... parts) {
        assertEquals(2, c.code, c.err);
        String line = c.err.lines().filter(l -> !l.startsWith("WARNING")).findFirst().orElse("");
        assertTrue(line.startsWith("ketaprint: "), c.err);
        for (String p : parts) assertTrue(line.contains(p), "'" + p + "' not in: " + line);
        assertFalse(c.err.contains("\tat "), "stack trace: " + c.err);
    }

    @Test
    void roiOutsideTheMask() {
        Cli c = Cli.run(args("seedcorr", "--seed", "sphere:-60,-80,0,6", "--target", "sphere:38,44,26,10"));
        assertOneLineError(c, "sphere:-60,-80,0,6", "no voxel inside the brain mask", "bold.nii.gz");
    }

    @Test
    void tooLittleTimeAfterCensoringIsNa() {
        Cli c = Cli.run(args("seedcorr", "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10",
            "--fd-threshold", "0.05", "--json"));
        assertEquals(0, c.code, c.err);
        JsonNode o = c.json();
        assertTrue(o.get("r").isNull() && o.get("z").isNull());
        assertTrue(o.get("na_reason").asText().contains("left after censoring"), o.toString());
        assertTrue(o.get("n_used").asInt() * 2.0 < 120);
    }

    @Test
    void missingConfoundColumnsAreNamed() throws Exception {
        Path tsv = tmp.resolve("conf.tsv");
        List<String> lines = Files.readAllLines(Path.of(D + "confounds.tsv"));
        // trans_y_power2 is derived from trans_y (issue 13); base columns cannot be
        Files.write(tsv, lines.stream().map(l -> l.replace("trans_y_power2", "other").replace("trans_y\t", "transy\t")
            .replace("rot_z\t", "rotz\t")).toList());
        Cli c = Cli.run("seedcorr", D + "bold.nii.gz", "--mask", D + "brain_mask.nii.gz", "--confounds", tsv.toString(),
            "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10");
        assertOneLineError(c, "conf.tsv", "missing confound columns trans_y, rot_z (needed to derive trans_y_power2)");
    }

    @Test
    void confoundRowsMustMatchVolumes() throws Exception {
        Path tsv = tmp.resolve("short.tsv");
        List<String> lines = Files.readAllLines(Path.of(D + "confounds.tsv"));
        Files.write(tsv, lines.subList(0, 100));
        Cli c = Cli.run("seedcorr", D + "bold.nii.gz", "--mask", D + "brain_mask.nii.gz", "--confounds", tsv.toString(),
            "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10");
        assertOneLineError(c, "short.tsv", "99 rows", "150 volumes");
    }

    @Test
    void badRoiSpecsAndLabels() {
        assertOneLineError(Cli.run(args("seedcorr", "--seed", "cube:1,2,3", "--target", "sphere:38,44,26,10")), "cube:1,2,3");
        assertOneLineError(Cli.run(args("seedcorr", "--seed", "atlas:" + D + "atlas.nii.gz:Nowhere",
            "--target", "sphere:38,44,26,10")), "atlas.nii.txt", "Nowhere");
        assertOneLineError(Cli.run(args("seedcorr", "--seed", "atlas:" + D + "missing.nii.gz:1",
            "--target", "sphere:38,44,26,10")), "missing.nii.gz", "not found");
    }

    @Test
    void notABoldSeries() {
        Cli c = Cli.run("alff", D + "brain_mask.nii.gz", "--mask", D + "brain_mask.nii.gz", "--roi", "sphere:6,16,-10,10");
        assertOneLineError(c, "brain_mask.nii.gz", "not a BOLD time series");
    }

    @Test
    void sidecarTrWinsOverHeaderWithAWarning() throws Exception {
        Path bold = tmp.resolve("sub-01_bold.nii.gz");
        Files.copy(Path.of(D + "bold.nii.gz"), bold);
        Files.writeString(tmp.resolve("sub-01_bold.json"), "{\"RepetitionTime\": 2.5}");
        Cli c = Cli.run("seedcorr", bold.toString(), "--mask", D + "brain_mask.nii.gz", "--confounds", D + "confounds.tsv",
            "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10", "--json");
        assertEquals(0, c.code, c.err);
        assertEquals(2.5, c.json().get("tr").asDouble(), 0);
        assertEquals("sidecar", c.json().get("parameters").get("tr_source").asText());
        assertTrue(c.err.contains("disagrees"), c.err);
        Cli o = Cli.run("seedcorr", bold.toString(), "--mask", D + "brain_mask.nii.gz", "--confounds", D + "confounds.tsv",
            "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10", "--json", "--tr", "3");
        assertEquals(3.0, o.json().get("tr").asDouble(), 0);
    }

    @Test
    void unknownStrategy() {
        KetaprintException e = assertThrows(KetaprintException.class, () -> Strategy.parse("24P+wat"));
        assertTrue(e.getMessage().contains("wat"));
        assertOneLineError(Cli.run(args("alff", "--roi", "sphere:6,16,-10,10", "--band", "0.1,0.01")), "band");
    }
}
