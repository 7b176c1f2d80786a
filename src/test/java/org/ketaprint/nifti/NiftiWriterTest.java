package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketaprint.cli.Main;

/**
 * The writer and `convert`: each edge-case image converted to every writer type, read back, must hold nibabel's
 * values for the source (reference.json) converted by definition (round half to even, clamp, NaN -> 0), with the
 * source's affine, codes, zooms and TR. (scripts/oracle/nifti_conformance.sh checks the same files with nibabel.)
 */
class NiftiWriterTest {
    private static final String[] SOURCES = {"scaled_int16", "qform_only", "sform_qform_disagree", "no_xform",
        "bad_sform_code", "nan_inf_float32", "dtype_uint32", "fmri_4d_tr_ms", "five_d", "pair_nifti1_gz",
        "nifti2_pair", "analyze_spm_origin", "analyze_4d_uint8"};

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String s : SOURCES) {
            for (DataType t : NiftiWriter.TYPES) {
                b.add(Arguments.of(s, t, ".nii"));
            }
            b.add(Arguments.of(s, DataType.INT16, ".nii.gz"));
        }
        return b.build();
    }

    static double convert(double x, DataType t) {
        return switch (t) {
            case FLOAT32 -> (float) x;
            case FLOAT64 -> x;
            default -> {
                if (Double.isNaN(x)) yield 0;
                double lo = t == DataType.UINT8 ? 0 : t == DataType.INT16 ? Short.MIN_VALUE : Integer.MIN_VALUE;
                double hi = t == DataType.UINT8 ? 255 : t == DataType.INT16 ? Short.MAX_VALUE : Integer.MAX_VALUE;
                yield Math.max(lo, Math.min(hi, Math.rint(x)));
            }
        };
    }

    @ParameterizedTest(name = "{0} -> {1}{2}")
    @MethodSource("cases")
    void convertKeepsDataAndGeometry(String name, DataType type, String ext) throws IOException {
        JsonNode ref = NiftiReference.image(name);
        Path in = NiftiReference.DIR.resolve(ref.get("file").asText());
        Path out = tmp.resolve("out" + ext);
        NiftiWriter.convert(in, out, type);
        NiftiImage o = NiftiImage.load(out);
        NiftiHeader h = o.header();
        assertEquals(1, h.version);
        assertEquals(type, h.datatype);
        assertArrayEquals(NiftiReference.longs(ref.get("shape")), o.shape());
        double[] want = NiftiReference.nums(ref.get("data"));
        double[] got = o.readDouble();
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.valueOf(convert(want[i], type)), Double.valueOf(got[i]), "voxel " + i);
        }
        double[][] a = o.affine().toArray();
        for (int r = 0; r < 4; r++) {
            double[] wr = NiftiReference.nums(ref.get("affine").get(r));
            for (int c = 0; c < 4; c++) {
                assertEquals(wr[c], a[r][c], 1e-6 * Math.max(1, Math.abs(wr[c])), "affine " + r + "," + c);
            }
        }
        assertArrayEquals(NiftiReference.nums(ref.get("zooms")), h.zooms(), 1e-6, "zooms");
        double tr = NiftiReference.num(ref.get("tr"));
        if (!Double.isNaN(tr)) assertEquals(tr, o.repetitionTime(), 1e-6 * tr, "TR");
        if (ref.get("nifti_version").asInt() > 0) {
            assertEquals(ref.get("sform_code").asInt(), h.sformCode, "sform_code kept");
            assertEquals(ref.get("qform_code").asInt(), h.qformCode, "qform_code kept");
        } else {
            assertEquals(2, h.sformCode, "Analyze affine stored as an aligned sform");
        }
        if (ext.endsWith(".gz")) {
            try (InputStream s = new GZIPInputStream(Files.newInputStream(out))) {
                assertEquals(352 + want.length * (long) type.bytes, s.readAllBytes().length, "exact .nii.gz size");
            }
        } else {
            assertEquals(352 + want.length * (long) type.bytes, Files.size(out), "exact .nii size");
        }
    }

    @Test
    void headerFieldsFollowNifti1h() throws IOException {
        // an affine with a flip (qfac -1) and a rotation; values by construction
        double c = Math.cos(0.3), s = Math.sin(0.3);
        Affine aff = new Affine(new double[][] {{2 * c, -3 * s, 0, 10}, {2 * s, 3 * c, 0, -20}, {0, 0, -4, 30},
            {0, 0, 0, 1}});
        float[] data = new float[3 * 2 * 2 * 5];
        for (int i = 0; i < data.length; i++) data[i] = i * 0.5f - 7;
        Path out = tmp.resolve("made.nii");
        NiftiWriter.write(out, NiftiWriter.Spec.of(new long[] {3, 2, 2, 5}, aff, DataType.FLOAT32).tr(2.25), data);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(348, b.getInt(0));
        assertEquals(4, b.getShort(40));
        assertEquals(16, b.getShort(70));
        assertEquals(32, b.getShort(72));
        assertEquals(352f, b.getFloat(108));
        assertEquals(-1f, b.getFloat(76), "qfac");
        assertEquals(2.25f, b.getFloat(92), "pixdim[4] = TR");
        assertEquals(2 | 8, b.get(123), "mm and seconds");
        assertEquals("n+1", new String(new byte[] {b.get(344), b.get(345), b.get(346)}, StandardCharsets.US_ASCII));
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 4; k++) assertEquals((float) aff.get(r, k), b.getFloat(280 + 16 * r + 4 * k));
        }
        NiftiImage img = NiftiImage.load(out);
        assertTrue(img.header().qform().equalsWithin(aff, 1e-5), "qform equals the affine: " + img.header().qform());
        assertArrayEquals(data, img.readFloat());
        assertEquals(2.25, img.repetitionTime(), 1e-7);
    }

    @Test
    void writerRejectsWhatNifti1CannotHold() {
        float[] one = new float[40000];
        NiftiException e = assertThrows(NiftiException.class, () -> NiftiWriter.write(tmp.resolve("x.nii"),
            NiftiWriter.Spec.of(new long[] {40000, 1, 1}, Affine.identity(), DataType.FLOAT32), one));
        assertTrue(e.getMessage().contains("x.nii") && e.getMessage().contains("40000"), e.getMessage());
    }

    @Test
    void convertCommand() throws IOException {
        JsonNode ref = NiftiReference.image("scaled_int16");
        Path in = NiftiReference.DIR.resolve(ref.get("file").asText());
        Path out = tmp.resolve("c.nii.gz");
        assertEquals(0, Main.run("convert", in.toString(), out.toString(), "--datatype", "float64"));
        double[] want = NiftiReference.nums(ref.get("data"));
        assertArrayEquals(want, NiftiImage.load(out).readDouble(), 0.0);
        assertEquals(DataType.FLOAT32, NiftiImage.load(runDefault(in)).header().datatype);

        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.run("convert", in.toString(), tmp.resolve("d.nii").toString(), "--datatype", "rgb24");
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        String msg = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("rgb24"), msg);
        assertEquals(2, Main.run("convert", in.toString(), tmp.resolve("e.img").toString()), "only .nii/.nii.gz");
    }

    private Path runDefault(Path in) {
        Path out = tmp.resolve("default.nii");
        assertEquals(0, Main.run("convert", in.toString(), out.toString()));
        return out;
    }
}
