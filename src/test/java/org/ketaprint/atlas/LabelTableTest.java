package org.ketaprint.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

class LabelTableTest {
    @TempDir
    Path dir;

    Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void freesurferLut() throws Exception {
        LabelTable t = LabelTable.read(write("FreeSurferColorLUT.txt",
            "#No. Label Name:  R G B A\n\n  0  Unknown  0 0 0 0\n 17  Left-Hippocampus  220 216 20 0\n53 Right-Hippocampus 220 216 20 0\n"));
        assertEquals(17, t.label("left-hippocampus"));
        assertEquals("Right-Hippocampus", t.name(53));
    }

    @Test
    void mricronTxtMatchesFslStyleNames() throws Exception {
        LabelTable t = LabelTable.read(write("JHU.nii.txt", "0\tUnclassified\n35\tCingulum_(cingulate_gyrus)_R\n36\tCingulum_(cingulate_gyrus)_L\n"));
        assertEquals(35, t.label("Cingulum (cingulate gyrus) R"));
        assertEquals(36, t.label("cingulum_(cingulate_gyrus)_l"));
    }

    @Test
    void fslXmlLabelAtlasIndicesAreImageValuesMinusOne() throws Exception {
        // FSL label atlases without a background entry (e.g. HarvardOxford): index 0 is image value 1
        String xml = "<?xml version=\"1.0\"?><atlas><header><type>Label</type></header><data>"
            + "<label index=\"0\" x=\"1\" y=\"2\" z=\"3\">Middle cerebellar peduncle</label>"
            + "<label index=\"34\" x=\"1\" y=\"2\" z=\"3\">Cingulum (cingulate gyrus) R</label></data></atlas>";
        LabelTable t = LabelTable.read(write("JHU-labels.xml", xml));
        assertEquals(35, t.label("Cingulum (cingulate gyrus) R"));
        assertEquals(1, t.label("Middle cerebellar peduncle"));
    }

    @Test
    void fslXmlWithUnclassifiedZeroIsNotShifted() throws Exception {
        String xml = "<atlas><header><type>Label</type></header><data><label index=\"0\">Unclassified</label>"
            + "<label index=\"5\">Thing</label></data></atlas>";
        assertEquals(5, LabelTable.read(write("x.xml", xml)).label("Thing"));
    }

    @Test
    void bidsDsegTsv() throws Exception {
        LabelTable t = LabelTable.read(write("desc-aseg_dseg.tsv", "index\tname\tabbreviation\n17\tLeft-Hippocampus\tLHC\n"));
        assertEquals(17, t.label("Left-Hippocampus"));
    }

    @Test
    void unknownNameIsAClearError() throws Exception {
        LabelTable t = LabelTable.read(write("lut.txt", "1 A\n"));
        KetaprintException e = assertThrows(KetaprintException.class, () -> t.label("B"));
        assertTrue(e.getMessage().contains("lut.txt") && e.getMessage().contains("'B'"), e.getMessage());
        assertThrows(KetaprintException.class, () -> LabelTable.read(write("bad.txt", "x y\n")));
    }

    @Test
    void atlasesResolveByNameInOrder() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(b.resolve("myatlas.nii.gz"), "");
        Files.writeString(b.resolve("myatlas.nii.txt"), "1 One\n");
        Atlas at = new Atlases(List.of(a, b)).resolve("myatlas");
        assertEquals(b.resolve("myatlas.nii.gz"), at.image());
        assertEquals(1, at.labels().label("one"));
        assertEquals("MNI152", at.space());
        assertThrows(KetaprintException.class, () -> new Atlases(List.of(a)).resolve("myatlas"));
    }
}
