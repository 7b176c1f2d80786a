package org.ketaprint.nifti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** test-data/nifti/reference.json: what nibabel reports (written by scripts/make_nifti_testdata.py). */
final class NiftiReference {
    static final Path DIR = Path.of("test-data", "nifti");
    private static JsonNode root;

    private NiftiReference() {
    }

    static synchronized JsonNode root() {
        if (root == null) {
            try {
                root = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** (name, record) of every good image. */
    static List<Map.Entry<String, JsonNode>> images() {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        root().get("images").fields().forEachRemaining(out::add);
        return out;
    }

    static JsonNode image(String name) {
        return root().get("images").get(name);
    }

    /** A number, or "nan" / "inf" / "-inf" strings for the non-finite ones. */
    static double num(JsonNode n) {
        if (n == null || n.isNull()) return Double.NaN;
        if (n.isTextual()) {
            return switch (n.asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            };
        }
        return n.asDouble();
    }

    static double[] nums(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) d[i] = num(arr.get(i));
        return d;
    }

    static long[] longs(JsonNode arr) {
        long[] d = new long[arr.size()];
        for (int i = 0; i < d.length; i++) d[i] = arr.get(i).asLong();
        return d;
    }

    /** Flat index (x fastest, as in the file) of an N-d index. */
    static long flat(long[] shape, long[] idx) {
        long f = 0, stride = 1;
        for (int i = 0; i < shape.length; i++) {
            f += idx[i] * stride;
            stride *= shape[i];
        }
        return f;
    }
}
