package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.table.Table;

/**
 * {@code --skip-existing} (issue 14): on a copy of the demo, one session (sub-01 ses-pre) is run, one thing a number
 * depends on is changed, and the session is run again with --skip-existing: it is computed again and the value moves;
 * a rerun with nothing changed is skipped. The things: the .bval, the .bvec, the BOLD sidecar's RepetitionTime, the
 * atlas image, the atlas's label table, a transform, the confounds, {@code --space}, the pipeline's parameters (a
 * stage's fa_threshold or fd_threshold, a feature's roi: issue 15); and a sidecar that vanishes or appears. The
 * provenance lists what the run hash covers ({@code run_hash_inputs}).
 */
class SkipExistingTest {
    static final String SES = "sub-01/ses-pre/sub-01_ses-pre_";
    static final String DWI = "derivatives/qsiprep/sub-01/ses-pre/dwi/sub-01_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi";
    static final String FUNC = "derivatives/fmriprep/sub-01/ses-pre/func/sub-01_ses-pre_task-rest_";
    static final String BOLD_JSON = FUNC + "space-MNI152NLin2009cAsym_desc-preproc_bold.json";
    static final String CONFOUNDS = FUNC + "desc-confounds_timeseries.tsv";

    @TempDir
    Path tmp;
    Path bids;
    Path atlases;
    Path out;
    PipelineSpec pipeline;
    String space;

    @BeforeEach
    void setUp() throws IOException {
        bids = DemoPipelineTest.copyDemo(tmp.resolve("bids"));
        atlases = tmp.resolve("atlases");
        Files.createDirectories(atlases);
        try (Stream<Path> s = Files.list(DemoPipelineTest.ATLASES)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, atlases.resolve(p.getFileName()));
        }
        out = tmp.resolve("out");
        pipeline = PipelineSpec.load(DemoPipelineTest.PIPELINE);
    }

    /** Runs sub-01 ses-pre with --skip-existing; its status (ok, skipped, failed). */
    String run() {
        try {
            return run1();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private String run1() throws InterruptedException {
        ParticipantRunner.Options o = new ParticipantRunner.Options();
        o.participants = List.of("01");
        o.sessions = List.of("pre");
        o.skipExisting = true;
        o.space = space;
        List<ParticipantRunner.Outcome> r = new ParticipantRunner(pipeline, BidsLayout.index(bids, List.of()),
            new Atlases(List.of(atlases)), out, o, Progress.silent()).run();
        assertEquals(1, r.size());
        return r.get(0).status();
    }

    Map<String, String> features() {
        return Table.read(out.resolve(SES + "features.tsv")).rows().get(0);
    }

    double value(String column) {
        return Table.number(features().get(column));
    }

    JsonNode hashInputs() throws IOException {
        JsonNode p = new ObjectMapper().readTree(out.resolve(SES + "provenance.json").toFile());
        assertTrue(p.path("run_hash").asText().matches("[0-9a-f]{64}"), p.toString());
        return p.path("run_hash_inputs");
    }

    /** True when the provenance's hash inputs list a file whose name ends in {@code end}, with a SHA-256. */
    boolean listed(String end) throws IOException {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) hashInputs().path("files")::fields) {
            if (e.getKey().endsWith(end) && e.getValue().asText().matches("[0-9a-f]{64}")) return true;
        }
        return false;
    }

    /** Run, rerun (skipped), change, rerun (computed), rerun (skipped); the column's values before and after. */
    double[] changeAndRerun(String column, Runnable change) {
        assertEquals("ok", run());
        double before = value(column);
        assertEquals("skipped", run(), "nothing changed");
        change.run();
        assertEquals("ok", run(), "changed: computed again");
        double after = value(column);
        assertEquals("skipped", run(), "nothing changed since");
        return new double[] {before, after};
    }

    static void edit(Path f, UnaryOperator<String> how) {
        try {
            Files.writeString(f, how.apply(Files.readString(f)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bvalScaledByTwoHalvesMd() throws IOException {
        double[] md = changeAndRerun("cingulum_cg_l_md", () -> edit(bids.resolve(DWI + ".bval"), s -> s.replace("1000", "2000")));
        // S = S0 exp(-b D): twice the b-values, half the diffusivities (FA unchanged), as DIPY's fit gives
        assertTrue(md[0] > 0, "MD " + md[0]);
        assertEquals(md[0] / 2, md[1], 1e-6 * md[0] / 2, "MD after the .bval change");
        assertTrue(listed("preproc_dwi.bval") && listed("preproc_dwi.bvec"));
    }

    @Test
    void bvecChangeRefits() throws IOException {
        double[] fa = changeAndRerun("cingulum_cg_l_fa", () -> edit(bids.resolve(DWI + ".bvec"), SkipExistingTest::shiftDirections));
        assertNotEquals(fa[0], fa[1], 1e-6, "FA after the .bvec change");
    }

    /** The .bvec with each diffusion-weighted volume given the next one's direction (a reflection would keep FA). */
    static String shiftDirections(String bvec) {
        List<String> rows = new ArrayList<>();
        for (String line : bvec.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            String[] g = f.clone();
            for (int i = 2; i < f.length; i++) g[i] = f[i + 1 < f.length ? i + 1 : 2];
            rows.add(String.join(" ", g));
        }
        return String.join("\n", rows) + "\n";
    }

    @Test
    void sidecarRepetitionTimeChangesAlff() throws IOException {
        double[] alff = changeAndRerun("sgacc_alff", () -> edit(bids.resolve(BOLD_JSON), s -> s.replace("2.0", "3.0")));
        assertNotEquals(alff[0], alff[1], 1e-6 * Math.abs(alff[0]), "ALFF after the TR change");
        assertTrue(listed("task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.json"));
        assertEquals(3.0, new ObjectMapper().readTree(out.resolve(SES + "provenance.json").toFile()).path("stages").get(2)
            .path("details").path("tr_seconds").asDouble());
    }

    @Test
    void sidecarThatVanishesOrAppearsIsAChange() throws IOException {
        Path json = bids.resolve(BOLD_JSON);
        String text = Files.readString(json);
        assertEquals("ok", run());
        Files.delete(json);   // the header's TR is 2 s as well: the same numbers, but another source
        assertEquals("ok", run(), "a file read before is gone");
        assertTrue(!listed("task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.json"));
        assertEquals("skipped", run());
        Files.writeString(json, text);
        assertEquals("ok", run(), "a file that is read now appeared");
        assertTrue(listed("task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.json"));
        assertEquals("skipped", run());
    }

    @Test
    void atlasImageChangeMovesTheRoi() throws IOException {
        Path img = atlases.resolve("JHU-WhiteMatter-labels-1mm.nii.gz");
        double[] fa = changeAndRerun("cingulum_cg_l_fa", () -> shiftLabels(img, 2));
        assertNotEquals(fa[0], fa[1], 1e-6, "FA after the atlas change");
        assertTrue(listed("JHU-WhiteMatter-labels-1mm.nii.gz"));
    }

    /** Rewrites a label image with its labels moved {@code by} voxels along i. */
    static void shiftLabels(Path img, int by) {
        Image im = Images.open(img);
        Grid g = im.grid();
        double[] v = im.readVolumeDouble(0);
        double[] w = new double[v.length];
        for (int k = 0; k < g.nz; k++) {
            for (int j = 0; j < g.ny; j++) {
                for (int i = by; i < g.nx; i++) w[g.index(i, j, k)] = v[g.index(i - by, j, k)];
            }
        }
        Path t = img.resolveSibling("shifted.nii.gz");
        NiftiWriter.write(t, NiftiWriter.specFor(im, DataType.INT16), w);
        try {
            Files.move(t, img, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void labelTableChangeRenamesTheRoi() throws IOException {
        assertEquals("ok", run());
        double left = value("cingulum_cg_l_fa");
        double right = value("cingulum_cg_r_fa");
        assertNotEquals(left, right, 1e-6);
        assertEquals("skipped", run());
        // the cingulum's left and right numbers swapped in the atlas's table: "L" now names the right one
        edit(atlases.resolve("JHU-WhiteMatter-labels-1mm.nii.txt"),
            s -> s.replace("35\tCingulum_(cingulate_gyrus)_R", "35\tCingulum_(cingulate_gyrus)_X")
                .replace("36\tCingulum_(cingulate_gyrus)_L", "36\tCingulum_(cingulate_gyrus)_R")
                .replace("35\tCingulum_(cingulate_gyrus)_X", "35\tCingulum_(cingulate_gyrus)_L"));
        assertEquals("ok", run(), "changed: computed again");
        assertEquals(right, value("cingulum_cg_l_fa"), 1e-12, "the left column now holds the right cingulum");
        assertEquals(left, value("cingulum_cg_r_fa"), 1e-12);
        assertEquals("skipped", run());
        assertTrue(listed("JHU-WhiteMatter-labels-1mm.nii.txt"));
    }

    @Test
    void confoundsChangeDenoisesAgain() throws IOException {
        double[] fc = changeAndRerun("sgacc_rdlpfc_fc_z", () -> edit(bids.resolve(CONFOUNDS), SkipExistingTest::scrambleFirstColumn));
        assertNotEquals(fc[0], fc[1], 1e-9, "connectivity after the confounds change");
        assertTrue(listed("task-rest_desc-confounds_timeseries.tsv"));
    }

    /** The confounds with trans_x (the first column) replaced by a saw tooth. */
    static String scrambleFirstColumn(String tsv) {
        List<String> rows = tsv.lines().collect(Collectors.toCollection(ArrayList::new));
        for (int r = 1; r < rows.size(); r++) {
            String[] f = rows.get(r).split("\t", -1);
            f[0] = Double.toString((r % 7) * 0.05);
            rows.set(r, String.join("\t", f));
        }
        return String.join("\n", rows) + "\n";
    }

    /** A dwi-only pipeline, the DWI moved to T1w (as DiffusionSpacesPipelineTest), with an MNI-to-T1w transform. */
    Path nativeDwi(String spaceEntity) throws IOException {
        Path dir = bids.resolve("derivatives/qsiprep/sub-01/ses-pre/dwi");
        String mni = "sub-01_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi";
        String to = "sub-01_ses-pre" + spaceEntity + "_desc-preproc_dwi";
        for (String ext : new String[] {".nii.gz", ".bval", ".bvec"}) Files.move(dir.resolve(mni + ext), dir.resolve(to + ext));
        Files.move(dir.resolve("sub-01_ses-pre_space-MNI152NLin6Asym_desc-brain_mask.nii.gz"),
            dir.resolve("sub-01_ses-pre" + spaceEntity + "_desc-brain_mask.nii.gz"));
        Path p = tmp.resolve("dwi.yaml");
        Files.writeString(p, String.join("\n",
            "name: dwi-only",
            "stages:",
            "  - type: diffusion",
            "    inputs:",
            "      dwi: {desc: preproc, suffix: dwi, extension: .nii.gz}",
            "    features:",
            "      - {column: cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L, map: fa}",
            ""));
        pipeline = PipelineSpec.load(p);
        Path xfm = bids.resolve("derivatives/qsiprep/sub-01/ses-pre/anat/sub-01_ses-pre_from-MNI152NLin6Asym_to-T1w_mode-image_xfm.txt");
        Files.createDirectories(xfm.getParent());
        Files.writeString(xfm, itk(0));
        return xfm;
    }

    /** An ITK affine text transform: a translation of {@code dx} mm along x. */
    static String itk(double dx) {
        return String.join("\n", "#Insight Transform File V1.0", "#Transform 0", "Transform: AffineTransform_double_3_3",
            "Parameters: 1 0 0 0 1 0 0 0 1 " + dx + " 0 0", "FixedParameters: 0 0 0", "");
    }

    @Test
    void transformChangeMovesTheAtlas() throws IOException {
        Path xfm = nativeDwi("_space-T1w");
        double truth = Table.number(Table.read(DemoPipelineTest.TRUTH).rows().get(0).get("cingulum_cg_l_fa"));
        double[] fa = changeAndRerun("cg_l_fa", () -> edit(xfm, s -> itk(3)));
        assertEquals(truth, fa[0], 1e-6, "through the identity: the planted value");
        assertNotEquals(fa[0], fa[1], 1e-6, "FA through a transform shifted by 3 mm");
        assertTrue(listed("from-MNI152NLin6Asym_to-T1w_mode-image_xfm.txt"));
    }

    @Test
    void spaceOptionIsPartOfTheHash() throws IOException {
        Path xfm = nativeDwi("");   // no space- entity: --space says which
        Files.writeString(xfm, itk(3));
        space = "MNI152NLin6Asym";
        double truth = Table.number(Table.read(DemoPipelineTest.TRUTH).rows().get(0).get("cingulum_cg_l_fa"));
        double[] fa = changeAndRerun("cg_l_fa", () -> space = "T1w");
        assertEquals(truth, fa[0], 1e-6, "in MNI space: the planted value, no transform");
        assertNotEquals(fa[0], fa[1], 1e-6, "as T1w: through the shifted transform");
        assertEquals("T1w", hashInputs().path("options").path("space").asText());
        assertTrue(listed("xfm.txt"));
    }

    /** The demo pipeline copied to a file of its own, loaded from there; edit it with {@link #changePipeline}. */
    Path ownPipeline() throws IOException {
        Path yaml = tmp.resolve("pipeline.yaml");
        Files.copy(DemoPipelineTest.PIPELINE, yaml);
        pipeline = PipelineSpec.load(yaml);
        return yaml;
    }

    /** Edits the pipeline file and loads it again, as a new run with the edited --pipeline would. */
    void changePipeline(Path yaml, String from, String to) {
        edit(yaml, s -> {
            assertTrue(s.contains(from), from + " in the pipeline");
            return s.replace(from, to);
        });
        pipeline = PipelineSpec.load(yaml);
    }

    /** The planted value of a column for sub-01 ses-pre (scripts/make_demo.py). */
    static double truth(String column) {
        return Table.number(DemoPipelineTest.row(Table.read(DemoPipelineTest.TRUTH), "sub-01", "ses-pre").get(column));
    }

    @Test
    void faThresholdChangeInThePipelineRecomputes() throws IOException {
        Path yaml = ownPipeline();
        // planted FA, constant over each ROI: cg_l 0.55, cg_r 0.50, hc_l 0.45, hc_r 0.40 (and MD 0.75e-3 in all four)
        String[] rois = {"cingulum_cg_l", "cingulum_cg_r", "cingulum_hc_l", "cingulum_hc_r"};
        assertEquals("ok", run());
        for (String r : rois) assertEquals(truth(r + "_fa"), value(r + "_fa"), 1e-6, r + " without a threshold");
        assertEquals("skipped", run(), "nothing changed");
        String before = pipeline.sha256;
        changePipeline(yaml, "fa_threshold: none", "fa_threshold: 0.52");
        assertNotEquals(before, pipeline.sha256);
        assertEquals("ok", run(), "fa_threshold changed: computed again");
        // FA > 0.52 keeps every voxel of cg_l (0.55) and none of the other three ROIs: their columns are n/a
        assertEquals(truth("cingulum_cg_l_fa"), value("cingulum_cg_l_fa"), 1e-6);
        assertEquals(truth("cingulum_cg_l_md"), value("cingulum_cg_l_md"), 1e-6 * truth("cingulum_cg_l_md"));
        for (String r : new String[] {"cingulum_cg_r", "cingulum_hc_l", "cingulum_hc_r"}) {
            assertEquals(Table.NA, features().get(r + "_fa"), r + "_fa: every voxel has FA <= 0.52");
            assertEquals(Table.NA, features().get(r + "_md"), r + "_md");
        }
        assertEquals("skipped", run(), "the same pipeline again");
        assertEquals(pipeline.sha256, hashInputs().path("pipeline_sha256").asText());
    }

    @Test
    void fdThresholdChangeInThePipelineRecomputes() throws IOException {
        Path yaml = ownPipeline();
        // the definition (framewise displacement above the threshold; the first volume's n/a is 0), from the TSV itself
        List<Map<String, String>> conf = Table.read(bids.resolve(CONFOUNDS)).rows();
        int above = 0;
        for (Map<String, String> r : conf) {
            double fd = Table.number(r.get("framewise_displacement"));
            if (fd > 0.3) above++;
        }
        assertEquals(18, above, "the demo's sub-01 has 18 volumes with FD > 0.3 mm and none above 0.5 mm");
        assertEquals("ok", run());
        assertEquals(0, value("n_volumes_censored"), "at 0.5 mm");
        assertEquals("skipped", run());
        changePipeline(yaml, "fd_threshold: 0.5 ", "fd_threshold: 0.3 ");
        assertEquals("ok", run(), "fd_threshold changed: computed again");
        assertEquals(above, value("n_volumes_censored"), "at 0.3 mm");
        assertEquals(conf.size() - above, value("n_volumes_used"));
        assertEquals("skipped", run(), "the same pipeline again");
    }

    @Test
    void featureParameterChangeInThePipelineRecomputes() throws IOException {
        Path yaml = ownPipeline();
        assertEquals("ok", run());
        assertEquals(truth("cingulum_cg_l_fa"), value("cingulum_cg_l_fa"), 1e-6);
        assertEquals("skipped", run());
        // the column keeps its name, its feature now reads the right cingulum
        changePipeline(yaml, "{column: cingulum_cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) L, map: fa}",
            "{column: cingulum_cg_l_fa, measure: tensor_roi, roi: Cingulum (cingulate gyrus) R, map: fa}");
        assertEquals("ok", run(), "a feature's roi changed: computed again");
        assertEquals(truth("cingulum_cg_r_fa"), value("cingulum_cg_l_fa"), 1e-6, "the planted right-cingulum FA");
        assertEquals("skipped", run(), "the same pipeline again");
    }

    @Test
    void provenanceListsTheHashInputs() throws IOException {
        assertEquals("ok", run());
        JsonNode h = hashInputs();
        assertEquals(pipeline.sha256, h.path("pipeline_sha256").asText());
        assertEquals(org.ketaprint.Version.get(), h.path("version").asText());
        assertTrue(h.path("options").has("space") && h.path("options").path("space").isNull(), h.toString());
        List<String> resolved = new ArrayList<>();
        h.path("resolved").forEach(n -> resolved.add(n.asText()));
        for (String end : List.of("desc-aseg_dseg.nii.gz", "preproc_dwi.nii.gz", "preproc_dwi.bval", "preproc_dwi.bvec",
            "JHU-WhiteMatter-labels-1mm.nii.gz", "JHU-WhiteMatter-labels-1mm.nii.txt", "aal.nii.gz", "aal.nii.txt",
            "preproc_bold.nii.gz", "preproc_bold.json", "desc-confounds_timeseries.tsv", "label-GM_probseg.nii.gz")) {
            assertTrue(listed(end), end + " in " + h.path("files"));
            assertTrue(resolved.stream().anyMatch(r -> r.endsWith(end)), end + " resolved: " + resolved);
        }
        // names as the provenance writes them: ROOT:relative path for files of the dataset
        assertTrue(resolved.contains("qsiprep:" + DWI.substring("derivatives/qsiprep/".length()) + ".bval"), resolved.toString());
    }

    @Test
    void groupRereadsParticipantsAndFeatures() throws IOException {
        assertEquals("ok", run());
        DemoPipelineTest.run(bids.toString(), out.toString(), "group");
        Map<String, String> row = DemoPipelineTest.row(Table.read(out.resolve("group/features.tsv")), "sub-01", "ses-pre");
        assertEquals("34", row.get("age"));
        edit(bids.resolve("participants.tsv"), s -> s.replaceFirst("(?m)^(sub-01\t)34\t", "$135\t"));
        edit(bids.resolve(DWI + ".bval"), s -> s.replace("1000", "2000"));
        assertEquals("ok", run());
        DemoPipelineTest.run(bids.toString(), out.toString(), "group");
        Map<String, String> again = DemoPipelineTest.row(Table.read(out.resolve("group/features.tsv")), "sub-01", "ses-pre");
        assertEquals("35", again.get("age"), "participants.tsv read again");
        assertEquals(Table.number(row.get("cingulum_cg_l_md")) / 2, Table.number(again.get("cingulum_cg_l_md")),
            1e-6 * Table.number(row.get("cingulum_cg_l_md")), "the session's new features read again");
    }
}
