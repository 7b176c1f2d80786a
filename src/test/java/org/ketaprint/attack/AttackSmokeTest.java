package org.ketaprint.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handful of the attack suite's cases (scripts/attack/, run by .ci/run), one per kind of attack, run in-process
 * through {@link AttackHarness} so that a regression shows in {@code mvn -B verify} without Python: each hostile
 * input is refused with one 'ketaprint:' line (no trace, no hang, no OutOfMemoryError), and a valid but unusual
 * file (several gzip members) is read.
 */
class AttackSmokeTest {
    private static final double SECONDS = 30;

    @TempDir
    Path tmp;

    /** A little-endian NIfTI-1 .nii: 348-byte header, 4 bytes of extension flag, float32 data. */
    static byte[] nifti1(int[] dims, float[] zooms, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(352 + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 348);
        b.putShort(40, (short) dims.length);
        for (int i = 0; i < dims.length; i++) b.putShort(42 + 2 * i, (short) dims[i]);
        for (int i = dims.length; i < 7; i++) b.putShort(42 + 2 * i, (short) 1);
        b.putShort(70, (short) 16);   // float32
        b.putShort(72, (short) 32);
        b.putFloat(76, 1f);
        for (int i = 0; i < zooms.length; i++) b.putFloat(80 + 4 * i, zooms[i]);
        b.putFloat(108, 352f);
        b.putFloat(112, 1f);
        b.put(123, (byte) 10);        // mm, s
        b.putShort(254, (short) 1);   // sform: zooms on the diagonal
        b.putFloat(280, zooms[0]);
        b.putFloat(300, zooms[1]);
        b.putFloat(320, zooms[2]);
        b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        for (int i = 0; i < data.length; i++) b.putFloat(352 + 4 * i, data[i]);
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(data);
        }
        return o.toByteArray();
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i * 7) % 13;
        return v;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private static AttackHarness.Outcome run(String... args) {
        return AttackHarness.run(SECONDS, args);
    }

    /** Refused: exit != 0, one 'ketaprint:' line naming {@code names}, nothing thrown, in time. */
    private static void assertRefused(AttackHarness.Outcome o, String names) {
        assertEquals("done", o.kind(), o.toString());
        assertFalse(o.crashed(), o.toString());
        assertTrue(o.cleanError(), "one clean 'ketaprint:' line: " + o);
        assertTrue(o.err().contains(names), "names " + names + ": " + o);
    }

    @Test
    void niftiHeaderCutShort() throws IOException {
        byte[] full = nifti1(new int[] {4, 3, 2}, new float[] {2, 2, 2}, ramp(24));
        Path p = write("cut.nii", java.util.Arrays.copyOf(full, 200));
        assertRefused(run("info", "--json", "--stats", p.toString()), "cut.nii");
    }

    @Test
    void gzipWithCorruptDeflateData() throws IOException {
        byte[] g = gzip(nifti1(new int[] {4, 3, 2}, new float[] {2, 2, 2}, ramp(24)));
        // the first deflate block's header: BTYPE 11 is reserved, so the stream is invalid from its first bits
        g[10] = (byte) (g[10] | 0x06);
        Path p = write("corrupt.nii.gz", g);
        assertRefused(run("convert", p.toString(), tmp.resolve("o.nii.gz").toString()), "corrupt.nii.gz");
    }

    @Test
    void nifti2WithTwoToTheSixtyVoxels() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(544 + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 540);
        b.put(4, (byte) 'n').put(5, (byte) '+').put(6, (byte) '2').put(8, (byte) '\r').put(9, (byte) '\n')
            .put(10, (byte) 0x1a).put(11, (byte) '\n');
        b.putShort(12, (short) 4);    // int16
        b.putShort(14, (short) 16);
        long[] dim = {3, (1L << 30) - 1, (1L << 30) + 1, 1, 1, 1, 1, 1};   // 2^60 - 1 voxels
        for (int i = 0; i < 8; i++) b.putLong(16 + 8 * i, dim[i]);
        for (int i = 0; i < 8; i++) b.putDouble(104 + 8 * i, 1.0);
        b.putLong(168, 544);
        b.putDouble(176, 1.0);
        Path p = write("huge.nii", b.array());
        assertRefused(run("volumes", p.toString()), "huge.nii");
    }

    @Test
    void smallGzipClaimingAGigavoxelFloatImage() throws IOException {
        byte[] h = nifti1(new int[] {4, 3, 2}, new float[] {1, 1, 1}, new float[0]);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(42, (short) 1024).putShort(44, (short) 1024).putShort(46, (short) 1024);
        byte[] payload = java.util.Arrays.copyOf(h, h.length + (1 << 20));   // 1 MB of data where 4 GB are due
        Path p = write("claims.nii.gz", gzip(payload));
        AttackHarness.Outcome o = run("info", "--json", "--stats", p.toString());
        assertRefused(o, "claims.nii.gz");
    }

    @Test
    void folderNamedLikeAnImage() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("folder.nii.gz"));
        assertRefused(run("info", d.toString()), "folder.nii.gz");
    }

    @Test
    void labelImageWithNaNAndFractionalLabels() throws IOException {
        float[] v = ramp(64);
        v[0] = Float.NaN;
        v[5] = 1.5f;
        Path p = write("labels.nii", nifti1(new int[] {4, 4, 4}, new float[] {2, 2, 2}, v));
        assertRefused(run("volumes", "--json", p.toString()), "labels.nii");
    }

    @Test
    void yamlBillionLaughsAndDeepNesting() throws IOException {
        StringBuilder y = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int k = 0; k < 9; k++) y.append(k == 0 ? "" : ",").append('*').append(prev);
            y.append("]\n");
            prev = c;
        }
        y.append("stages: []\n");
        assertTrue(y.length() < 1024);
        Path laughs = write("laughs.yaml", y.toString().getBytes(StandardCharsets.UTF_8));
        Path deep = write("deep.yaml", ("name: x\nstages: " + "[".repeat(20000) + "]".repeat(20000) + "\n")
            .getBytes(StandardCharsets.UTF_8));
        for (Path p : new Path[] {laughs, deep}) {
            AttackHarness.Outcome o = run("validate-pipeline", p.toString());
            assertEquals("done", o.kind(), o.toString());
            assertFalse(o.crashed(), o.toString());
            assertTrue(o.exit() != 0 && o.err().contains(p.toString()), "refused, naming the file: " + o);
        }
    }

    @Test
    void repetitionTimeNaN() throws IOException {
        int n = 6 * 6 * 6 * 30;
        float[] v = new float[n];
        java.util.Random r = new java.util.Random(14);
        for (int i = 0; i < n; i++) v[i] = 1000 + (float) r.nextGaussian();
        Path bold = write("bold.nii", nifti1(new int[] {6, 6, 6, 30}, new float[] {4, 4, 4, 2}, v));
        float[] m = new float[216];
        java.util.Arrays.fill(m, 1f);
        Path mask = write("mask.nii", nifti1(new int[] {6, 6, 6}, new float[] {4, 4, 4}, m));
        AttackHarness.Outcome o = run("alff", bold.toString(), "--roi", "sphere:8,8,8,4", "--mask", mask.toString(),
            "--strategy", "none", "--fd-threshold", "0", "--min-seconds", "0", "--tr", "NaN");
        assertEquals("done", o.kind(), o.toString());
        assertFalse(o.crashed(), o.toString());
        assertTrue(o.cleanError(), o.toString());
        assertTrue(o.err().toLowerCase(java.util.Locale.ROOT).contains("tr"), o.toString());
    }

    @Test
    void severalGzipMembersAreOneValidFile() throws IOException {
        byte[] raw = nifti1(new int[] {4, 3, 2}, new float[] {2, 2, 2}, ramp(24));
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.write(gzip(java.util.Arrays.copyOf(raw, 300)));
        two.write(gzip(java.util.Arrays.copyOfRange(raw, 300, raw.length)));
        Path p = write("members.nii.gz", two.toByteArray());
        AttackHarness.Outcome o = run("info", "--json", "--stats", p.toString());
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.out().replace(" ", "").contains("\"shape\":[4,3,2]"), o.out());
        double sum = 0;
        for (float f : ramp(24)) sum += f;
        assertTrue(o.out().replace(" ", "").contains("\"sum\":" + sum), "sum " + sum + ": " + o.out());
    }
    @Test
    void gzipWithAWrongCrc() throws IOException {
        byte[] g = gzip(nifti1(new int[] {4, 3, 2}, new float[] {2, 2, 2}, ramp(24)));
        g[g.length - 8] ^= 1;
        Path p = write("crc.nii.gz", g);
        assertRefused(run("info", "--json", "--stats", p.toString()), "crc.nii.gz");
    }

    @Test
    void fifoNamedLikeAnImage() throws Exception {
        Path f = tmp.resolve("fifo.nii");
        Process mk = new ProcessBuilder("mkfifo", f.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0 && Files.exists(f), "mkfifo");
        assertRefused(run("info", f.toString()), "fifo.nii");
    }

    @Test
    void yamlRecursiveAliasAndBadClinicalBlock() throws IOException {
        String stage = "stages:\n  - id: structural\n    type: structural\n    inputs:\n"
            + "      seg: {desc: aseg, suffix: dseg, extension: .nii.gz|.nii}\n    features:\n"
            + "      - {column: hippocampus_l_vol_mm3, measure: volume, label: Left-Hippocampus}\n";
        Path alias = write("alias.yaml", ("x: &a [*a]\n" + stage).getBytes(StandardCharsets.UTF_8));
        Path clinical = write("clinical.yaml", ("name: x\nclinical:\n  responder_reduction: .nan\n  pre_session: pre\n"
            + "  post_session: pre\n" + stage).getBytes(StandardCharsets.UTF_8));
        for (Path p : new Path[] {alias, clinical}) {
            AttackHarness.Outcome o = run("validate-pipeline", p.toString());
            assertEquals("done", o.kind(), o.toString());
            assertFalse(o.crashed(), o.toString());
            assertTrue(o.exit() != 0 && o.err().contains(p.toString()), "refused, naming the file: " + o);
        }
    }

    @Test
    void atlasWithNaNLabelsInRoiStats() throws IOException {
        float[] labels = ramp(64);
        labels[3] = Float.NaN;
        Path atlas = write("atlas.nii", nifti1(new int[] {4, 4, 4}, new float[] {2, 2, 2}, labels));
        Path map = write("map.nii", nifti1(new int[] {4, 4, 4}, new float[] {2, 2, 2}, ramp(64)));
        assertRefused(run("roistats", map.toString(), "--atlas", atlas.toString()), "atlas.nii");
    }

    @Test
    void slurmOptionWithANewlineIsRefused() throws IOException {
        Path bids = tinyDataset("participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t16\n");
        AttackHarness.Outcome o = run("slurm", bids.toString(), tmp.resolve("out").toString(), "--partition",
            "short\ntouch PWNED");
        assertRefused(o, "--partition");
    }

    @Test
    void participantsTsvNumberWithATypeSuffix() throws IOException {
        Path bids = tinyDataset("participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32d\t16\n");
        Path out = tmp.resolve("out");
        Path pipe = write("p.yaml", ("name: x\nstages:\n  - id: structural\n    type: structural\n    inputs:\n"
            + "      seg: {desc: aseg, suffix: dseg, extension: .nii.gz|.nii}\n    features:\n"
            + "      - {column: hippocampus_l_vol_mm3, measure: volume, label: Left-Hippocampus}\n")
            .getBytes(StandardCharsets.UTF_8));
        AttackHarness.Outcome p = run("run", bids.toString(), out.toString(), "participant", "--pipeline", pipe.toString(),
            "--quiet");
        assertEquals(0, p.exit(), p.toString());
        AttackHarness.Outcome g = run("run", bids.toString(), out.toString(), "group");
        assertFalse(g.crashed(), g.toString());
        if (g.exit() == 0) {   // n/a with a warning naming participants.tsv, never 32
            assertTrue(g.err().contains("participants.tsv"), g.toString());
            java.util.List<String> rows = Files.readAllLines(out.resolve("group").resolve("features.tsv"));
            int col = java.util.Arrays.asList(rows.get(0).split("\t", -1)).indexOf("madrs_pct_change");
            assertTrue(col >= 0 && rows.size() > 1, String.join("\n", rows));
            for (String r : rows.subList(1, rows.size())) assertEquals("n/a", r.split("\t", -1)[col], r);
        } else {
            assertTrue(g.cleanError(), g.toString());
        }
    }

    /** sub-01, session pre, an fMRIPrep-style aseg (Left-Hippocampus = 17) and the given participants.tsv. */
    private Path tinyDataset(String participants) throws IOException {
        Path bids = tmp.resolve("bids");
        write("bids/dataset_description.json", "{\"Name\": \"x\", \"BIDSVersion\": \"1.8.0\"}".getBytes(StandardCharsets.UTF_8));
        write("bids/participants.tsv", participants.getBytes(StandardCharsets.UTF_8));
        write("bids/sub-01/ses-pre/sub-01_ses-pre_scans.tsv", "filename\n".getBytes(StandardCharsets.UTF_8));
        write("bids/derivatives/fmriprep/dataset_description.json", ("{\"Name\": \"fMRIPrep\", \"BIDSVersion\": \"1.8.0\", "
            + "\"DatasetType\": \"derivative\"}").getBytes(StandardCharsets.UTF_8));
        float[] aseg = new float[64];
        for (int i = 0; i < 8; i++) aseg[i] = 17;
        write("bids/derivatives/fmriprep/sub-01/ses-pre/anat/sub-01_ses-pre_desc-aseg_dseg.nii.gz",
            gzip(nifti1(new int[] {4, 4, 4}, new float[] {2, 2, 2}, aseg)));
        return bids;
    }
}
