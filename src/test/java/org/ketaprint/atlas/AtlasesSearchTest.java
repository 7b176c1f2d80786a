package org.ketaprint.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;

/** How atlases are found: by name through the folders (.nii.gz, .nii, FSL .xml), by path, and what they carry (issue 15). */
class AtlasesSearchTest {
    @TempDir
    Path tmp;

    Path image(Path f) throws IOException {
        Files.createDirectories(f.getParent());
        NiftiWriter.write(f, NiftiWriter.Spec.of(new long[] {2, 2, 2}, Affine.identity(), DataType.UINT8), new float[] {0, 1, 2, 1, 0, 2, 1, 0});
        return f;
    }

    Path text(Path f, String s) throws IOException {
        Files.createDirectories(f.getParent());
        Files.writeString(f, s);
        return f;
    }

    @Test
    void byNameThroughTheFoldersInOrder() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        image(a.resolve("tpl-Foo_atlas-X.nii"));
        text(a.resolve("tpl-Foo_atlas-X.txt"), "1 Left\n2 Right\n");
        image(b.resolve("tpl-Foo_atlas-X.nii.gz"));     // later folder: not taken
        Atlases at = new Atlases(List.of(empty, a, b));
        assertEquals(List.of(empty, a, b), at.dirs());
        Atlas x = at.resolve("tpl-Foo_atlas-X");
        assertEquals("tpl-Foo_atlas-X", x.name());
        assertEquals(a.resolve("tpl-Foo_atlas-X.nii"), x.image());
        assertEquals("Foo", x.space());
        assertEquals(Map.of(1, "Left", 2, "Right"), x.labels().names());
        assertEquals(List.of(x.image(), a.resolve("tpl-Foo_atlas-X.txt")), x.files());
        // .nii.gz before .nii in one folder
        image(b.resolve("bar_space-MNI305.nii.gz"));
        image(b.resolve("bar_space-MNI305.nii"));
        Atlas bar = at.resolve("bar_space-MNI305");
        assertEquals(b.resolve("bar_space-MNI305.nii.gz"), bar.image());
        assertEquals("MNI305", bar.space());
        assertNull(bar.labels());
        assertEquals(List.of(bar.image()), bar.files());
        String m = assertThrows(KetaprintException.class, () -> at.resolve("nothing")).getMessage();
        assertTrue(m.contains("atlas 'nothing' not found in"), m);
    }

    @Test
    void byPathAndByFile() throws IOException {
        Path img = image(tmp.resolve("d/my.atlas.nii.gz"));
        Atlases at = new Atlases(List.of());
        Atlas a = at.resolve(img.toString());
        assertEquals("my.atlas", a.name());
        assertEquals(img, a.image());
        assertEquals(Atlases.DEFAULT_SPACE, a.space());
        Atlas f = at.find(img.toString());
        assertEquals(img.toAbsolutePath(), f.image());
        assertEquals("my.atlas", f.name());
        // not a file: by name through the folders
        Atlases in = new Atlases(List.of(tmp.resolve("d")));
        assertEquals(img, in.find("my.atlas").image());
        assertThrows(KetaprintException.class, () -> at.find("my.atlas"));
    }

    @Test
    void fslXmlAtlas() throws IOException {
        Path dir = tmp.resolve("fsl");
        image(dir.resolve("Thing/Thing-maxprob.nii.gz"));
        text(dir.resolve("Thing.xml"), "<atlas><header><type>Label</type><images><imagefile>/Thing/Thing-maxprob</imagefile>"
            + "</images></header><data><label index=\"0\" x=\"1\">Alpha</label><label index=\"1\">Beta</label></data></atlas>");
        Atlas t = new Atlases(List.of(dir)).resolve("Thing");
        assertEquals(dir.resolve("Thing/Thing-maxprob.nii.gz"), t.image());
        assertEquals(Atlases.DEFAULT_SPACE, t.space());
        assertEquals(Map.of(1, "Alpha", 2, "Beta"), t.labels().names());
        assertEquals(dir.resolve("Thing.xml"), t.labels().file());
        assertEquals(List.of(t.image(), dir.resolve("Thing.xml")), t.files());
        text(dir.resolve("NoImage.xml"), "<atlas><label index=\"1\">A</label></atlas>");
        String m = assertThrows(KetaprintException.class, () -> new Atlases(List.of(dir)).resolve("NoImage")).getMessage();
        assertTrue(m.contains("no <imagefile>"), m);
        text(dir.resolve("Missing.xml"), "<atlas><imagefile>Gone/img</imagefile><label index=\"1\">A</label></atlas>");
        m = assertThrows(KetaprintException.class, () -> new Atlases(List.of(dir)).resolve("Missing")).getMessage();
        assertTrue(m.contains("atlas image Gone/img not found"), m);
    }

    @Test
    void standardSearchPathEndsWithMricron() {
        Path first = tmp.resolve("mine");
        List<Path> d = Atlases.standard(List.of(first)).dirs();
        assertEquals(first, d.get(0));
        assertEquals(Path.of("/usr/share/mricron/templates"), d.get(d.size() - 1));
        String fsl = System.getenv("FSLDIR");
        assertEquals(fsl != null && !fsl.isBlank() ? 3 : 2, d.size());
    }

    @Test
    void spaceAndStemOfNames() {
        assertEquals("MNI305", Atlases.spaceOf("atlas-X_space-MNI305_dseg"));
        assertEquals("MNI305", Atlases.spaceOf("space-MNI305"));
        assertEquals("Colin27", Atlases.spaceOf("tpl-Colin27_atlas-X"));
        assertEquals(Atlases.DEFAULT_SPACE, Atlases.spaceOf("aal"));
        assertEquals(Atlases.DEFAULT_SPACE, Atlases.spaceOf("myspace-X"));
        assertEquals("a", Atlases.stem(Path.of("/x/a.nii.gz")));
        assertEquals("a.b", Atlases.stem(Path.of("a.b.nii")));
        assertEquals("noext", Atlases.stem(Path.of("noext")));
        assertEquals(".hidden", Atlases.stem(Path.of(".hidden")));
        assertEquals("x", Atlases.stem(Path.of("x.mgz")));
    }

    @Test
    void labelTableMessagesNameTheirLine(@TempDir Path t) throws IOException {
        String m = assertThrows(KetaprintException.class,
            () -> LabelTable.dsegTsv(List.of("index\tname", "1\tA", "x\tB"), "s")).getMessage();
        assertTrue(m.contains("s: line 3: expected an integer index"), m);
        m = assertThrows(KetaprintException.class, () -> LabelTable.whitespaceTable(List.of("1 A", "", "2"), "s")).getMessage();
        assertTrue(m.contains("s: line 3: expected 'number name'"), m);
        assertTrue(LabelTable.besideNames(Path.of("/d/atl.nii.gz")).startsWith("atl.nii.txt, atl.txt, atl.xml, atl.tsv, atl_dseg.tsv, atl_LUT.txt"));
    }
}
