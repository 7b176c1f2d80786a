package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketaprint.cli.Cli;

/**
 * {@code info} and {@code convert} read MGH/MGZ through {@link Images#open}, like {@code volumes}: the NIfTI-1
 * written from an MGZ holds nibabel's affine (sform and qform), zooms, TR and data, as nibabel's own conversion
 * (test-data/structural/convert_reference.json, scripts/make_convert_reference.py).
 */
class MghConvertTest {
    static final Path DIR = Path.of("test-data", "structural");

    @TempDir
    Path tmp;

    static JsonNode ref(String file) throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("convert_reference.json").toFile()).get(file);
    }

    static void assertMatrix(JsonNode want, Affine got, double tol, String what) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(want.get(r).get(c).asDouble(), got.get(r, c), tol, what + "[" + r + "][" + c + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels_oblique.mgz", "float4d.mgz", "badras.mgh"})
    void convertWritesNibabelsGeometryAndData(String file) throws IOException {
        JsonNode r = ref(file);
        Path out = tmp.resolve(file.replaceFirst("\\..*", "") + ".nii.gz");
        Cli c = Cli.run("convert", DIR.resolve(file).toString(), out.toString(), "--datatype", "float64");
        assertEquals(0, c.code, c.err);
        NiftiImage n = NiftiImage.load(out);
        NiftiHeader h = n.header();
        long[] shape = new long[r.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = r.get("shape").get(i).asLong();
        assertArrayEquals(shape, n.shape(), file + " shape");
        assertEquals(1, h.version);
        assertEquals(1, h.sformCode, "sform code: scanner anatomical, as mri_convert");
        assertEquals(1, h.qformCode, "qform code");
        // the sform is the MGH vox2ras, as nibabel stores it (float32)
        assertMatrix(r.get("sform"), h.sform(), 1e-5, file + " sform");
        assertMatrix(r.get("mgh_affine"), n.affine(), 1e-5, file + " affine");
        // the qform is the same affine through a float32 quaternion: nibabel's own carries ~3e-4 of rounding
        // on 180-degree rotations, so both are compared with the sform at that precision
        assertMatrix(r.get("qform"), h.qform(), 1e-3, file + " qform vs nibabel's");
        assertMatrix(r.get("sform"), h.qform(), 1e-3, file + " qform vs sform");
        for (int i = 0; i < 3; i++) assertEquals(r.get("zooms").get(i).asDouble(), h.zooms()[i], 1e-6, file + " zoom " + i);
        if (shape.length > 3) {
            assertEquals(r.get("tr_ms").asDouble() / 1000, n.repetitionTime(), 1e-9, file + " TR (s)");
            assertEquals("s", h.timeUnit());
        }
        assertEquals("mm", h.spaceUnit());
        double sum = 0;
        for (double v : n.readDouble()) sum += v;
        assertEquals(r.get("sum").asDouble(), sum, 1e-9 * Math.max(1, Math.abs(sum)), file + " sum");
        for (JsonNode s : r.get("samples")) {
            int t = s.size() == 5 ? s.get(3).asInt() : 0;
            double v = n.readVolumeDouble(t)[n.grid().index(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt())];
            assertEquals(s.get(s.size() - 1).asDouble(), v, 0.0, file + " voxel " + s);
        }
    }

    @Test
    void convertedLabelsKeepTheirIntegerType() throws IOException {
        Path out = tmp.resolve("lab.nii");
        assertEquals(0, Cli.run("convert", DIR.resolve("labels_oblique.mgz").toString(), out.toString(), "--datatype", "int16").code);
        NiftiImage n = NiftiImage.load(out);
        assertEquals(DataType.INT16, n.header().datatype);
        double[] want = Images.open(DIR.resolve("labels_oblique.mgz")).readVolumeDouble(0);
        assertArrayEquals(want, n.readDouble(), 0.0);
    }

    @Test
    void infoReadsMgz() throws IOException {
        JsonNode want = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
        Cli c = Cli.run("info", "--json", "--stats", DIR.resolve("float4d.mgz").toString());
        assertEquals(0, c.code, c.err);
        JsonNode o = c.json();
        JsonNode r = want.get("float4d.mgz");
        assertEquals("MGH", o.get("format").asText());
        assertEquals(r.get("shape"), o.get("shape"));
        assertEquals(r.get("dtype").asText(), o.get("datatype").asText());
        for (int i = 0; i < 3; i++) assertEquals(r.get("zooms").get(i).asDouble(), o.get("zooms").get(i).asDouble(), 1e-6);
        assertEquals(r.get("tr_ms").asDouble(), o.get("zooms").get(3).asDouble(), 1e-6, "4th zoom: TR in ms, as nibabel");
        assertEquals(r.get("tr_ms").asDouble() / 1000, o.get("tr").asDouble(), 1e-9);
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
                assertEquals(r.get("affine").get(row).get(col).asDouble(), o.get("affine").get(row).get(col).asDouble(), 1e-5);
            }
        }
        assertEquals(r.get("sum").asDouble(), o.get("sum").asDouble(), 1e-6 * Math.abs(r.get("sum").asDouble()));

        Cli text = Cli.run("info", DIR.resolve("labels_oblique.mgz").toString(), DIR.resolve("labels_oblique.nii.gz").toString());
        assertEquals(0, text.code, text.err);
        assertTrue(text.out.contains("labels_oblique.mgz") && text.out.contains("format:        \"MGH\""), text.out);
        assertTrue(text.out.contains("format:        \"NIfTI-1\""), text.out);
    }

    @Test
    void aTruncatedMgzIsOneLine() throws IOException {
        Path bad = tmp.resolve("cut.mgh");
        byte[] all = java.nio.file.Files.readAllBytes(DIR.resolve("uchar.mgh"));
        java.nio.file.Files.write(bad, java.util.Arrays.copyOf(all, 300));
        for (Cli c : new Cli[] {Cli.run("info", bad.toString()), Cli.run("convert", bad.toString(), tmp.resolve("o.nii").toString())}) {
            assertEquals(2, c.code, c.err);
            assertEquals(1, c.err.strip().lines().count(), c.err);
            assertTrue(c.err.contains("cut.mgh") && c.err.contains("shorter"), c.err);
        }
    }
}
