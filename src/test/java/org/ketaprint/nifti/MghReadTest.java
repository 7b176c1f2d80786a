package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** MGH/MGZ reading against nibabel: values in test-data/structural/reference.json (make_structural_testdata.py). */
class MghReadTest {
    static final Path DIR = Path.of("test-data", "structural");

    static JsonNode ref(String file) throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile()).get(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"test.mgz", "uchar.mgh", "short.mgz", "int.mgz", "float4d.mgz", "badras.mgh",
        "labels_oblique.mgz"})
    void matchesNibabel(String file) throws IOException {
        JsonNode r = ref(file);
        Image img = Images.open(DIR.resolve(file));
        assertInstanceOf(MghImage.class, img);
        MghImage m = (MghImage) img;
        long[] shape = new long[r.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = r.get("shape").get(i).asLong();
        assertArrayEquals(shape, img.shape(), file + " shape");
        assertEquals(r.get("dtype").asText(), img.datatypeName(), file + " dtype");
        for (int row = 0; row < 4; row++) {
            for (int c = 0; c < 4; c++) {
                double want = r.get("affine").get(row).get(c).asDouble();
                assertEquals(want, img.affine().get(row, c), 1e-5, file + " affine[" + row + "][" + c + "]");
            }
        }
        double[] zooms = m.delta();
        for (int i = 0; i < 3; i++) assertEquals(r.get("zooms").get(i).asDouble(), zooms[i], 1e-6, file + " zoom");
        // nibabel reports 1 after substituting its default geometry; the file's flag is what we report
        assertEquals(file.equals("badras.mgh") ? 0 : 1, m.goodRasFlag(), file + " goodRASFlag");
        // data: sum over all frames and sampled voxels (i, j, k[, t], value)
        double sum = 0;
        for (long t = 0; t < img.volumes(); t++) sum += Arrays.stream(img.readVolumeDouble(t)).sum();
        assertEquals(r.get("sum").asDouble(), sum, 1e-6 * Math.max(1, Math.abs(sum)), file + " sum");
        Grid g = img.grid();
        for (JsonNode s : r.get("samples")) {
            int t = s.size() == 5 ? s.get(3).asInt() : 0;
            double v = img.readVolumeDouble(t)[g.index(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt())];
            assertEquals(s.get(s.size() - 1).asDouble(), v, 0.0, file + " voxel " + s);
        }
        if (img.volumes() > 1) {
            assertEquals(r.get("tr_ms").asDouble() / 1000.0, img.repetitionTime(), 1e-9, file + " TR");
        } else {
            assertTrue(Double.isNaN(img.repetitionTime()));
        }
    }

    @Test
    void floatVolumeAgreesWithDouble() {
        Image img = Images.open(DIR.resolve("float4d.mgz"));
        float[] f = img.readVolume(2);
        double[] d = img.readVolumeDouble(2);
        for (int i = 0; i < d.length; i++) assertEquals((float) d[i], f[i]);
        assertTrue(img.floatingPoint());
    }

    @Test
    void mghGzReadsLikeTheMgh(@TempDir Path tmp) throws IOException {
        Path gz = tmp.resolve("u.mgh.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(DIR.resolve("uchar.mgh")));
        }
        Image a = Images.open(DIR.resolve("uchar.mgh"));
        Image b = Images.open(gz);
        assertInstanceOf(MghImage.class, b);
        assertArrayEquals(a.readVolumeDouble(0), b.readVolumeDouble(0));
        assertTrue(a.affine().equalsWithin(b.affine(), 0));
    }

    @Test
    void truncatedFileIsAOneLineError(@TempDir Path tmp) throws IOException {
        byte[] all = Files.readAllBytes(DIR.resolve("uchar.mgh"));
        Path p = tmp.resolve("cut.mgh");
        Files.write(p, Arrays.copyOf(all, 300));
        NiftiException e = assertThrows(NiftiException.class, () -> Images.open(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("shorter"), e.getMessage());
        Path h = tmp.resolve("head.mgh");
        Files.write(h, Arrays.copyOf(all, 50));
        e = assertThrows(NiftiException.class, () -> Images.open(h));
        assertTrue(e.getMessage().contains("too short for an MGH header"), e.getMessage());
    }

    @Test
    void badVersionAndTypeAreNamed(@TempDir Path tmp) throws IOException {
        byte[] all = Files.readAllBytes(DIR.resolve("uchar.mgh"));
        byte[] v = all.clone();
        v[3] = 7;
        Path p = tmp.resolve("v.mgh");
        Files.write(p, v);
        NiftiException e = assertThrows(NiftiException.class, () -> Images.open(p));
        assertTrue(e.getMessage().contains("version 7"), e.getMessage());
        byte[] t = all.clone();
        t[23] = 2;
        Path q = tmp.resolve("t.mgh");
        Files.write(q, t);
        e = assertThrows(NiftiException.class, () -> Images.open(q));
        assertTrue(e.getMessage().contains("unsupported MGH data type 2"), e.getMessage());
        Path gz = tmp.resolve("notgz.mgz");
        Files.write(gz, all);
        // a .mgz that is not gzipped is read as plain MGH
        assertEquals(120, Images.open(gz).grid().size());
    }
}
