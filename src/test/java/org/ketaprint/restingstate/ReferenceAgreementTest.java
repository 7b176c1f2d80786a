package org.ketaprint.restingstate;

import org.ketaprint.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.table.Json;

/**
 * The commands against scripts/restingstate_reference.py (numpy lstsq from the definitions): every
 * committed case in test-data/restingstate/reference.json, features and per-voxel maps.
 */
class ReferenceAgreementTest {
    static final Path DIR = Path.of("test-data", "restingstate");

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() throws Exception {
        JsonNode ref = Json.MAPPER.readTree(DIR.resolve("reference.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ref.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(Arguments.of(e.getKey(), e.getValue()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithReference(String name, JsonNode ref) throws Exception {
        List<String> args = new ArrayList<>();
        args.add(ref.get("kind").asText());
        String refPrefix = null;
        for (Iterator<JsonNode> it = ref.get("args").elements(); it.hasNext(); ) {
            String a = it.next().asText();
            if (a.equals("--out-map")) {
                refPrefix = it.next().asText();
                continue;
            }
            args.add(a.replace('/', File.separatorChar));
        }
        String prefix = tmp.resolve("out").toString();
        args.add("--out-map");
        args.add(prefix);
        args.add("--json");
        Cli c = Cli.run(args.toArray(new String[0]));
        assertEquals(0, c.code, c.err);
        JsonNode got = c.json();
        assertEquals(ref.get("n_volumes_used").asInt(), got.get("n_used").asInt());
        assertEquals(ref.get("n_volumes_censored").asInt(), got.get("n_censored").asInt());
        assertEquals(ref.get("tr").asDouble(), got.get("tr").asDouble(), 1e-12);
        if (ref.get("fd_mean_mm").isNull()) {
            assertTrue(got.get("fd_mean").isNull());
        } else {
            assertEquals(ref.get("fd_mean_mm").asDouble(), got.get("fd_mean").asDouble(), 1e-9);
        }
        for (String k : new String[] {"r", "z", "alff", "falff", "gbc_z"}) {
            if (ref.has(k)) {
                double want = ref.get(k).asDouble();
                assertEquals(want, got.get(k).asDouble(), 1e-6 * Math.max(1, Math.abs(want)), name + " " + k);
            }
        }
        if (refPrefix == null) return;
        String base = Path.of(refPrefix).getFileName().toString();
        try (var files = Files.list(DIR)) {
            int maps = 0;
            for (Path refMap : (Iterable<Path>) files.filter(p -> p.getFileName().toString()
                .matches(java.util.regex.Pattern.quote(base) + "_(r|z|alff|falff|gbc)\\.nii\\.gz"))::iterator) {
                String suffix = refMap.getFileName().toString().substring(base.length());
                compareMaps(refMap, Path.of(prefix + suffix), 1e-5);
                maps++;
            }
            assertTrue(maps > 0, "no reference maps for " + name);
        }
    }

    /** Per voxel within tol (relative for values above 1), NaN exactly where the reference has NaN. */
    static void compareMaps(Path ref, Path got, double tol) {
        float[] a = NiftiImage.load(ref).readFloat();
        float[] b = NiftiImage.load(got).readFloat();
        assertEquals(a.length, b.length);
        int compared = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i])) {
                assertTrue(Float.isNaN(b[i]), got + " voxel " + i + " should be NaN, is " + b[i]);
                continue;
            }
            assertEquals(a[i], b[i], tol * Math.max(1, Math.abs(a[i])), got + " voxel " + i);
            if (a[i] != 0) compared++;
        }
        assertTrue(compared > 100, ref + ": only " + compared + " voxels compared");
    }
}
