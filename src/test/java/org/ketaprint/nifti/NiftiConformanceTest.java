package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NiftiImage against what nibabel 5.0 reports for the edge-case images in test-data/nifti (reference.json). */
class NiftiConformanceTest {

    static Stream<Arguments> images() {
        return NiftiReference.images().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static NiftiImage load(JsonNode ref) {
        return NiftiImage.load(NiftiReference.DIR.resolve(ref.get("file").asText()));
    }

    @Test
    void referenceCoversTheRequiredCases() {
        // the cases the reader must handle, so a regenerated reference.json cannot silently drop one
        for (String n : new String[] {"dtype_uint8", "dtype_int8", "dtype_int16", "dtype_uint16", "dtype_int32",
            "dtype_uint32", "dtype_int64", "dtype_float32", "dtype_float64", "bigendian_int16", "scaled_int16",
            "slope_zero", "slope_nan", "qform_only", "sform_qform_disagree", "no_xform", "pair_nifti1",
            "pair_nifti1_gz", "nifti2_single", "nifti2_pair", "fmri_4d_tr_ms", "five_d", "seven_d",
            "analyze_spm_origin", "nan_inf_float32"}) {
            assertTrue(NiftiReference.image(n) != null, "reference.json lacks " + n);
        }
        assertTrue(NiftiReference.images().size() >= 40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void headerMatchesNibabel(String name, JsonNode ref) {
        NiftiImage img = load(ref);
        NiftiHeader h = img.header();
        assertArrayEquals(NiftiReference.longs(ref.get("shape")), img.shape(), "shape");
        assertEquals(ref.get("datatype").asText(), img.datatypeName(), "datatype");
        assertEquals(ref.get("byteorder").asText().equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
            h.order, "byte order");
        assertEquals(ref.get("nifti_version").asInt(), h.version, "NIfTI version");
        double[] zooms = NiftiReference.nums(ref.get("zooms"));
        assertArrayEquals(zooms, h.zooms(), 1e-12, "zooms");
        double[][] a = img.affine().toArray();
        JsonNode ra = ref.get("affine");
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(NiftiReference.nums(ra.get(r)), a[r], 1e-6, "affine row " + r);
        }
        double tr = NiftiReference.num(ref.get("tr"));
        if (Double.isNaN(tr)) {
            assertTrue(Double.isNaN(img.repetitionTime()), "TR of a <4D image must be NaN");
        } else {
            assertEquals(tr, img.repetitionTime(), 1e-9 * tr, "TR in seconds");
        }
        if (h.version > 0) {
            assertEquals(ref.get("sform_code").asInt(), h.sformCode, "sform_code");
            assertEquals(ref.get("qform_code").asInt(), h.qformCode, "qform_code");
        }
        Grid g = img.grid();
        long[] s = img.shape();
        assertArrayEquals(new int[] {(int) s[0], s.length > 1 ? (int) s[1] : 1, s.length > 2 ? (int) s[2] : 1}, g.dims());
        long vols = 1;
        for (int i = 3; i < s.length; i++) vols *= s[i];
        assertEquals(vols, img.volumes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void dataMatchesNibabel(String name, JsonNode ref) {
        NiftiImage img = load(ref);
        long[] shape = img.shape();
        double[] full = img.readDouble();
        float[] fl = img.readFloat();
        for (JsonNode smp : ref.get("samples")) {
            long[] idx = NiftiReference.longs(smp.get("index"));
            int f = (int) NiftiReference.flat(shape, idx);
            double want = NiftiReference.num(smp.get("value"));
            assertSame(want, full[f], "readDouble at " + Arrays.toString(idx));
            assertSame((float) want, fl[f], "readFloat at " + Arrays.toString(idx));
        }
        if (ref.has("data")) {
            double[] want = NiftiReference.nums(ref.get("data"));
            assertEquals(want.length, full.length, "voxel count");
            for (int i = 0; i < want.length; i++) {
                assertSame(want[i], full[i], "readDouble voxel " + i);
                assertSame((float) want[i], fl[i], "readFloat voxel " + i);
            }
        }
    }

    /** Equal as nibabel's float64 (to 1e-12 relative), NaN and infinities in the same places. */
    private static void assertSame(double want, double got, String what) {
        if (!Double.isFinite(want)) {
            assertEquals(Double.valueOf(want), Double.valueOf(got), what);
        } else {
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), what);
        }
    }

    /** Equal to float32 precision: the float32 rounding of nibabel's value, within one ulp. */
    private static void assertSame(float want, float got, String what) {
        if (!Float.isFinite(want)) {
            assertEquals(Float.valueOf(want), Float.valueOf(got), what);
        } else {
            assertEquals(want, got, Math.ulp(want), what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void statsMatchNibabel(String name, JsonNode ref) {
        NiftiImage.Stats s = load(ref).stats();
        assertEquals(ref.get("nonfinite").asLong(), s.nonfinite, "non-finite count");
        for (String k : new String[] {"min", "max", "mean", "sum"}) {
            double want = NiftiReference.num(ref.get(k));
            double got = switch (k) {
                case "min" -> s.min;
                case "max" -> s.max;
                case "mean" -> s.mean();
                default -> s.sum();
            };
            assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void volumesAndMaskedMatrixAreSlicesOfTheFullRead(String name, JsonNode ref) {
        NiftiImage img = load(ref);
        float[] full = img.readFloat();
        double[] fullD = img.readDouble();
        int nv = (int) img.header().voxelsPerVolume();
        int nt = (int) img.volumes();
        for (int t = 0; t < nt; t++) {
            assertArrayEquals(Arrays.copyOfRange(full, t * nv, (t + 1) * nv), img.readVolume(t), "readVolume " + t);
            assertArrayEquals(Arrays.copyOfRange(fullD, t * nv, (t + 1) * nv), img.readVolumeDouble(t),
                "readVolumeDouble " + t);
        }
        int[] seen = {0};
        img.forEachVolume((t, vol) -> {
            assertEquals(seen[0]++, t);
            assertArrayEquals(Arrays.copyOfRange(full, (int) t * nv, (int) (t + 1) * nv), vol, "forEachVolume " + t);
        });
        assertEquals(nt, seen[0]);
        // a mask in scrambled order with a repeat: row i must be voxel mask[i]'s time series
        int[] mask = {nv - 1, 0, nv / 2, 1 % nv, nv - 1};
        float[] m = img.readMasked(mask);
        assertEquals(mask.length * nt, m.length);
        for (int i = 0; i < mask.length; i++) {
            for (int t = 0; t < nt; t++) {
                assertEquals(Float.valueOf(full[t * nv + mask[i]]), Float.valueOf(m[i * nt + t]),
                    "readMasked row " + i + " t " + t);
            }
        }
    }

    @Test
    void outOfRangeIndicesAreRefusedBeforeReading() {
        NiftiImage img = load(NiftiReference.image("fmri_4d_tr_ms"));
        int nv = (int) img.header().voxelsPerVolume();
        assertThrows(IndexOutOfBoundsException.class, () -> img.readMasked(new int[] {0, nv}));
        assertThrows(IndexOutOfBoundsException.class, () -> img.readMasked(new int[] {-1}));
        assertThrows(IndexOutOfBoundsException.class, () -> img.readVolume(img.volumes()));
        assertThrows(IndexOutOfBoundsException.class, () -> img.readVolumeDouble(-1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void pairOpensFromEitherFile(String name, JsonNode ref) {
        String file = ref.get("file").asText();
        if (!file.contains(".hdr")) return;
        Path img = NiftiReference.DIR.resolve(file.replace(".hdr", ".img"));
        NiftiImage a = load(ref), b = NiftiImage.load(img);
        assertEquals(a.path(), b.path(), "both names resolve to the header");
        assertArrayEquals(a.readFloat(), b.readFloat());
    }

    @Test
    void imagesOpenReadsNifti() {
        JsonNode ref = NiftiReference.image("fmri_4d_tr_ms");
        Image im = Images.open(NiftiReference.DIR.resolve(ref.get("file").asText()));
        assertArrayEquals(NiftiReference.longs(ref.get("shape")), im.shape());
        assertEquals(NiftiReference.num(ref.get("tr")), im.repetitionTime(), 1e-12);
        assertTrue(im.floatingPoint());
    }
}
