package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.pipeline.MissingInputException;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.pipeline.StageContext;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.pipeline.StageSpec;

/**
 * Issue 15: the resting-state stage on files given directly (a 4x4x4 run of 10 volumes, TR 2 s in its JSON sidecar):
 * {@code check} and {@code prepare} note every file a number depends on (the BOLD's sidecar, mask, confounds, a mask
 * ROI's file, an atlas ROI's image), the log names the run and a resampled mask, the details carry the TR and its
 * source, and a map goes once to {@code <prefix>_task-rest[_space-X]_<entities>_boldmap.nii.gz} with NaN outside the mask.
 */
class RestingStageFilesTest {
    static final Affine AFFINE = new Affine(new double[][] {{2, 0, 0, -4}, {0, 2, 0, -4}, {0, 0, 2, -4}, {0, 0, 0, 1}});
    static final int T = 10;

    @TempDir
    Path tmp;
    Path bold;
    Path mask;
    Path conf;
    Path roiMask;
    Path atlas;
    final List<String> log = new ArrayList<>();

    void data(String boldName) throws Exception {
        float[] d = new float[64 * T];
        for (int t = 0; t < T; t++) for (int v = 0; v < 64; v++) d[t * 64 + v] = 100 + v + (t * t * (v + 1)) % 7;
        bold = tmp.resolve(boldName + ".nii");
        NiftiWriter.write(bold, NiftiWriter.Spec.of(new long[] {4, 4, 4, T}, AFFINE, DataType.FLOAT32).tr(2), d);
        Files.writeString(tmp.resolve(boldName + ".json"), "{\"RepetitionTime\": 2}");
        float[] m = new float[64];
        for (int v = 0; v < 32; v++) m[v] = 1;
        mask = tmp.resolve("mask.nii");
        NiftiWriter.write(mask, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.UINT8), m);
        StringBuilder tsv = new StringBuilder("framewise_displacement\n");
        for (int t = 0; t < T; t++) tsv.append(t == 0 ? "n/a" : "0.1").append('\n');
        conf = tmp.resolve("confounds.tsv");
        Files.writeString(conf, tsv);
        float[] r = new float[64];
        r[1] = 1;
        r[2] = 1;
        roiMask = tmp.resolve("roi.nii");
        NiftiWriter.write(roiMask, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.UINT8), r);
        float[] a = new float[64];
        a[5] = 3;
        a[6] = 3;
        atlas = tmp.resolve("atlas.nii");
        NiftiWriter.write(atlas, NiftiWriter.Spec.of(new long[] {4, 4, 4}, AFFINE, DataType.INT16), a);
    }

    StageSpec spec(String params) throws Exception {
        return spec(params, true);
    }

    /** With the mask and atlas ROIs (in MNI152: the BOLD must be in it) or none. */
    StageSpec spec(String params, boolean rois) throws Exception {
        Path p = tmp.resolve("p.yaml");
        Files.writeString(p, String.join("\n",
            "name: files",
            "stages:",
            "  - type: restingstate",
            "    params: {strategy: none, band: none, fd_threshold: 0.5, min_seconds: 0" + params + "}",
            rois ? "    rois:\n      r: {mask: " + roiMask + "}\n      a: {atlas: " + atlas + ", labels: [3]}" : "",
            ""));
        Problems pr = new Problems();
        PipelineSpec ps = PipelineSpec.parse(p, pr);
        assertEquals(List.of(), pr.errors());
        return ps.stages.get(0);
    }

    StageContext ctx(StageSpec spec, Path maskFile) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("bold", bold);
        files.put("mask", maskFile);
        files.put("confounds", conf);
        return StageContext.forFiles(spec, files, new Atlases(List.of(tmp)), tmp.resolve("out"), "sub-01", log::add);
    }

    static void assertRead(StageContext ctx, Path... files) {
        for (Path f : files) assertTrue(ctx.usedInputs().containsKey(f.toString()), f + " in " + ctx.usedInputs().keySet());
    }

    @Test
    void checkNotesEveryFileANumberDependsOn() throws Exception {
        data("sub-01_task-rest_space-MNI152_desc-preproc_bold");
        StageContext c = ctx(spec(""), mask);
        new RestingStateStage().check(c);
        assertRead(c, bold, tmp.resolve("sub-01_task-rest_space-MNI152_desc-preproc_bold.json"), mask, conf, roiMask, atlas);
    }

    @Test
    void prepareNotesTheFilesLogsTheRunAndWritesEachMapOnce() throws Exception {
        data("sub-01_task-rest_space-MNI152_desc-preproc_bold");
        StageContext c = ctx(spec(""), mask);
        StageResult r = new StageResult();
        RestingData d = RestingStateStage.prepare(c, r);
        assertRead(c, bold, tmp.resolve("sub-01_task-rest_space-MNI152_desc-preproc_bold.json"), mask, conf, roiMask, atlas);
        assertEquals(2.0, r.details.get("tr_seconds"));
        assertEquals("sidecar", r.details.get("tr_source"));
        assertFalse(r.details.containsKey("runs"));
        assertTrue(log.contains("[restingstate] BOLD: 32 mask voxels x 10 volumes, TR 2.0 s (sidecar)"), log.toString());
        assertFalse(d.multiRun());
        assertEquals(32, d.run.size());
        assertEquals(2, countTrue(d.roi("r").voxels(d.run.grid())));

        double[] values = new double[32];
        for (int v = 0; v < 32; v++) values[v] = v / 4.0;
        Files.createDirectories(tmp.resolve("out"));
        d.maps.write("seed-r_stat-z", values);
        d.maps.write("seed-r_stat-z", new double[32]);
        Path out = tmp.resolve("out/sub-01_task-rest_space-MNI152_seed-r_stat-z_boldmap.nii.gz");
        assertEquals(List.of(out), r.derived);
        float[] got = NiftiImage.load(out).readFloat();
        assertEquals(64, got.length);
        for (int v = 0; v < 64; v++) {
            if (v < 32) {
                assertEquals(v / 4.0, got[v], 0, "voxel " + v);
            } else {
                assertTrue(Float.isNaN(got[v]), "outside the mask at " + v);
            }
        }
    }

    static int countTrue(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }

    @Test
    void withoutASpaceTheMapsHaveNoSpaceEntityAndWithoutWriteMapsNoSink() throws Exception {
        data("bold");
        StageContext c = ctx(spec("", false), mask);
        StageResult r = new StageResult();
        RestingData d = RestingStateStage.prepare(c, r);
        Files.createDirectories(tmp.resolve("out"));
        d.maps.write("stat-alff", new double[32]);
        assertEquals(List.of(tmp.resolve("out/sub-01_task-rest_stat-alff_boldmap.nii.gz")), r.derived);

        RestingData none = RestingStateStage.prepare(ctx(spec(", write_maps: false", false), mask), new StageResult());
        assertNull(none.maps);
    }

    @Test
    void aMaskOnAnotherGridIsResampledWithAWarning() throws Exception {
        data("sub-01_task-rest_space-MNI152_desc-preproc_bold");
        Path other = tmp.resolve("mask-2mm.nii");
        float[] m = new float[8];
        java.util.Arrays.fill(m, 1);
        NiftiWriter.write(other, NiftiWriter.Spec.of(new long[] {2, 2, 2},
            new Affine(new double[][] {{4, 0, 0, -3}, {0, 4, 0, -3}, {0, 0, 4, -3}, {0, 0, 0, 1}}), DataType.UINT8), m);
        RestingStateStage.prepare(ctx(spec(""), other), new StageResult());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("[restingstate] warning: ") && l.contains("resampled by nearest neighbour")),
            log.toString());
    }

    @Test
    void confoundsAreOptionalTheMaskIsNot() throws Exception {
        data("bold");
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("bold", bold);
        files.put("mask", mask);
        StageContext c = StageContext.forFiles(spec("", false), files, new Atlases(List.of(tmp)), null, "sub-01", log::add);
        RestingData d = RestingStateStage.prepare(c, new StageResult());
        assertNull(d.confounds);
        assertEquals(32, d.run.size());
        files.remove("mask");
        StageContext noMask = StageContext.forFiles(spec("", false), files, new Atlases(List.of(tmp)), null, "sub-01", log::add);
        MissingInputException e = assertThrows(MissingInputException.class, () -> RestingStateStage.prepare(noMask, new StageResult()));
        assertEquals("no input 'mask' given", e.getMessage());
    }

    @Test
    void noBoldIsTheMissingInputError() throws Exception {
        data("bold");
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("mask", mask);
        StageContext c = StageContext.forFiles(spec(""), files, new Atlases(List.of(tmp)), null, "sub-01", log::add);
        MissingInputException e = assertThrows(MissingInputException.class, () -> RestingStateStage.prepare(c, new StageResult()));
        assertEquals("no input 'bold' given", e.getMessage());
        assertThrows(MissingInputException.class, () -> new RestingStateStage().check(c));
    }
}
