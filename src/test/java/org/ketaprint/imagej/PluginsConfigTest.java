package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.NiftiImage;

/** plugins.config names loadable PlugIns with unique labels; the import/save plugins run without a display. */
class PluginsConfigTest {
    @TempDir
    Path tmp;

    @AfterEach
    void closeBatchImages() {
        Interpreter.batchMode = false;
    }

    @Test
    void menuEntriesAreLoadablePlugIns() throws Exception {
        List<String[]> entries = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/plugins.config")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split(",\\s*");
                assertEquals(3, f.length, line);
                entries.add(f);
            }
        }
        Set<String> labels = new HashSet<>();
        for (String[] f : entries) {
            assertTrue(labels.add(f[1]), "duplicate ImageJ command " + f[1]);
            Class<?> c = Class.forName(f[2].trim().replaceFirst("\\(\".*\"\\)$", ""));
            assertTrue(PlugIn.class.isAssignableFrom(c), c + " is not a PlugIn");
        }
        assertEquals(List.of("File>Import", "File>Save As", "Plugins>ketaprint", "Plugins>ketaprint", "Plugins>ketaprint",
            "Plugins>ketaprint", "Plugins>ketaprint", "Plugins>ketaprint", "Plugins>ketaprint", "Plugins>ketaprint",
            "Plugins>ketaprint", "Plugins>ketaprint"), entries.stream().limit(12).map(f -> f[0]).toList());
        assertEquals(List.of("\"Image info\"", "\"Region volumes\"", "\"Run pipeline on a BIDS folder...\"", "\"DTI maps\"",
            "\"ROI statistics\"", "\"Seed correlation\"", "\"ALFF\"", "\"Task GLM\"", "\"PET SUVR\"", "\"MRS voxel\""),
            entries.stream().skip(2).limit(10).map(f -> f[1].trim()).toList());
        // one Measures entry per measure, the argument naming it
        java.util.Set<String> measures = new java.util.TreeSet<>();
        for (String[] f : entries.stream().skip(12).toList()) {
            assertEquals("Plugins>ketaprint>Measures", f[0]);
            measures.add(f[2].trim().replaceFirst("^org\\.ketaprint\\.imagej\\.MeasurePlugin\\(\"(.*)\"\\)$", "$1"));
        }
        assertEquals(new java.util.TreeSet<>(org.ketaprint.measure.Measures.all().keySet()), measures);
    }

    @Test
    void importThenSaveAsThroughThePlugIns() throws IOException {
        Interpreter.batchMode = true;
        Path in = Reference.DIR.resolve("scaled4d.nii.gz");
        new NiftiImporter().run(in.toString());
        ImagePlus imp = WindowManager.getCurrentImage();
        assertEquals("scaled4d.nii.gz", imp.getTitle());
        Path out = tmp.resolve("copy");
        new NiftiSaver().run(out.toString());
        NiftiImage back = NiftiImage.load(tmp.resolve("copy.nii.gz"));
        float[] want = NiftiImage.load(in).readFloat();
        float[] got = back.readFloat();
        for (int p = 0; p < want.length; p++) assertEquals(want[p], got[p], 1e-4, "index " + p);
        assertEquals(2.5, back.repetitionTime(), 1e-6);
        IJ.getImage().close();
    }
}
