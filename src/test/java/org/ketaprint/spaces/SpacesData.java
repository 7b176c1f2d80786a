package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;

/** test-data/spaces and its numpy/scipy reference.json (scripts/make_spaces_testdata.py). */
final class SpacesData {
    static final Path DIR = Path.of("test-data", "spaces");

    private SpacesData() {
    }

    static Path file(String name) {
        return DIR.resolve(name);
    }

    static Image open(String name) {
        return Images.open(DIR.resolve(name));
    }

    static JsonNode ref() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Affine affine(JsonNode rows) {
        double[][] a = new double[4][4];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) a[r][c] = rows.get(r).get(c).asDouble();
        return new Affine(a);
    }

    static double[] point(JsonNode p) {
        return new double[] {p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble()};
    }

    /** Labels equal voxel by voxel, skipping the reference's near-ties (-1). Returns the compared count. */
    static int assertLabelsEqual(double[] want, double[] got) {
        assertEquals(want.length, got.length);
        int n = 0, bad = 0, first = -1;
        for (int i = 0; i < want.length; i++) {
            if (want[i] < 0) continue;
            n++;
            if (want[i] != got[i]) {
                bad++;
                if (first < 0) first = i;
            }
        }
        assertEquals(0, bad, bad + " of " + n + " voxels differ, first at " + first
            + (first >= 0 ? " (want " + want[first] + ", got " + got[first] + ")" : ""));
        return n;
    }

    /** Max |a - b|. */
    static double maxDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
