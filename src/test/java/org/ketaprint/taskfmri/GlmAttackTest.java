package org.ketaprint.taskfmri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.restingstate.BoldRun;

/**
 * What the attack suite's glm cases found (scripts/attack/make_corpus.py, glm_cases): each a small run through
 * {@link GlmJob} or the parsers, checking that the refusal comes before anything is written and names the problem.
 */
class GlmAttackTest {
    static final Affine AFFINE = new Affine(new double[][] {{4, 0, 0, 0}, {0, 4, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}});
    static final String EVENTS = "onset\tduration\ttrial_type\n10\t10\tfearful\n30\t10\tneutral\n50\t10\tfearful\n"
        + "70\t10\tneutral\n90\t10\tfearful\n110\t10\tneutral\n";

    @TempDir
    Path tmp;

    /** A 3x3x2 run of 60 volumes (TR 2 s) of noise around 1000, every voxel in the mask. */
    BoldRun run() {
        int nv = 18, t = 60;
        Random r = new Random(3);
        float[] d = new float[nv * t];
        for (int i = 0; i < d.length; i++) d[i] = (float) (1000 + 5 * r.nextGaussian());
        Path bold = tmp.resolve("bold.nii");
        NiftiWriter.write(bold, NiftiWriter.Spec.of(new long[] {3, 3, 2, t}, AFFINE, DataType.FLOAT32).tr(2.0), d);
        float[] m = new float[nv];
        java.util.Arrays.fill(m, 1);
        Path mask = tmp.resolve("mask.nii");
        NiftiWriter.write(mask, NiftiWriter.Spec.of(new long[] {3, 3, 2}, AFFINE, DataType.UINT8), m);
        return BoldRun.load(bold, mask, Double.NaN);
    }

    Path events(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    GlmJob job(String prefix, String... contrasts) {
        TaskStage.Params p = new TaskStage.Params(List.of("none"), 0.9, "spm", "ar1", 0.01, null, null, true, null);
        return new GlmJob(p, List.of(contrasts), List.of(), null, prefix, null);
    }

    List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * '0.5*fearful + 0.5*neutral' (the --help's own form) has a label starting with a digit; GlmJob re-parsed
     * "LABEL=EXPR", which refused it after writing the design and the AR(1) map. And the design writer did not make the
     * prefix's folder (the maps' writer does).
     */
    @Test
    void scaledContrastIntoANewFolderWritesEveryFile() throws IOException {
        Path dir = tmp.resolve("new").resolve("folder");
        GlmJob.Result r = job(dir.resolve("sub-01").toString(), "0.5*fearful + 0.5*neutral", "x=fearful\n- neutral")
            .run(run(), events("ev.tsv", EVENTS), null, null, s -> { });
        assertEquals(1 + 1 + 2 * 5, r.written().size(), r.written().toString());
        String label = "0Point5TimesFearfulPlus0Point5TimesNeutral";
        assertTrue(files(dir).contains("sub-01_contrast-" + label + "_stat-z_statmap.nii.gz"), files(dir).toString());
        assertTrue(files(dir).contains("sub-01_contrast-x_stat-p_statmap.nii.gz"), files(dir).toString());
        assertEquals(r.written().size(), files(dir).size(), "no temporary file left: " + files(dir));
    }

    /** A contrast that fails after the fit (not estimable) leaves no file under the prefix. */
    @Test
    void aRefusedContrastWritesNothing() throws IOException {
        Path ev = events("late.tsv", EVENTS + "900\t10\tlate\n");
        KetaprintException x = assertThrows(KetaprintException.class, () -> job(tmp.resolve("out/sub-01").toString(),
            "fearful - neutral", "late - neutral").run(run(), ev, null, null, s -> { }));
        assertTrue(x.getMessage().contains("'late'") && x.getMessage().contains("late.tsv"), x.getMessage());
        assertEquals(List.of(), files(tmp.resolve("out")));
    }

    /** Two contrasts of one label would write the same files: refused before anything is read. */
    @Test
    void duplicateLabelsAreRefused() {
        KetaprintException x = assertThrows(KetaprintException.class,
            () -> GlmJob.check(List.of("x=fearful - neutral", "x=neutral - fearful"), "out/s"));
        assertTrue(x.getMessage().contains("same label x"), x.getMessage());
        assertThrows(KetaprintException.class, () -> GlmJob.check(List.of("fearful - neutral", "fearful-neutral"), null));
    }

    /** An output prefix without a file name part would write "_design.tsv" (hidden-ish names) in the folder. */
    @Test
    void prefixNeedsAFileName() {
        for (String p : List.of("", "out/", ".", "out/..")) {
            KetaprintException x = assertThrows(KetaprintException.class, () -> GlmJob.check(List.of("a"), p), p);
            assertTrue(x.getMessage().contains("no file name part"), x.getMessage());
        }
        GlmJob.check(List.of("a"), "out/sub-01");
    }

    /** Infinite or all-zero weights, and labels too long for a file name (10 000 characters), are refused by parse. */
    @Test
    void contrastWeightsAndLabels() {
        assertTrue(assertThrows(KetaprintException.class, () -> Contrast.parse("1e999*fearful - neutral")).getMessage()
            .contains("not a finite number"));
        assertThrows(KetaprintException.class, () -> Contrast.parse("1e308*a + 1e308*a - b"));
        assertTrue(assertThrows(KetaprintException.class, () -> Contrast.parse("fearful - fearful")).getMessage()
            .contains("every weight is 0"));
        assertThrows(KetaprintException.class, () -> Contrast.parse("0*a"));
        String longExpr = "fearful - neutral" + " + fearful - neutral".repeat(500);
        assertTrue(assertThrows(KetaprintException.class, () -> Contrast.parse(longExpr)).getMessage().contains("NAME=EXPR"));
        assertEquals("faces", Contrast.parse("faces=" + longExpr).label());
        assertThrows(KetaprintException.class, () -> Contrast.parse("x".repeat(200) + "=a - b"));
        assertThrows(KetaprintException.class, () -> Contrast.parse("_"));
    }

    /** Events: a FIFO would block, /dev/zero never end; strict numbers; a column twice. */
    @Test
    void eventsFiles() throws Exception {
        Path fifo = tmp.resolve("fifo.tsv");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertTrue(assertThrows(KetaprintException.class, () -> Events.read(fifo)).getMessage().contains("not a regular file"));
        assertTrue(assertThrows(KetaprintException.class, () -> Events.read(tmp)).getMessage().contains("directory"));
        assertTrue(assertThrows(KetaprintException.class, () -> Events.read(tmp.resolve("none.tsv"))).getMessage()
            .contains("no such file"));
        Path latin1 = Files.write(tmp.resolve("latin1.tsv"), "onset\tduration\ttrial_type\n0\t1\tfe\u00e4r\n".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(KetaprintException.class, () -> Events.read(latin1)).getMessage().contains("not UTF-8"));
        for (String bad : List.of("0x1Ep0", "30d", "1f", "Infinity", "1e999")) {
            KetaprintException x = assertThrows(KetaprintException.class,
                () -> Events.parse("e.tsv", List.of("onset\tduration", bad + "\t2")), bad);
            assertTrue(x.getMessage().contains("is not a number"), x.getMessage());
        }
        assertEquals(-1.5, Events.parse("e.tsv", List.of("onset\tduration", "-1.5\t.5e1")).events().get(0).onset());
        assertTrue(assertThrows(KetaprintException.class, () -> Events.parse("e.tsv",
            List.of("onset\tduration\tonset", "1\t2\t3"))).getMessage().contains("'onset' appears twice"));
    }

    /** A trial type named like a confound or the constant: the message names the events file. */
    @Test
    void trialTypeClashingWithADesignColumn() {
        Events ev = Events.parse("ev.tsv", List.of("onset\tduration\ttrial_type", "0\t10\tconstant", "30\t10\tb"));
        KetaprintException x = assertThrows(KetaprintException.class, () -> Design.build(Design.frameTimes(60, 2, 0), ev,
            Hrf.parse("spm"), 0.01, List.of(), null, null, 0));
        assertTrue(x.getMessage().contains("'constant'") && x.getMessage().contains("ev.tsv"), x.getMessage());
    }

    /** A TR of 1e-300 s asked for arrays of 2^31 doubles (OutOfMemoryError); now a refusal naming the TR. */
    @Test
    void absurdlySmallTrIsRefused() {
        Events ev = Events.parse("ev.tsv", List.of("onset\tduration\ttrial_type", "0\t10\ta"));
        for (double tr : new double[] {1e-300, 1e-4}) {
            KetaprintException x = assertThrows(KetaprintException.class, () -> Design.build(Design.frameTimes(60, tr, 0), ev,
                Hrf.parse("spm"), 0.01, List.of(), null, null, 0));
            assertTrue(x.getMessage().contains("is the TR in seconds"), x.getMessage());
        }
        // a fast multiband run still fits: 2000 volumes at 0.3 s
        List<String> rows = new ArrayList<>(List.of("onset\tduration\ttrial_type"));
        for (int k = 0; k < 20; k++) rows.add((30 * k) + "\t10\ta");
        assertEquals(2000, Design.build(Design.frameTimes(2000, 0.3, 0), Events.parse("ev.tsv", rows), Hrf.parse("spm"), 0.01,
            List.of(), null, null, 0).volumes());
    }

    /**
     * The task stage: two features whose contrasts differ but share a label would share one map file (the stage writes
     * the first and skips the second); one contrast used for beta and z is fine.
     */
    @Test
    void stageContrastsOfOneLabel() throws Exception {
        String head = "name: t\nstages:\n  - type: task\n    rois:\n      c: {sphere: [0, 0, 0], radius: 6}\n    features:\n";
        Path p = Files.writeString(tmp.resolve("p.yaml"), head
            + "      - {column: a, measure: contrast, roi: c, contrast: x=fearful - neutral}\n"
            + "      - {column: b, measure: contrast, roi: c, contrast: x=neutral - fearful}\n");
        Problems pr = new Problems();
        PipelineSpec.parse(p, pr);
        assertEquals(1, pr.errors().size(), pr.errors().toString());
        assertTrue(pr.errors().get(0).contains("same label x") && pr.errors().get(0).contains("line 8"), pr.errors().toString());
        Path ok = Files.writeString(tmp.resolve("ok.yaml"), head
            + "      - {column: a, measure: contrast, roi: c, contrast: fearful - neutral}\n"
            + "      - {column: b, measure: contrast, roi: c, contrast: fearful-neutral, value: z}\n");
        Problems none = new Problems();
        PipelineSpec.parse(ok, none);
        assertEquals(List.of(), none.errors());
    }
}
