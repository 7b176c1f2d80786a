package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.table.Json;

/**
 * Issue 15: the two-run session (test-data/restingstate/two-runs) through a stage with one ROI and the quality columns:
 * the log names each run ("BOLD run-1: ...") and, only when run 2's BOLD is moved one voxel (6 mm) along x, notes the
 * two grids; the provenance lists both runs either way.
 */
class TwoGridsTest {
    static final Path DATA = Path.of("test-data", "restingstate", "two-runs");
    static final String FUNC = "derivatives/fmriprep/sub-01/ses-1/func/";

    @TempDir
    Path tmp;

    Path copy(String name) throws Exception {
        Path dst = tmp.resolve(name);
        List<Path> files;
        try (Stream<Path> s = Files.walk(DATA)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path q = dst.resolve(DATA.relativize(f).toString());
            Files.createDirectories(q.getParent());
            Files.copy(f, q);
        }
        return dst;
    }

    /** Rewrites {@code file} (3D or 4D float) with its affine moved by dx mm along x. */
    static void shift(Path file, double dx) {
        NiftiImage img = NiftiImage.load(file);
        double[][] a = img.affine().toArray();
        a[0][3] += dx;
        float[] data = img.readFloat();
        NiftiWriter.Spec spec = NiftiWriter.Spec.of(img.shape(), new Affine(a), DataType.FLOAT32);
        if (img.shape().length > 3) spec.tr(img.repetitionTime());
        NiftiWriter.write(file, spec, data);
    }

    /** Runs the stage on {@code bids}; its log and provenance stage. */
    String[] run(Path bids, String name) throws Exception {
        Path pipeline = tmp.resolve("p.yaml");
        Files.writeString(pipeline, String.join("\n",
            "name: grids",
            "stages:",
            "  - id: restingstate",
            "    type: restingstate",
            "    params: {strategy: 24P, fd_threshold: 0.5, min_seconds: 0, band: '0.01,0.1'}",
            "    rois:",
            "      sgacc: {sphere: [6, 16, -10], radius: 10}",
            "    features:",
            "      - {column: n_used, measure: quality, value: n_used}",
            ""));
        Path out = tmp.resolve(name);
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(buf, true));
            code = Main.run(new String[] {bids.toString(), out.toString(), "participant", "--pipeline", pipeline.toString(),
                "--nthreads", "1"});
        } finally {
            System.setErr(err);
        }
        assertEquals(0, code, buf.toString());
        return new String[] {Files.readString(out.resolve("sub-01/ses-1/sub-01_ses-1_log.txt")),
            Files.readString(out.resolve("sub-01/ses-1/sub-01_ses-1_provenance.json"))};
    }

    static void assertTwoRuns(String provenance) throws Exception {
        JsonNode details = Json.MAPPER.readTree(provenance).get("stages").get(0).get("details");
        assertEquals(2, details.get("runs").size(), details.toString());
        assertEquals("run-2", details.get("runs").get(1).get("run").asText());
        assertTrue(details.get("run_combination").asText().startsWith("each run denoised alone"), details.toString());
        assertEquals(2.0, details.get("tr_seconds").asDouble());
    }

    @Test
    void oneGrid() throws Exception {
        String[] r = run(copy("one"), "out-one");
        assertTrue(r[0].contains("BOLD run-1: ") && r[0].contains("BOLD run-2: "), r[0]);
        assertFalse(r[0].contains("grids"), r[0]);
        assertTwoRuns(r[1]);
    }

    @Test
    void twoGrids() throws Exception {
        Path bids = copy("two");
        Path func = bids.resolve(FUNC);
        shift(func.resolve("sub-01_ses-1_task-rest_run-2_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz"), 6);
        shift(func.resolve("sub-01_ses-1_task-rest_run-2_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz"), 6);
        String[] r = run(bids, "out-two");
        assertTrue(r[0].contains("note: the runs are on 2 grids; ROIs placed on each"), r[0]);
        assertTwoRuns(r[1]);
    }
}
