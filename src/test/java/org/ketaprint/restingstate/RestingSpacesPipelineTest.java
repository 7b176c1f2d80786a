package org.ketaprint.restingstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Main;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.table.Table;

/**
 * The default pipeline's resting-state stage on a BOLD in MNI space and on the same analytic phantom sampled on
 * a native (T1w) grid rotated and shifted against MNI, with the fMRIPrep-style MNI-to-T1w transform in the
 * derivatives. The phantom is defined in MNI mm: within 12 mm of the sgACC centre a voxel carries A, within 12 mm
 * of the rDLPFC centre RHO A + sqrt(1 - RHO^2) B, in the shells out to 25 mm around them C and D, elsewhere nothing
 * (A, B, C, D independent series), each voxel plus its own noise. Both ROIs (10 mm spheres) lie inside the 12 mm
 * regions on either grid when placed right, so both runs measure the correlation of A + noise with RHO A + ... +
 * noise; they differ only by which voxels, and so which noise, each grid samples. A misplaced ROI takes in C or D
 * and loses the correlation.
 *
 * <p>Subjects: 01 MNI, and the T1w files of 02 with the transform (the MNI files are preferred); 02 T1w with the
 * transform; 03 T1w without one (fails early, naming both spaces); 04 no space entity, no transform (fails early).
 */
class RestingSpacesPipelineTest {
    static final double RHO = 0.5;
    static final double NOISE_IN = 0.2;     // voxel noise in the ROI regions, per unit signal
    static final double NOISE_OUT = 0.5;
    static final int T = 150;
    static final double TR = 2.0;
    static final double[] SGACC = {6, 16, -10};
    static final double[] RDLPFC = {38, 44, 26};
    static final double REGION_MM = 12;
    static final double SHELL_MM = 25;

    /** Native (T1w) point -> MNI point: the map of the from-MNI152NLin2009cAsym_to-T1w_mode-image transform. */
    static final Affine T1W_TO_MNI = rigid(12, -6, 15, -12, 18, -20);
    /** The MNI grid: 4 mm on the 2 mm AAL lattice, around both ROIs and much of the frontal lobe. */
    static final Grid MNI = new Grid(new int[] {16, 16, 18}, new Affine(new double[][] {
        {4, 0, 0, -10}, {0, 4, 0, 0}, {0, 0, 4, -26}, {0, 0, 0, 1}}));

    @TempDir
    static Path tmp;
    static Path bids;
    static Path out;
    static int exit;
    static String stderr;

    static Affine rigid(double ax, double ay, double az, double tx, double ty, double tz) {
        double a = Math.toRadians(ax), b = Math.toRadians(ay), c = Math.toRadians(az);
        double[][] rx = {{1, 0, 0}, {0, Math.cos(a), -Math.sin(a)}, {0, Math.sin(a), Math.cos(a)}};
        double[][] ry = {{Math.cos(b), 0, Math.sin(b)}, {0, 1, 0}, {-Math.sin(b), 0, Math.cos(b)}};
        double[][] rz = {{Math.cos(c), -Math.sin(c), 0}, {Math.sin(c), Math.cos(c), 0}, {0, 0, 1}};
        double[][] r = mul(rz, mul(ry, rx));
        return new Affine(new double[][] {
            {r[0][0], r[0][1], r[0][2], tx}, {r[1][0], r[1][1], r[1][2], ty}, {r[2][0], r[2][1], r[2][2], tz}, {0, 0, 0, 1}});
    }

    static double[][] mul(double[][] a, double[][] b) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) o[i][j] += a[i][k] * b[k][j];
        return o;
    }

    /** A 4 mm grid axis-aligned in T1w space covering the MNI grid's box. */
    static Grid nativeGrid() {
        Affine inv = T1W_TO_MNI.inverse();
        double[] lo = {1e9, 1e9, 1e9}, hi = {-1e9, -1e9, -1e9};
        for (int c = 0; c < 8; c++) {
            double[] w = MNI.affine.apply((c & 1) * (MNI.nx - 1), (c >> 1 & 1) * (MNI.ny - 1), (c >> 2 & 1) * (MNI.nz - 1));
            double[] p = inv.apply(w[0], w[1], w[2]);
            for (int d = 0; d < 3; d++) {
                lo[d] = Math.min(lo[d], p[d]);
                hi[d] = Math.max(hi[d], p[d]);
            }
        }
        double vs = 4;
        int[] dims = new int[3];
        for (int d = 0; d < 3; d++) dims[d] = (int) Math.ceil((hi[d] - lo[d]) / vs) + 1;
        return new Grid(dims, new Affine(new double[][] {
            {vs, 0, 0, Math.floor(lo[0])}, {0, vs, 0, Math.floor(lo[1])}, {0, 0, vs, Math.floor(lo[2])}, {0, 0, 0, 1}}));
    }

    static double dist(double[] p, double[] c) {
        double dx = p[0] - c[0], dy = p[1] - c[1], dz = p[2] - c[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** The phantom's series, in signal units, sampled at each voxel's MNI position; voxel noise from {@code noise}. */
    static float[] bold(Grid g, Affine toMni, double[][] abc, Random noise) {
        int n = g.size();
        float[] data = new float[n * T];
        double b = Math.sqrt(1 - RHO * RHO);
        for (int k = 0, v = 0; k < g.nz; k++) {
            for (int j = 0; j < g.ny; j++) {
                for (int i = 0; i < g.nx; i++, v++) {
                    double[] w = g.affine.apply(i, j, k);
                    double[] q = toMni.apply(w[0], w[1], w[2]);
                    double d1 = dist(q, SGACC), d2 = dist(q, RDLPFC);
                    boolean s = d1 <= REGION_MM, d = d2 <= REGION_MM, s2 = d1 <= SHELL_MM, d3 = d2 <= SHELL_MM;
                    double sd = s || d ? NOISE_IN : NOISE_OUT;
                    for (int t = 0; t < T; t++) {
                        double x = s ? abc[0][t] : d ? RHO * abc[0][t] + b * abc[1][t] : s2 ? abc[2][t] : d3 ? abc[3][t] : 0;
                        data[v + t * n] = (float) (1000 + 10 * (x + sd * noise.nextGaussian()));
                    }
                }
            }
        }
        return data;
    }

    /** Gray matter: probability 1 in front of MNI y = 30, else 0. */
    static double[] gm(Grid g, Affine toMni) {
        double[] p = new double[g.size()];
        for (int k = 0, v = 0; k < g.nz; k++) {
            for (int j = 0; j < g.ny; j++) {
                for (int i = 0; i < g.nx; i++, v++) {
                    double[] w = g.affine.apply(i, j, k);
                    p[v] = toMni.apply(w[0], w[1], w[2])[1] > 30 ? 1 : 0;
                }
            }
        }
        return p;
    }

    /** fMRIPrep-style confounds: the 24 motion columns (small random walks), framewise_displacement, global_signal. */
    static String confounds(Random r) {
        String[] base = {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"};
        double[][] m = new double[6][T];
        for (int c = 0; c < 6; c++) {
            double step = c < 3 ? 0.02 : 0.0003;
            for (int t = 1; t < T; t++) m[c][t] = m[c][t - 1] + step * r.nextGaussian();
        }
        List<String> head = new ArrayList<>();
        for (String b : base) head.addAll(List.of(b, b + "_derivative1", b + "_power2", b + "_derivative1_power2"));
        head.add("framewise_displacement");
        head.add("global_signal");
        StringBuilder sb = new StringBuilder(String.join("\t", head)).append('\n');
        for (int t = 0; t < T; t++) {
            List<String> row = new ArrayList<>();
            double fd = 0;
            for (int c = 0; c < 6; c++) {
                double x = m[c][t];
                String d = t == 0 ? "n/a" : Double.toString(x - m[c][t - 1]);
                double dv = t == 0 ? 0 : x - m[c][t - 1];
                row.addAll(List.of(Double.toString(x), d, Double.toString(x * x), t == 0 ? "n/a" : Double.toString(dv * dv)));
                fd += Math.abs(dv) * (c < 3 ? 1 : 50);
            }
            row.add(t == 0 ? "n/a" : Double.toString(fd));
            row.add(Double.toString(1000 + r.nextGaussian()));
            sb.append(String.join("\t", row)).append('\n');
        }
        return sb.toString();
    }

    /** An ITK text transform (LPS, centre 0) whose RAS point map is {@code m}, as ANTs/fMRIPrep write them. */
    static String itk(Affine m) {
        double[] f = {-1, -1, 1};
        StringBuilder p = new StringBuilder();
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) p.append(' ').append(f[r] * m.get(r, c) * f[c]);
        for (int r = 0; r < 3; r++) p.append(' ').append(f[r] * m.get(r, 3));
        return String.join("\n", "#Insight Transform File V1.0", "#Transform 0", "Transform: AffineTransform_double_3_3",
            "Parameters:" + p, "FixedParameters: 0 0 0", "");
    }

    /** One subject's fMRIPrep outputs: BOLD (+ JSON), brain mask, confounds, GM probseg; {@code space} null: none. */
    static void subject(String sub, String space, String gmSpace, Grid g, Affine toMni, double[][] abc, long seed, String conf)
        throws Exception {
        Path func = bids.resolve("derivatives/fmriprep/sub-" + sub + "/func");
        Path anat = bids.resolve("derivatives/fmriprep/sub-" + sub + "/anat");
        Files.createDirectories(func);
        Files.createDirectories(anat);
        Files.createDirectories(bids.resolve("sub-" + sub));
        String sp = space == null ? "" : "_space-" + space;
        String pre = "sub-" + sub + "_task-rest" + sp;
        long[] shape3 = {g.nx, g.ny, g.nz};
        NiftiWriter.write(func.resolve(pre + "_desc-preproc_bold.nii.gz"),
            NiftiWriter.Spec.of(new long[] {g.nx, g.ny, g.nz, T}, g.affine, DataType.FLOAT32).tr(TR), bold(g, toMni, abc, new Random(seed)));
        Files.writeString(func.resolve(pre + "_desc-preproc_bold.json"), "{\"RepetitionTime\": 2.0, \"TaskName\": \"rest\"}\n");
        double[] ones = new double[g.size()];
        java.util.Arrays.fill(ones, 1);
        NiftiWriter.write(func.resolve(pre + "_desc-brain_mask.nii.gz"), NiftiWriter.Spec.of(shape3, g.affine, DataType.UINT8), ones);
        Files.writeString(func.resolve("sub-" + sub + "_task-rest_desc-confounds_timeseries.tsv"), conf);
        NiftiWriter.write(anat.resolve("sub-" + sub + (gmSpace == null ? "" : "_space-" + gmSpace) + "_label-GM_probseg.nii.gz"),
            NiftiWriter.Spec.of(shape3, g.affine, DataType.FLOAT32), gm(g, toMni));
    }

    /** Copies a subject's fMRIPrep files to another subject; {@code space} not null: replaces the space entity. */
    static void copy(String from, String to, String space) throws Exception {
        Path src = bids.resolve("derivatives/fmriprep/sub-" + from);
        Files.createDirectories(bids.resolve("sub-" + to));
        List<Path> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().contains("_xfm")).toList();
        }
        for (Path p : files) {
            String name = p.getFileName().toString().replace("sub-" + from + "_", "sub-" + to + "_");
            if (space != null) name = name.replaceAll("_space-[A-Za-z0-9]+", space.isEmpty() ? "" : "_space-" + space);
            Path q = bids.resolve("derivatives/fmriprep/sub-" + to).resolve(src.relativize(p.getParent())).resolve(name);
            Files.createDirectories(q.getParent());
            Files.copy(p, q, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static Path transform(String sub) throws Exception {
        Path x = bids.resolve("derivatives/fmriprep/sub-" + sub + "/anat/sub-" + sub + "_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt");
        Files.writeString(x, itk(T1W_TO_MNI));
        return x;
    }

    /** The default pipeline with only its resting-state stage. */
    static Path pipeline() throws Exception {
        String all = Files.readString(Path.of("pipelines/ketamine-response.yaml"));
        int at = all.indexOf("  - id: restingstate");
        assertTrue(at > 0, "the default pipeline has a restingstate stage");
        String rest = all.substring(at);
        int next = rest.indexOf("\n  - id:", 1);
        if (next > 0) rest = rest.substring(0, next + 1);
        Path p = tmp.resolve("rs.yaml");
        Files.writeString(p, "name: rs-spaces\nstages:\n" + rest);
        return p;
    }

    static int run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(buf, true));
            return Main.run(args);
        } finally {
            System.setErr(err);
            stderr = buf.toString();
        }
    }

    static String[] args(String... subs) throws Exception {
        List<String> a = new ArrayList<>(List.of(bids.toString(), out.toString(), "participant", "--participant-label"));
        a.addAll(List.of(subs));
        a.addAll(List.of("--pipeline", pipeline().toString(), "--atlas-dir", "test-data/demo-atlases", "--nthreads", "2"));
        return a.toArray(new String[0]);
    }

    @BeforeAll
    static void build() throws Exception {
        bids = tmp.resolve("bids");
        out = tmp.resolve("out");
        Files.createDirectories(bids);
        Files.writeString(bids.resolve("dataset_description.json"), "{\"Name\": \"phantom\", \"BIDSVersion\": \"1.8.0\"}\n");
        Random r = new Random(20261126L);
        double[][] abc = new double[4][T];
        for (double[] s : abc) for (int t = 0; t < T; t++) s[t] = r.nextGaussian();
        String conf = confounds(r);
        Grid nat = nativeGrid();
        Affine identity = Affine.identity();
        subject("01", "MNI152NLin2009cAsym", "MNI152NLin2009cAsym", MNI, identity, abc, 1, conf);
        subject("02", "T1w", null, nat, T1W_TO_MNI, abc, 2, conf);    // fMRIPrep's T1w-space anat files have no space-
        transform("02");
        copy("02", "01", null);                                        // 01 has the T1w files too: MNI is preferred
        transform("01");
        copy("02", "03", null);                                        // 03: the T1w files, no transform
        copy("02", "04", "");                                          // 04: no space- entity, no transform
        exit = run(args("01", "02"));
    }

    static Map<String, String> features(String sub) {
        return Table.read(out.resolve("sub-" + sub + "/sub-" + sub + "_features.tsv")).rows().get(0);
    }

    static double value(String sub, String col) {
        return Table.number(features(sub).get(col));
    }

    static String read(Path p) throws Exception {
        return Files.readString(p);
    }

    @Test
    void nativeBoldThroughTheTransformAgreesWithMni() throws Exception {
        assertEquals(0, exit, stderr);
        double zMni = value("01", "sgacc_rdlpfc_fc_z");
        double zNat = value("02", "sgacc_rdlpfc_fc_z");
        assertFalse(Double.isNaN(zNat), "the native run's value is not n/a: " + features("02"));
        // the ROIs found the planted regions (z scatters around atanh(RHO) = 0.55 with the draws of A and B, SD ~0.1 at
        // ~30 degrees of freedom; two ROIs of noise alone give 0 +- 0.2)
        assertTrue(zMni > 0.2 && zNat > 0.2, "planted correlation found: MNI " + zMni + ", native " + zNat);
        // Voxel-sampling tolerance: each ROI mean is A (or RHO A + ...) plus the mean noise of the 60-70 voxels whose
        // centres each grid puts in the 10 mm sphere (NOISE_IN / sqrt(N) = 0.025 per volume); the grids sample different
        // voxels, so different noise. Over 8 other noise seeds |z native - z MNI| had an RMS of 0.009 (max 0.018): 0.05 is
        // over 5 RMS. A misplaced ROI lands in the C/D shells or in noise: with an identity transform file instead of
        // the planted one this run gives z = -0.05 (and half the ALFF); with the inverse the target leaves the grid.
        assertEquals(zMni, zNat, 0.05, "native " + zNat + " vs MNI " + zMni);
        assertEquals(value("01", "sgacc_rdlpfc_fc_gsr_z"), value("02", "sgacc_rdlpfc_fc_gsr_z"), 0.05);
        // ALFF: the mean over the seed's voxels of each voxel's band-passed SD (A's, and NOISE_IN^2 = 4 % more variance);
        // over the same 8 seeds the grids differed by 0.6 % RMS (max 1.5 %): within 3 %
        assertEquals(value("01", "sgacc_alff"), value("02", "sgacc_alff"), 0.03 * value("01", "sgacc_alff"));
        assertEquals(T, value("02", "n_volumes_used"));
        assertFalse(Double.isNaN(value("02", "pfc_gbc_z")), "the atlas ROI reached the native grid through the transform");

        // provenance and QC: the transform is recorded, the ROIs as placed on the T1w grid are written
        String prov = read(out.resolve("sub-02/sub-02_provenance.json"));
        assertTrue(prov.contains("sub-02_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"), prov);
        for (String roi : List.of("sgacc", "rdlpfc", "pfc")) {
            Path qc = out.resolve("sub-02/sub-02_task-rest_space-T1w_desc-" + roi + "_mask.nii.gz");
            assertTrue(Files.isRegularFile(qc), qc.toString());
            double[] v = Images.open(qc).readVolumeDouble(0);
            long n = java.util.Arrays.stream(v).filter(x -> x == 1).count();
            assertTrue(n > 20, roi + ": " + n + " voxels");
            if (!roi.equals("pfc")) {
                // every QC voxel lies within the 10 mm sphere in MNI (through the planted transform)
                Grid g = Images.open(qc).grid();
                double[] c = roi.equals("sgacc") ? SGACC : RDLPFC;
                for (int p = 0; p < v.length; p++) {
                    if (v[p] != 1) continue;
                    int i = p % g.nx, j = p / g.nx % g.ny, k = p / (g.nx * g.ny);
                    double[] w = g.affine.apply(i, j, k);
                    assertTrue(dist(T1W_TO_MNI.apply(w[0], w[1], w[2]), c) <= 10 + 1e-6);
                }
            }
        }
        String log = read(out.resolve("sub-02/sub-02_log.txt"));
        assertTrue(log.contains("ROIs in MNI152 reach the BOLD in T1w through ")
            && log.contains("sub-02_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"), "the log names the transform:\n" + log);
        for (String roi : List.of("sgacc", "rdlpfc", "pfc")) {
            assertTrue(log.contains("-> sub-02_task-rest_space-T1w_desc-" + roi + "_mask.nii.gz"), roi + " QC mask logged:\n" + log);
        }
        assertTrue(prov.contains("\"roi_transforms\""), "the provenance lists each ROI's transform: " + prov);
        try (Stream<Path> s = Files.list(out.resolve("sub-01"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith("_mask.nii.gz")), "no QC masks without a transform");
        }
    }

    @Test
    void mniFilesArePreferredWhenBothSpacesExist() throws Exception {
        assertEquals(0, exit, stderr);
        // sub-01 has its BOLD, mask and gray matter in MNI and in T1w (and the transform): the MNI ones are used
        String prov = read(out.resolve("sub-01/sub-01_provenance.json"));
        for (String f : List.of("sub-01_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz",
            "sub-01_task-rest_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz", "sub-01_space-MNI152NLin2009cAsym_label-GM_probseg.nii.gz")) {
            assertTrue(prov.contains(f), f + " in " + prov);
        }
        assertFalse(prov.contains("space-T1w") || prov.contains("sub-01_label-GM_probseg"), "no T1w file used: " + prov);
        assertFalse(prov.contains("_xfm"), "no transform for MNI data: " + prov);
    }

    @Test
    void nativeBoldWithoutTransformFailsEarlyNamingBothSpaces() throws Exception {
        for (String[] c : List.of(new String[] {"03", "T1w"}, new String[] {"04", "native"})) {
            String sub = c[0];
            long t0 = System.nanoTime();
            assertEquals(1, run(args(sub)));
            double secs = (System.nanoTime() - t0) / 1e9;
            String prov = read(out.resolve("sub-" + sub + "/sub-" + sub + "_provenance.json"));
            assertTrue(prov.contains("data are in space " + c[1] + " but the ROIs are in space MNI152"), prov);
            assertTrue(prov.contains("from-MNI152_to-" + c[1]) && prov.contains("no transform"), prov);
            String log = read(out.resolve("sub-" + sub + "/sub-" + sub + "_log.txt"));
            // the stage logs "BOLD: N mask voxels x T volumes" once the data are loaded, before any denoising
            assertFalse(log.contains("BOLD:"), "failed before the BOLD data were read:\n" + log);
            assertTrue(log.contains("failed"), log);
            assertTrue(Double.isNaN(value(sub, "sgacc_rdlpfc_fc_z")));
            assertTrue(secs < 30, "quick: " + secs + " s");
        }
    }

    @Test
    void phantomGridsAreWhatTheTestSays() {
        Grid nat = nativeGrid();
        // the native grid is rotated against MNI: its voxel centres are not on the MNI lattice
        double[] w = nat.affine.apply(3, 4, 5);
        double[] q = T1W_TO_MNI.apply(w[0], w[1], w[2]);
        assertTrue(Math.abs(q[0] / 2 - Math.rint(q[0] / 2)) > 1e-3 || Math.abs(q[1] / 2 - Math.rint(q[1] / 2)) > 1e-3,
            String.format(Locale.ROOT, "%.3f %.3f %.3f", q[0], q[1], q[2]));
        assertTrue(nat.size() > MNI.size());
    }
}
