package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * Small rules of the transform classes (issue 15): affine checks and names, chain names and inversion, ITK text
 * and ANTs .mat type checks. Files are written in the test from the formats' definitions.
 */
class TransformBasicsTest {
    static final Path F = Path.of("t.txt");

    static Affine diag(double a, double b, double c) {
        return new Affine(new double[][] {{a, 0, 0, 0}, {0, b, 0, 0}, {0, 0, c, 0}, {0, 0, 0, 1}});
    }

    @Test
    void affineDeterminantMustExceed1e12() {
        // det = 1e-12 exactly (a diagonal matrix): singular by the rule |det| > 1e-12
        assertThrows(TransformException.class, () -> new AffineTransform(diag(1e-12, 1, 1), "a"));
        new AffineTransform(diag(2e-12, 1, 1), "a");
        double[][] nanShift = diag(1, 1, 1).toArray();
        for (int r = 0; r < 3; r++) {
            double[][] m = diag(1, 1, 1).toArray();
            m[r][3] = Double.NaN;
            assertThrows(TransformException.class, () -> new AffineTransform(new Affine(m), "a"));
        }
        // only the 3 x 4 part is a point map: the bottom row is not read
        nanShift[3][3] = Double.NaN;
        AffineTransform t = new AffineTransform(new Affine(nanShift), "a");
        double[] p = {1, 2, 3};
        t.map(p);
        assertArrayEquals(new double[] {1, 2, 3}, p, 0);
    }

    @Test
    void affineInverseAndNames() {
        AffineTransform t = new AffineTransform(new Affine(new double[][] {{2, 0, 0, 1}, {0, 4, 0, -2}, {0, 0, 0.5, 3}, {0, 0, 0, 1}}), "A");
        assertEquals("A", t.source());
        assertEquals("affine A", t.toString());
        AffineTransform inv = t.inverse();
        assertEquals("A (inverted)", inv.source());
        double[] p = {3, 2, 3.5};   // = t(1, 1, 1)
        inv.map(p);
        assertArrayEquals(new double[] {1, 1, 1}, p, 1e-12);
    }

    static DisplacementField constantField(float dx, float dy, float dz) {
        // 2 x 2 x 2 voxels of 100 mm centred on the origin: covers [-100, 100] mm on each axis
        Grid g = new Grid(new int[] {2, 2, 2}, new Affine(new double[][] {{100, 0, 0, -50}, {0, 100, 0, -50}, {0, 0, 100, -50}, {0, 0, 0, 1}}));
        float[] v = new float[24];
        for (int i = 0; i < 8; i++) {
            v[3 * i] = dx;
            v[3 * i + 1] = dy;
            v[3 * i + 2] = dz;
        }
        return new DisplacementField(g, v, "D");
    }

    @Test
    void chainNames() {
        assertEquals("identity", TransformChain.identity().describe());
        assertEquals("identity", TransformChain.identity().source());
        TransformChain c = new TransformChain(List.of(new AffineTransform(diag(1, 2, 3), "A"), constantField(1, 2, 3)));
        assertEquals("A + D", c.describe());
        assertEquals("A + D", c.source());
        assertEquals("chain[A + D]", c.toString());
    }

    /**
     * Chain [R, D] maps p to R(p + d): R a quarter turn about z (so its inverse has off-diagonal terms), d a constant
     * shift. The reference point of m is R^-1 m - d, which the fixed-point iteration must find.
     */
    @Test
    void chainInvertsAQuarterTurnAfterAShift() {
        Affine r = new Affine(new double[][] {{0, -1, 0, 5}, {1, 0, 0, -3}, {0, 0, 1, 2}, {0, 0, 0, 1}});
        TransformChain c = new TransformChain(List.of(new AffineTransform(r, "R"), constantField(1.5f, -2f, 3f)));
        for (double[] x : new double[][] {{0, 0, 0}, {10, -20, 30}, {-7, 4, -1}}) {
            double[] m = c.toMoving(x);
            // by hand: R(x + d), d = (1.5, -2, 3): (-(y - 2) + 5, (x + 1.5) - 3, z + 3 + 2)
            assertArrayEquals(new double[] {-(x[1] - 2) + 5, x[0] + 1.5 - 3, x[2] + 5}, m, 1e-9);
            assertArrayEquals(x, c.toReference(m), 1e-6);
        }
    }

    /**
     * The convergence test is on the length of the residual, all three components squared and summed: shifts whose
     * first residual r = -R d has rx^2 + rz^2 = ry^2 or rx^2 + ry^2 = rz^2 (R d = (3, 5, 4) or (3, 4, 5)) must not
     * look converged.
     */
    @Test
    void chainConvergenceUsesTheWholeResidual() {
        Affine r = new Affine(new double[][] {{0, -1, 0, 0}, {1, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        // R d = (-dy, dx, dz)
        for (float[] d : new float[][] {{5, -3, 4}, {4, -3, 5}}) {
            TransformChain c = new TransformChain(List.of(new AffineTransform(r, "R"), constantField(d[0], d[1], d[2])));
            double[] x = {1, 2, 3};
            assertArrayEquals(x, c.toReference(c.toMoving(x)), 1e-6);
            assertEquals(false, c.isIdentity());
        }
        assertEquals(true, TransformChain.identity().isIdentity());
    }

    @Test
    void flirtDeterminantMustExceed1e12() {
        Grid g = new Grid(new int[] {2, 2, 2}, Affine.identity());
        double[][] m = {{1e-12, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        assertThrows(TransformException.class, () -> FlirtMatrix.toTransform(m, g, g, "f"));
        m[0][0] = 2e-12;
        FlirtMatrix.toTransform(m, g, g, "f");
    }

    /** The iteration gives up after 200 steps: a transform that would only match on the 201st evaluation is not inverted. */
    @Test
    void chainInversionStopsAfter200Steps() {
        int[] calls = {0};
        Transform creeping = new Transform() {
            @Override
            public void map(double[] p) {
                // calls 1..200 move x by +calls (never the answer); the 201st moves it by +200, which would be
                calls[0]++;
                p[0] += Math.min(calls[0], 200);
            }

            @Override
            public String source() {
                return "creep";
            }
        };
        TransformChain c = new TransformChain(List.of(creeping));
        KetaprintException e = assertThrows(KetaprintException.class, () -> c.toReference(new double[] {0, 0, 0}));
        assertTrue(e.getMessage().contains("creep: cannot invert"), e.getMessage());
        assertEquals(200, calls[0]);
    }

    static String itk(String... transforms) {
        StringBuilder s = new StringBuilder("#Insight Transform File V1.0\n");
        for (int i = 0; i < transforms.length; i++) {
            s.append("#Transform ").append(i).append('\n').append(transforms[i]);
        }
        return s.toString();
    }

    static String affine(String type, String params) {
        return "Transform: " + type + "\nParameters: " + params + "\nFixedParameters: 0 0 0\n";
    }

    @Test
    void itkTextSourcesNumberTheTransforms() {
        String one = affine("AffineTransform_double_3_3", "1 0 0 0 1 0 0 0 1 1 2 3");
        String two = affine("MatrixOffsetTransformBase_double_3_3", "2 0 0 0 2 0 0 0 2 0 0 0");
        // blank lines (even before the header) are skipped
        List<Transform> ts = ItkTransforms.readText("\n\n" + itk(one, two, one).replace("\n#Transform 1", "\n\n#Transform 1"), F);
        assertEquals(List.of("t.txt", "t.txt#1", "t.txt#2"), ts.stream().map(Transform::source).toList());
        // ITK LPS translation (1, 2, 3) is RAS (-1, -2, 3)
        double[] p = {0, 0, 0};
        ts.get(0).map(p);
        assertArrayEquals(new double[] {-1, -2, 3}, p, 0);
    }

    @Test
    void itkTextEmptyParameters() {
        TransformException e = assertThrows(TransformException.class,
            () -> ItkTransforms.readText(itk("Transform: AffineTransform_double_3_3\nParameters:\nFixedParameters: 0 0 0\n"), F));
        assertTrue(e.getMessage().contains("12 parameters, found 0"), e.getMessage());
    }

    @Test
    void itkTextTypes() {
        for (String type : List.of("AffineTransform_double_2_2", "Euler3DTransform_double_4_4", "AffineTransform_float_2_3")) {
            TransformException e = assertThrows(TransformException.class,
                () -> ItkTransforms.readText(itk(affine(type, "1 0 0 0 1 0 0 0 1 0 0 0")), F), type);
            assertTrue(e.getMessage().contains("is not 3D"), type + ": " + e.getMessage());
        }
        for (String type : List.of("BSplineTransform_double_3_3", "ScaleTransform")) {
            TransformException e = assertThrows(TransformException.class,
                () -> ItkTransforms.readText(itk(affine(type, "1 0 0 0 1 0 0 0 1 0 0 0")), F), type);
            assertTrue(e.getMessage().contains("unsupported transform type " + type), type + ": " + e.getMessage());
        }
    }

    static byte[] antsMat(String varName) {
        // MATLAB v4, little endian doubles: the 12 parameters (12 x 1), then "fixed" (3 x 1)
        ByteBuffer b = ByteBuffer.allocate(2 * 20 + varName.length() + 1 + 6 + 15 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(12).putInt(1).putInt(0).putInt(varName.length() + 1).put((varName + "\0").getBytes(StandardCharsets.US_ASCII));
        for (double v : new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 4, 5, 6}) b.putDouble(v);
        b.putInt(0).putInt(3).putInt(1).putInt(0).putInt(6).put("fixed\0".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) b.putDouble(0);
        return b.array();
    }

    @Test
    void antsMatTypes() {
        AffineTransform t = ItkTransforms.readMat(antsMat("AffineTransform_double_3_3"), Path.of("a.mat"));
        double[] p = {0, 0, 0};
        t.map(p);
        assertArrayEquals(new double[] {-4, -5, 6}, p, 0);
        TransformException e = assertThrows(TransformException.class,
            () -> ItkTransforms.readMat(antsMat("AffineTransform_double_2_2"), Path.of("a.mat")));
        assertTrue(e.getMessage().contains("is not 3D"), e.getMessage());
        e = assertThrows(TransformException.class,
            () -> ItkTransforms.readMat(antsMat("SomethingElse_double_3_3"), Path.of("a.mat")));
        assertTrue(e.getMessage().contains("unsupported transform type SomethingElse_double_3_3"), e.getMessage());
    }
}
