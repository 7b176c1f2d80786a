package org.ketaprint.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * The memory-mapped gather on every integer and float type it supports, with and without scl_slope/scl_inter:
 * the expected values are the stored integers (chosen to use the high bit of unsigned types) times the
 * slope plus the intercept, written out plainly here (issue 15).
 */
class MappedGatherTypesTest {
    static final int NX = 4, NY = 3, NZ = 2, NT = 3, NV = NX * NY * NZ;

    @TempDir
    Path tmp;

    /** Stored value of voxel p, volume t for type t: distinct everywhere, in range, high bits set for unsigned. */
    static double raw(DataType type, int p, int t) {
        int k = t * NV + p;   // 0 .. 71
        return switch (type) {
            case UINT8 -> 130 + k;              // 130 .. 201 (sign bit set)
            case UINT16 -> 40000 + 301 * k;     // above 32767
            case INT16 -> -20000 + 517 * k;
            case INT32 -> -1_000_000_000 + 27_000_001 * k;
            case INT8 -> k - 40;
            case UINT32, INT64 -> 5 * k;
            default -> -3.25 + 1.5 * k;
        };
    }

    /** A single-file NIfTI-1 of any type: the writer's float32 header with datatype, bitpix and scaling patched. */
    Path write(DataType type, Double slope, Double inter, String name) throws IOException {
        Path f = tmp.resolve(name);
        NiftiWriter.write(f, NiftiWriter.Spec.of(new long[] {NX, NY, NZ, NT}, Affine.identity(), DataType.FLOAT32),
            new float[NV * NT]);
        ByteBuffer b = ByteBuffer.allocate(352 + NV * NT * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Files.readAllBytes(f), 0, 352);
        b.putShort(70, (short) type.code).putShort(72, (short) (8 * type.bytes));
        if (slope != null) b.putFloat(112, slope.floatValue()).putFloat(116, inter.floatValue());
        b.position(352);
        for (int t = 0; t < NT; t++) {
            for (int p = 0; p < NV; p++) {
                double x = raw(type, p, t);
                switch (type) {
                    case UINT8, INT8 -> b.put((byte) (long) x);
                    case INT16, UINT16 -> b.putShort((short) (long) x);
                    case INT32, UINT32 -> b.putInt((int) (long) x);
                    case INT64 -> b.putLong((long) x);
                    case FLOAT32 -> b.putFloat((float) x);
                    default -> b.putDouble(x);
                }
            }
        }
        Files.write(f, b.array());
        return f;
    }

    void check(DataType type, Double slope, Double inter) throws IOException {
        NiftiImage img = NiftiImage.load(write(type, slope, inter, "x_" + type.label + (slope != null ? "_scaled" : "") + ".nii"));
        assertTrue(MappedGather.supported(img), type.label);
        int[] vox = {23, 0, 5, 17, 11, 6};
        float[] sig = new float[vox.length * NT];
        MappedGather.gather(img, vox, NT, sig);
        float[] expect = new float[sig.length];
        for (int t = 0; t < NT; t++) {
            for (int i = 0; i < vox.length; i++) {
                double x = raw(type, vox[i], t);
                expect[t * vox.length + i] = (float) (slope == null ? x : x * slope + inter);
            }
        }
        assertArrayEquals(expect, sig, type.label + " slope " + slope);
    }

    @Test
    void everySupportedTypeUnscaledAndScaled() throws IOException {
        for (DataType t : new DataType[] {DataType.UINT8, DataType.UINT16, DataType.INT16, DataType.INT32,
            DataType.FLOAT32, DataType.FLOAT64}) {
            check(t, null, null);
            check(t, 0.5, -3.0);
            check(t, 2.0, 7.0);
        }
    }

    @Test
    void otherTypesCompressedFilesAndMghAreNotSupported() throws IOException {
        for (DataType t : new DataType[] {DataType.INT8, DataType.UINT32, DataType.INT64}) {
            assertFalse(MappedGather.supported(NiftiImage.load(write(t, null, null, "y_" + t.label + ".nii"))), t.label);
        }
        Path gz = tmp.resolve("z.nii.gz");
        NiftiWriter.write(gz, NiftiWriter.Spec.of(new long[] {NX, NY, NZ, NT}, Affine.identity(), DataType.FLOAT32), new float[NV * NT]);
        assertFalse(MappedGather.supported(NiftiImage.load(gz)));
        ByteBuffer b = ByteBuffer.allocate(284 + 4 * NV);
        b.putInt(0, 1).putInt(4, NX).putInt(8, NY).putInt(12, NZ).putInt(16, 1).putInt(20, 3);
        Path mgh = tmp.resolve("w.mgh");
        Files.write(mgh, b.array());
        assertFalse(MappedGather.supported(Images.open(mgh)));
    }
}
