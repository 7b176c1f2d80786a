package org.ketaprint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ketaprint dti --write-maps}: the diffusion stage's write_maps on the command line (same names, default). */
class DtiWriteMapsTest {
    static final Path DATA = Path.of("test-data/diffusion");

    @TempDir
    Path tmp;

    Cli dti(String... more) {
        String[] base = {"dti", DATA.resolve("small_25.nii.gz").toString(), "--bval", DATA.resolve("small_25.bval").toString(),
            "--bvec", DATA.resolve("small_25.bvec").toString(), "--mask", DATA.resolve("small_25_dipy_mask.nii.gz").toString()};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Cli.run(args);
    }

    Set<String> files(String dir) {
        Set<String> s = new TreeSet<>();
        File[] fs = tmp.resolve(dir).toFile().listFiles();
        for (File f : fs == null ? new File[0] : fs) s.add(f.getName());
        return s;
    }

    @Test
    void writesTheMapsNamed() {
        tmp.resolve("a").toFile().mkdirs();
        tmp.resolve("b").toFile().mkdirs();
        tmp.resolve("c").toFile().mkdirs();
        assertEquals(0, dti("--out", tmp.resolve("a/x").toString(), "--write-maps", "v1,FA").code);
        assertEquals(Set.of("x_FA.nii.gz", "x_V1.nii.gz"), files("a"));
        assertEquals(0, dti("--out", tmp.resolve("b/x").toString()).code);
        assertEquals(Set.of("x_FA.nii.gz", "x_MD.nii.gz"), files("b"));
        assertEquals(0, dti("--out", tmp.resolve("c/x").toString(), "--write-maps", "true").code);
        assertEquals(6, files("c").size(), files("c").toString());
    }

    @Test
    void anUnknownNameIsAOneLineError() {
        Cli c = dti("--out", tmp.resolve("x").toString(), "--write-maps", "fa,l2");
        assertEquals(2, c.code);
        assertTrue(c.err.startsWith("ketaprint: ") && c.err.contains("unknown map 'l2'"), c.err);
        assertEquals(1, c.err.strip().lines().count(), c.err);
    }
}
