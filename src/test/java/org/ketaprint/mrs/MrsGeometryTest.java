package org.ketaprint.mrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/** The NIfTI-MRS voxel read from bytes written here, its coverage on a T1 grid, and Gasparovic's correction. */
class MrsGeometryTest {
    @TempDir
    Path tmp;

    /** A NIfTI-2 single-voxel file (complex64, 64 points) with an ecode-44 JSON extension and the given sform rows. */
    static Path niftiMrs(Path dir, String name, double[][] sform, long[] dims123, String json) throws IOException {
        byte[] ext = json.getBytes(StandardCharsets.UTF_8);
        int esize = ((8 + ext.length + 15) / 16) * 16;
        int vox = 540 + 4 + esize;
        ByteBuffer b = ByteBuffer.allocate(vox + 64 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 540);
        b.put(4, "n+2\0\r\n\032\n".getBytes(StandardCharsets.ISO_8859_1));
        b.putShort(12, (short) 32);   // complex64
        b.putShort(14, (short) 64);
        long[] dim = {4, dims123[0], dims123[1], dims123[2], 64, 1, 1, 1};
        for (int i = 0; i < 8; i++) b.putLong(16 + 8 * i, dim[i]);
        double[] pix = {1, Math.hypot(Math.hypot(sform[0][0], sform[1][0]), sform[2][0]),
            Math.hypot(Math.hypot(sform[0][1], sform[1][1]), sform[2][1]), Math.hypot(Math.hypot(sform[0][2], sform[1][2]), sform[2][2]),
            0.0005, 1, 1, 1};
        for (int i = 0; i < 8; i++) b.putDouble(104 + 8 * i, pix[i]);
        b.putLong(168, vox);
        b.putDouble(176, 1);            // scl_slope
        b.putInt(344, 0);               // qform_code
        b.putInt(348, 2);               // sform_code
        for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) b.putDouble(400 + 32 * r + 8 * c, sform[r][c]);
        b.put(540, (byte) 1);
        b.putInt(544, esize);
        b.putInt(548, 44);
        b.put(552, ext);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    static final String JSON = "{\"SpectrometerFrequency\": [123.2], \"ResonantNucleus\": [\"1H\"], \"EchoTime\": 0.03, "
        + "\"RepetitionTime\": 2.0}";

    @Test
    void readsTheVoxelAndItsExtension() throws IOException {
        Path f = niftiMrs(tmp, "v.nii", new double[][] {{20, 0, 0, 5.5}, {0, 20, 0, -4.5}, {0, 0, 20, 10.5}}, new long[] {1, 1, 1}, JSON);
        MrsVoxel v = MrsVoxel.read(f);
        assertEquals(20, v.sizeMm()[0], 1e-12);
        assertEquals(0.03, v.echoTime());
        assertEquals(2.0, v.repetitionTime());
        assertEquals(123.2, v.spectrometerMhz());
        assertEquals(-4.5, v.centre()[1], 1e-12);
        Path mrsi = niftiMrs(tmp, "m.nii", new double[][] {{10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0}}, new long[] {8, 8, 1}, JSON);
        KetaprintException e = assertThrows(KetaprintException.class, () -> MrsVoxel.read(mrsi));
        assertTrue(e.getMessage().contains("MRSI"), e.getMessage());
    }

    private static Grid t1() {
        return new Grid(new int[] {40, 40, 40}, new Affine(new double[][] {{1, 0, 0, -20}, {0, 1, 0, -20}, {0, 0, 1, -20}, {0, 0, 0, 1}}));
    }

    /** A 10 mm box whose faces lie on T1 voxel faces: coverage 1 in exactly 1000 voxels. */
    @Test
    void alignedBoxCoversWholeVoxels() throws IOException {
        Path f = niftiMrs(tmp, "a.nii", new double[][] {{10, 0, 0, 0.5}, {0, 10, 0, 2.5}, {0, 0, 10, -3.5}}, new long[] {1, 1, 1}, JSON);
        VoxelMask m = VoxelMask.of(MrsVoxel.read(f), t1());
        int full = 0, partial = 0;
        for (double c : m.coverage()) {
            if (c == 1) full++;
            else if (c > 0) partial++;
        }
        assertEquals(1000, full);
        assertEquals(0, partial);
        assertEquals(1000.0, m.volumeMm3(), 1e-9);
        assertEquals(0.5, m.centreMm()[0], 1e-9);
        assertEquals(2.5, m.centreMm()[1], 1e-9);
        assertEquals(-3.5, m.centreMm()[2], 1e-9);
    }

    /** A voxel rotated 30 degrees about z and 20 about x: centre within 0.1 mm, volume within 1 % (the test). */
    @Test
    void obliqueBoxLandsWhereTheAffineSays() throws IOException {
        double a = Math.toRadians(30), b = Math.toRadians(20);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
        double[] size = {20, 15, 12};
        double[][] s = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double v = 0;
                for (int k = 0; k < 3; k++) v += rz[r][k] * rx[k][c];
                s[r][c] = v * size[c];
            }
        }
        s[0][3] = 1.3;
        s[1][3] = -2.1;
        s[2][3] = 0.7;
        VoxelMask m = VoxelMask.of(MrsVoxel.read(niftiMrs(tmp, "o.nii", s, new long[] {1, 1, 1}, JSON)), t1());
        assertEquals(20 * 15 * 12, m.volumeMm3(), 0.01 * 20 * 15 * 12);
        assertEquals(1.3, m.centreMm()[0], 0.1);
        assertEquals(-2.1, m.centreMm()[1], 0.1);
        assertEquals(0.7, m.centreMm()[2], 0.1);
    }

    @Test
    void outsideTheFieldOfViewIsAnError() throws IOException {
        Path f = niftiMrs(tmp, "out.nii", new double[][] {{20, 0, 0, 15}, {0, 20, 0, 0}, {0, 0, 20, 0}}, new long[] {1, 1, 1}, JSON);
        KetaprintException e = assertThrows(KetaprintException.class, () -> VoxelMask.of(MrsVoxel.read(f), t1()));
        assertTrue(e.getMessage().contains("outside the T1 field of view"), e.getMessage());
    }

    /** With TE -> 0 and TR -> infinity every relaxation factor is 1: C = C_ws / (1 - w_CSF), known by hand. */
    @Test
    void gasparovicWithoutRelaxationIsTheCsfCorrection() {
        double[] f = {0.5, 0.3, 0.2};
        double wCsf = 0.2 * 0.97 / (0.5 * 0.78 + 0.3 * 0.65 + 0.2 * 0.97);   // 0.194 / 0.779
        assertEquals(10 / (1 - wCsf), TissueCorrection.correct("Glu", 10, f, 1e-12, 1e6), 1e-9);
    }

    /** Pure gray matter: C = C_ws R_water,GM / R_Glu with R = exp(-TE/T2)(1 - exp(-TR/T1)). */
    @Test
    void gasparovicInGrayMatter() {
        double te = 0.03, tr = 2.0;
        double water = Math.exp(-te / 0.110) * (1 - Math.exp(-tr / 1.331));
        double glu = Math.exp(-te / 0.12625) * (1 - Math.exp(-tr / 1.220));
        assertEquals(9.2 * water / glu, TissueCorrection.correct("Glu", 9.2, new double[] {1, 0, 0}, te, tr), 1e-12);
        double gln = Math.exp(-te / 0.13925) * (1 - Math.exp(-tr / 1.265));
        assertEquals(3.0 * water / gln, TissueCorrection.correct("Gln", 3.0, new double[] {1, 0, 0}, te, tr), 1e-12);
        assertEquals(TissueCorrection.correct("Glu", 5, new double[] {0.6, 0.3, 0.1}, te, tr),
            TissueCorrection.correct("Glx", 5, new double[] {0.6, 0.3, 0.1}, te, tr));
    }
}
