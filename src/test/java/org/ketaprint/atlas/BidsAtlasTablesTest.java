package org.ketaprint.atlas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.cli.Cli;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Images;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.roi.RoiPlacement;
import org.ketaprint.roi.RoiSpec;

/**
 * A BIDS atlas ({@code tpl-X_atlas-Y_res-2_dseg.nii.gz}) takes its label names from the {@code .tsv} beside it that
 * applies by BIDS inheritance, the most specific first ({@code atlas-Y_dseg.tsv} before {@code dseg.tsv}), wherever
 * atlases are read: {@link LabelTable#beside}, {@link Atlases}, {@code restingstate.Roi}, {@code roi.RoiPlacement};
 * and seedcorr/alff/gbc take {@code --lut} for the names of atlas ROIs.
 */
class BidsAtlasTablesTest {
    static final Path RS = Path.of("test-data", "restingstate");
    static final String ATLAS = "tpl-MNI152NLin2009cAsym_atlas-Demo_res-2_dseg.nii.gz";

    @TempDir
    Path dir;
    Path atlas;

    /** The resting-state test atlas (labels 1 frontal, 2 cingulate) under a BIDS name, with two applicable tables. */
    @BeforeEach
    void bidsAtlas() throws Exception {
        atlas = dir.resolve(ATLAS);
        Files.copy(RS.resolve("atlas.nii.gz"), atlas);
        Files.writeString(dir.resolve("dseg.tsv"), "index\tname\n1\tGeneric_One\n2\tGeneric_Two\n");
        Files.writeString(dir.resolve("atlas-Demo_dseg.tsv"), "index\tname\tabbreviation\n1\tFrontal cortex\tFC\n2\tSubgenual cingulate\tSGC\n");
        Files.writeString(dir.resolve("atlas-Other_dseg.tsv"), "index\tname\n1\tWrong\n");    // other atlas: never applies
        Files.writeString(dir.resolve("atlas-Demo_probseg.tsv"), "index\tname\n1\tWrong\n");  // other suffix: never applies
    }

    @Test
    void theMostSpecificTsvApplies() throws Exception {
        assertEquals(dir.resolve("atlas-Demo_dseg.tsv"), LabelTable.fileBeside(atlas));
        assertEquals(2, LabelTable.beside(atlas).label("subgenual cingulate"));
        Files.writeString(dir.resolve("tpl-MNI152NLin2009cAsym_atlas-Demo_dseg.tsv"), "index\tname\n1\tMost specific\n");
        assertEquals(1, LabelTable.beside(atlas).label("Most specific"));
        Files.delete(dir.resolve("tpl-MNI152NLin2009cAsym_atlas-Demo_dseg.tsv"));
        Files.delete(dir.resolve("atlas-Demo_dseg.tsv"));
        assertEquals(dir.resolve("dseg.tsv"), LabelTable.fileBeside(atlas), "the bare suffix applies to every dseg");
        Files.delete(dir.resolve("dseg.tsv"));
        assertNull(LabelTable.beside(atlas));
    }

    @Test
    void equallySpecificTablesAreAnError() throws Exception {
        Files.writeString(dir.resolve("res-2_dseg.tsv"), "index\tname\n1\tA\n");
        KetaprintException e = assertThrows(KetaprintException.class, () -> LabelTable.beside(atlas));
        assertTrue(e.getMessage().contains("atlas-Demo_dseg.tsv") && e.getMessage().contains("res-2_dseg.tsv")
            && e.getMessage().contains(ATLAS), e.getMessage());
    }

    @Test
    void aTableNamedAfterTheImageWins() throws Exception {
        Files.writeString(dir.resolve(ATLAS.replace(".nii.gz", ".nii.txt")), "1 Own_name\n2 Other_name\n");
        assertEquals(1, LabelTable.beside(atlas).label("Own name"));
    }

    @Test
    void atlasesByNameAndByFile() {
        Atlas a = new Atlases(List.of(dir)).resolve(ATLAS.replace(".nii.gz", ""));
        assertEquals(2, a.labels().label("Subgenual cingulate"));
        assertEquals("MNI152NLin2009cAsym", a.space(), "a TemplateFlow atlas is in its tpl- space");
        Atlas f = new Atlases(List.of()).find(atlas.toString());
        assertEquals(1, f.labels().label("frontal cortex"));
    }

    @Test
    void roisFindTheInheritedNames() {
        Grid g = Images.open(atlas).grid();
        boolean[] byNumber = Roi.atlas(atlas, List.of("2")).voxels(g);
        assertArrayEquals(byNumber, Roi.parse("atlas:" + atlas + ":Subgenual cingulate").voxels(g));
        RoiPlacement p = new RoiPlacement(new Atlases(List.of(dir)));
        assertArrayEquals(byNumber, p.place(RoiSpec.atlas(atlas.toString(), List.of("Subgenual_cingulate")), g).mask());
        assertArrayEquals(byNumber, p.place(RoiSpec.atlas(ATLAS.replace(".nii.gz", ""), List.of("subgenual-cingulate")), g).mask());
        KetaprintException e = assertThrows(KetaprintException.class, () -> Roi.parse("atlas:" + atlas + ":Generic_Two").voxels(g));
        assertTrue(e.getMessage().contains("atlas-Demo_dseg.tsv") && e.getMessage().contains("Generic_Two"), e.getMessage());
    }

    /** alff --roi atlas:FILE:NAME: names from the inherited dseg.tsv, or from --lut; the value is that of the label number. */
    @Test
    void restingCommandsTakeLutAndInheritedNames() throws Exception {
        String[] common = {"alff", RS.resolve("bold.nii.gz").toString(), "--mask", RS.resolve("brain_mask.nii.gz").toString(),
            "--confounds", RS.resolve("confounds.tsv").toString(), "--json"};
        double want = alff(common, "--roi", "atlas:" + RS.resolve("atlas.nii.gz") + ":2");
        assertEquals(want, alff(common, "--roi", "atlas:" + atlas + ":Subgenual cingulate"), 0.0);
        Path lut = dir.resolve("my_lut.txt");
        Files.writeString(lut, "# FreeSurfer-style\n1 pfc 0 0 0 0\n2 sgacc 255 0 0 0\n");
        assertEquals(want, alff(common, "--roi", "atlas:" + RS.resolve("atlas.nii.gz") + ":sgacc", "--lut", lut.toString()), 0.0);
        Cli c = Cli.run(concat(common, "--roi", "atlas:" + RS.resolve("atlas.nii.gz") + ":Cingulate_Sub", "--lut", lut.toString()));
        assertEquals(2, c.code);
        assertTrue(c.err.strip().lines().count() == 1 && c.err.contains("my_lut.txt") && c.err.contains("Cingulate_Sub"), c.err);
        // seedcorr and gbc take it too
        Cli s = Cli.run("seedcorr", RS.resolve("bold.nii.gz").toString(), "--mask", RS.resolve("brain_mask.nii.gz").toString(),
            "--seed", "atlas:" + RS.resolve("atlas.nii.gz") + ":sgacc", "--target", "atlas:" + RS.resolve("atlas.nii.gz") + ":pfc",
            "--lut", lut.toString(), "--json");
        Cli n = Cli.run("seedcorr", RS.resolve("bold.nii.gz").toString(), "--mask", RS.resolve("brain_mask.nii.gz").toString(),
            "--seed", "atlas:" + RS.resolve("atlas.nii.gz") + ":2", "--target", "atlas:" + RS.resolve("atlas.nii.gz") + ":1", "--json");
        assertEquals(0, s.code, s.err);
        assertEquals(n.json().get("z").asDouble(), s.json().get("z").asDouble(), 0.0);
        assertEquals(lut.toString(), s.json().get("parameters").get("lut").asText());
        assertTrue(Cli.run("gbc", "-h").out.contains("--lut"));
    }

    private static double alff(String[] common, String... more) {
        Cli c = Cli.run(concat(common, more));
        assertEquals(0, c.code, c.err);
        JsonNode o = c.json();
        assertTrue(o.get("parameters").get("roi_voxels").asInt() > 0);
        return o.get("alff").asDouble();
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
