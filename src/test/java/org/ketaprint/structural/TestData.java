package org.ketaprint.structural;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;

/** test-data/structural and its nibabel/numpy reference.json (scripts/make_structural_testdata.py). */
final class TestData {
    static final Path DIR = Path.of("test-data", "structural");

    private TestData() {
    }

    static Image open(String name) {
        return Images.open(DIR.resolve(name));
    }

    static JsonNode ref(String file) {
        try {
            return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile()).get(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a 3D image and opens it. */
    static Image write(Path file, int[] dims, Affine a, DataType t, double[] data) {
        NiftiWriter.write(file, NiftiWriter.Spec.of(new long[] {dims[0], dims[1], dims[2]}, a, t), data);
        return Images.open(file);
    }

    /** Rotation about x, y, z by the given degrees, times diag(zooms), with a translation. */
    static Affine oblique(double[] zooms, double ax, double ay, double az) {
        double[][] r = matmul(matmul(rot(0, ax), rot(1, ay)), rot(2, az));
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) a[i][j] = r[i][j] * zooms[j];
        }
        a[0][3] = -20;
        a[1][3] = 11.5;
        a[2][3] = 3;
        a[3][3] = 1;
        return new Affine(a);
    }

    private static double[][] rot(int axis, double deg) {
        double t = Math.toRadians(deg);
        double[][] m = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        int i = axis == 0 ? 1 : 0;
        int j = axis == 2 ? 1 : 2;
        m[i][i] = Math.cos(t);
        m[i][j] = -Math.sin(t);
        m[j][i] = Math.sin(t);
        m[j][j] = Math.cos(t);
        return m;
    }

    private static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) c[i][j] += a[i][k] * b[k][j];
            }
        }
        return c;
    }
}
