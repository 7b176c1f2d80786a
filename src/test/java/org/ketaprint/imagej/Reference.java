package org.ketaprint.imagej;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The nibabel reference values of test-data/imagej (scripts/make_imagej_testdata.py). */
final class Reference {
    static final Path DIR = Path.of("test-data", "imagej");
    private static JsonNode root;

    private Reference() {
    }

    static synchronized JsonNode of(String file) {
        if (root == null) {
            try {
                root = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root.get(file);
    }

    static double[][] affine(JsonNode ref) {
        double[][] a = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) a[r][c] = ref.get("affine").get(r).get(c).asDouble();
        }
        return a;
    }

    /** Data in file order (x fastest); NaN where nibabel had NaN. */
    static double[] data(JsonNode ref) {
        JsonNode d = ref.get("data");
        double[] out = new double[d.size()];
        for (int i = 0; i < out.length; i++) out[i] = d.get(i).isNull() ? Double.NaN : d.get(i).asDouble();
        return out;
    }

    static int[] shape(JsonNode ref) {
        JsonNode s = ref.get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asInt();
        return out;
    }
}
