package org.ketaprint.roi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.spaces.SpaceAlignment;
import org.ketaprint.spaces.SpaceMismatchException;
import org.ketaprint.spaces.TransformChain;
import org.ketaprint.spaces.TransformReader;

/**
 * The masker: with an identity alignment exactly the voxels of {@code restingstate.Roi}; through a known rigid
 * transform exactly the voxels of the same ROI on a grid built to be that transform's image.
 */
class RoiPlacementTest {
    static final Path RS_ATLAS = Path.of("test-data/restingstate/atlas.nii.gz");
    static final Path DEMO_ATLASES = Path.of("test-data/demo-atlases");

    @TempDir
    Path tmp;

    /** A rotation about x, y, z (degrees), as a 4x4 with translation t. */
    static Affine rigid(double ax, double ay, double az, double tx, double ty, double tz) {
        double a = Math.toRadians(ax), b = Math.toRadians(ay), c = Math.toRadians(az);
        double[][] rx = {{1, 0, 0}, {0, Math.cos(a), -Math.sin(a)}, {0, Math.sin(a), Math.cos(a)}};
        double[][] ry = {{Math.cos(b), 0, Math.sin(b)}, {0, 1, 0}, {-Math.sin(b), 0, Math.cos(b)}};
        double[][] rz = {{Math.cos(c), -Math.sin(c), 0}, {Math.sin(c), Math.cos(c), 0}, {0, 0, 1}};
        double[][] r = mul(rz, mul(ry, rx));
        return new Affine(new double[][] {
            {r[0][0], r[0][1], r[0][2], tx}, {r[1][0], r[1][1], r[1][2], ty}, {r[2][0], r[2][1], r[2][2], tz}, {0, 0, 0, 1}});
    }

    static double[][] mul(double[][] a, double[][] b) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) o[i][j] += a[i][k] * b[k][j];
        return o;
    }

    static Affine scale(double sx, double sy, double sz) {
        return new Affine(new double[][] {{sx, 0, 0, 0}, {0, sy, 0, 0}, {0, 0, sz, 0}, {0, 0, 0, 1}});
    }

    /** An oblique, anisotropic grid around the resting-state ROIs. */
    static Grid oblique() {
        Affine a = rigid(11, -7, 23, -21.3, -14.9, -37.1).multiply(scale(2.5, 3.1, 2.7));
        return new Grid(new int[] {33, 30, 29}, a);
    }

    static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }

    @Test
    void identitySpheresAreTheRestingStateOnes() {
        RoiPlacement p = new RoiPlacement(null);
        Grid integral = new Grid(new int[] {40, 40, 40}, new Affine(new double[][] {
            {2, 0, 0, -30}, {0, 2, 0, -20}, {0, 0, 2, -40}, {0, 0, 0, 1}}));   // voxels exactly on sphere surfaces
        Random rnd = new Random(7);
        for (Grid g : List.of(oblique(), integral)) {
            List<double[]> spheres = new java.util.ArrayList<>(List.of(new double[] {6, 16, -10, 10}, new double[] {38, 44, 26, 10},
                new double[] {0, 0, 0, 25}, new double[] {10, 10, 10, 0.5}));
            for (int i = 0; i < 20; i++) {
                spheres.add(new double[] {rnd.nextGaussian() * 20, rnd.nextGaussian() * 20 + 20, rnd.nextGaussian() * 20,
                    1 + rnd.nextDouble() * 15});
            }
            for (double[] s : spheres) {
                boolean[] want = Roi.sphere(s[0], s[1], s[2], s[3]).voxels(g);
                PlacedRoi got = p.place(RoiSpec.sphere(s[0], s[1], s[2], s[3]), g);
                assertArrayEquals(want, got.mask(), java.util.Arrays.toString(s) + " on " + g);
                assertEquals(count(want), got.size());
                for (double w : got.weights()) assertEquals(1.0, w);
                assertFalse(got.transformed());
            }
        }
        // the Fox sgACC sphere holds voxels on the oblique grid (the comparison is not of two empty sets)
        assertTrue(p.place(RoiSpec.sphere(6, 16, -10, 10), oblique()).size() > 100);
    }

    @Test
    void identityAtlasRoisAreTheRestingStateOnes() {
        RoiPlacement p = new RoiPlacement(new Atlases(List.of(DEMO_ATLASES)));
        // a 3 mm grid on the 2 mm atlas lattice: voxel centres fall on exact half-voxel ties of the atlas
        Affine aa = Images.open(RS_ATLAS).grid().affine;
        Grid ties = new Grid(new int[] {20, 20, 22}, new Affine(new double[][] {
            {3, 0, 0, aa.get(0, 3) + 1}, {0, 3, 0, aa.get(1, 3) + 1}, {0, 0, 3, aa.get(2, 3) + 1}, {0, 0, 0, 1}}));
        for (Grid g : List.of(oblique(), ties)) {
            for (List<String> labels : List.of(List.of("1"), List.of("2"), List.of("1", "2"), List.of("Cingulate_Sub"),
                List.of("Frontal_Right", "2"))) {
                boolean[] want = Roi.atlas(RS_ATLAS, labels).voxels(g);
                PlacedRoi got = p.place(RoiSpec.atlas(RS_ATLAS.toString(), labels), g);
                assertArrayEquals(want, got.mask(), labels + " on " + g);
                assertTrue(got.size() > 0);
            }
            // by atlas name through the atlas folders, labels by name, as the pipeline writes them
            List<String> frontal = List.of("Frontal_Sup_L", "Frontal_Sup_R", "Frontal_Mid_R", "Rectus_L", "Frontal_Med_Orb_R");
            boolean[] want = Roi.atlas(DEMO_ATLASES.resolve("aal.nii.gz"), frontal).voxels(g);
            assertArrayEquals(want, p.place(RoiSpec.atlas("aal", frontal), g).mask());
        }
    }

    @Test
    void maskRoiIsItsNonZeroVoxels() throws Exception {
        Image atlas = Images.open(RS_ATLAS);
        double[] lab = atlas.readVolumeDouble(0);
        double[] m = new double[lab.length];
        for (int i = 0; i < m.length; i++) m[i] = lab[i] == 2 ? 0.7 : 0;     // any non-zero value counts
        Path mask = tmp.resolve("cingulate_mask.nii.gz");
        Grid ag = atlas.grid();
        NiftiWriter.write(mask, NiftiWriter.Spec.of(new long[] {ag.nx, ag.ny, ag.nz}, ag.affine, DataType.FLOAT32), m);
        RoiPlacement p = new RoiPlacement(null);
        RoiSpec spec = RoiSpec.parse("mask:" + mask);
        assertNull(spec.space());
        assertEquals("T1w", p.roiSpace(spec, "T1w"), "a mask without space- entity is in the data's space");
        for (Grid g : List.of(oblique(), ag)) {
            assertArrayEquals(Roi.atlas(RS_ATLAS, List.of("2")).voxels(g), p.place(spec, g).mask());
        }
        Path empty = tmp.resolve("empty.nii.gz");
        NiftiWriter.write(empty, NiftiWriter.Spec.of(new long[] {ag.nx, ag.ny, ag.nz}, ag.affine, DataType.FLOAT32), new double[lab.length]);
        assertThrows(KetaprintException.class, () -> p.place(RoiSpec.mask(empty), ag));
    }

    /** An ITK text transform file (LPS, centre 0) whose RAS point map is {@code m}, as ANTs writes them. */
    static Path itk(Path file, Affine m) throws Exception {
        double[] f = {-1, -1, 1};
        StringBuilder p = new StringBuilder();
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) p.append(' ').append(f[r] * m.get(r, c) * f[c]);
        for (int r = 0; r < 3; r++) p.append(' ').append(f[r] * m.get(r, 3));
        Files.writeString(file, String.join("\n", "#Insight Transform File V1.0", "#Transform 0",
            "Transform: AffineTransform_double_3_3", "Parameters:" + p, "FixedParameters: 0 0 0", ""));
        return file;
    }

    @Test
    void throughARigidTransformTheRoiIsWhereConstructionPutsIt() throws Exception {
        // T1w -> MNI point map, the direction of the from-MNI152NLin2009cAsym_to-T1w_mode-image transform
        Affine toMni = rigid(-8, 5, 12, 4, -7, 10);
        Path xfm = itk(tmp.resolve("sub-01_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"), toMni);
        TransformChain chain = TransformReader.read(xfm);
        SpaceAlignment align = SpaceAlignment.withTransform("MNI152", "T1w", chain, xfm);
        // an MNI grid on the 2 mm AAL lattice, and the T1w grid that the transform maps onto it voxel for voxel:
        // voxel (i, j, k) of the T1w grid sits at toMni^-1(mni(i, j, k)), so its MNI position is mni(i, j, k)
        Grid mni = new Grid(new int[] {36, 36, 36}, new Affine(new double[][] {
            {2, 0, 0, -20}, {0, 2, 0, -10}, {0, 0, 2, -40}, {0, 0, 0, 1}}));
        Grid t1w = new Grid(mni.dims(), toMni.inverse().multiply(mni.affine));
        RoiPlacement p = new RoiPlacement(new Atlases(List.of(DEMO_ATLASES)));
        for (RoiSpec s : List.of(RoiSpec.sphere(6, 16, -10, 10), RoiSpec.sphere(38, 44, 26, 10), RoiSpec.sphere(10, 30, 0, 17.5),
            RoiSpec.atlas("aal", List.of("Frontal_Sup_R", "Frontal_Mid_R", "Frontal_Sup_Medial_L")))) {
            PlacedRoi want = p.place(s, mni);
            PlacedRoi got = p.place(s, t1w, "T1w", align);
            assertTrue(want.size() > 50, s + " has voxels");
            assertArrayEquals(want.voxels(), got.voxels(), s.toString());
            assertTrue(got.transformed());
            assertEquals(xfm, got.transformFile());
            assertEquals("MNI152", got.roiSpace());
            // the same sphere without the transform is elsewhere on the T1w grid
            if (s.kind() == RoiSpec.Kind.SPHERE) {
                assertFalse(java.util.Arrays.equals(want.voxels(), p.place(s, t1w).voxels()), s + " moves with the transform");
            }
        }
        // the QC image: the ROI on the T1w grid, 1 inside
        Path qc = tmp.resolve("qc.nii.gz");
        PlacedRoi sg = p.place(RoiSpec.sphere(6, 16, -10, 10), t1w, "T1w", align);
        Path like = tmp.resolve("like.nii.gz");
        NiftiWriter.write(like, NiftiWriter.Spec.of(new long[] {t1w.nx, t1w.ny, t1w.nz}, t1w.affine, DataType.UINT8), new double[t1w.size()]);
        sg.writeLabels(qc, Images.open(like));
        double[] back = Images.open(qc).readVolumeDouble(0);
        assertArrayEquals(sg.labelImage(), back);
        assertEquals(sg.size(), java.util.Arrays.stream(back).filter(v -> v == 1).count());
    }

    @Test
    void spacesResolveEarlyAndNameBothSpaces() throws Exception {
        Path bids = tmp.resolve("bids");
        Files.createDirectories(bids.resolve("sub-01/anat"));
        Files.createDirectories(bids.resolve("sub-02/anat"));
        itk(bids.resolve("sub-01/anat/sub-01_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"), rigid(0, 0, 5, 1, 2, 3));
        BidsLayout layout = BidsLayout.index(bids, List.of());
        RoiPlacement p = new RoiPlacement(new Atlases(List.of(DEMO_ATLASES)));
        RoiSpec sphere = RoiSpec.sphere(6, 16, -10, 10);
        SpaceAlignment a = p.align(sphere, layout, "01", null, "T1w");
        assertTrue(a.file().getFileName().toString().startsWith("sub-01_from-MNI152NLin2009cAsym_to-T1w"), "generic MNI finds the 2009c transform");
        assertEquals("MNI152", p.roiSpace(RoiSpec.atlas("aal", List.of("1")), "T1w"), "the atlas's declared space");
        SpaceMismatchException e = assertThrows(SpaceMismatchException.class, () -> p.align(sphere, layout, "02", null, "T1w"));
        assertTrue(e.getMessage().contains("T1w") && e.getMessage().contains("MNI152") && e.getMessage().contains("sub-02"), e.getMessage());
        e = assertThrows(SpaceMismatchException.class, () -> RoiPlacement.align(layout, "02", null, "MNI152", null));
        assertTrue(e.getMessage().contains("native") && e.getMessage().contains("MNI152"), e.getMessage());
        // MNI variants: identity with a note, as the resting-state stage always took them
        SpaceAlignment v = RoiPlacement.align(layout, "02", null, "MNI152", "MNI152NLin2009cAsym");
        assertTrue(v.isIdentity() && v.note() != null);
        SpaceAlignment w = RoiPlacement.align(layout, "02", null, "MNI152NLin6Asym", "MNI152NLin2009cSym");
        assertTrue(w.isIdentity() && w.note().contains("MNI152"));
        assertTrue(RoiPlacement.align(layout, "02", null, "T1w", "T1w").note() == null);
        // an alignment for other spaces is a programming error
        assertThrows(IllegalArgumentException.class, () -> p.place(sphere, oblique(), "MNI152NLin2009cAsym", a));
    }
}
