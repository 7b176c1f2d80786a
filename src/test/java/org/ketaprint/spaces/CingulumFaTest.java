package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Image;

/**
 * Issue 9's "done when": a native-space DWI FA map (oblique 2.5 x 2.5 x 3 mm grid) gets cingulum FA
 * through a given MNI-to-native transform equal to the MNI-space values. The FA field is analytic in MNI
 * space (scripts/make_spaces_testdata.py): piecewise linear inside label boxes whose edges lie on MNI
 * voxel boundaries, so the native voxels labelled L are exactly those whose MNI point is in box L; the
 * native FA map was sampled from the field through the known transform (and a known warp for the .h5).
 */
class CingulumFaTest {
    static final int[] LABELS = {35, 36, 5};
    final JsonNode ref = SpacesData.ref().get("done");
    final Image atlas = SpacesData.open("done/mni_atlas.nii.gz");

    @TempDir
    Path tmp;

    /** Mean of {@code fa} per label of {@code labels}; NaN when empty. */
    static double[] means(double[] labels, double[] fa, int[] counts) {
        double[] m = new double[LABELS.length];
        for (int l = 0; l < LABELS.length; l++) {
            double s = 0;
            int n = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == LABELS[l]) {
                    s += fa[i];
                    n++;
                }
            }
            m[l] = n == 0 ? Double.NaN : s / n;
            if (counts != null) counts[l] = n;
        }
        return m;
    }

    double[] nativeMeans(SpaceAlignment a, String faFile, int[] counts) {
        Image fa = SpacesData.open("done/" + faFile);
        return means(a.labelsOnto(atlas, fa.grid()), fa.readVolumeDouble(0), counts);
    }

    @ParameterizedTest
    @CsvSource({"mni2native.txt, native_fa_affine.nii.gz", "mni2native.mat, native_fa_affine.nii.gz",
        "mni2native.h5, native_fa_warp.nii.gz"})
    void cingulumFaInNativeSpaceEqualsMniSpace(String xfm, String faFile) {
        Path f = SpacesData.file("done/" + xfm);
        SpaceAlignment a = SpaceAlignment.withTransform("MNI152NLin2009cAsym", "native", TransformReader.read(f), f);
        int[] counts = new int[LABELS.length];
        double[] got = nativeMeans(a, faFile, counts);
        for (int l = 0; l < LABELS.length; l++) {
            String key = String.valueOf(LABELS[l]);
            double want = ref.get("mni_mean").get(key).asDouble();
            assertTrue(counts[l] > 50, "label " + key + " has " + counts[l] + " native voxels");
            // a linear FA gradient sampled on two different grids: means agree to ~1e-3
            assertEquals(want, got[l], 3e-3, xfm + " label " + key);
            if (!xfm.endsWith(".h5")) {
                assertEquals(ref.get("native_count_affine").get(key).asInt(), counts[l], "native voxels of label " + key);
            }
        }
    }

    @Test
    void qcImageOfTheAtlasOnTheDwiGrid() {
        Path f = SpacesData.file("done/mni2native.txt");
        SpaceAlignment a = SpaceAlignment.withTransform("MNI152NLin2009cAsym", "native", TransformReader.read(f), f);
        Image fa = SpacesData.open("done/native_fa_affine.nii.gz");
        double[] labels = a.labelsOnto(atlas, fa.grid());
        Path qc = tmp.resolve("sub-01_space-native_atlas-test_dseg.nii.gz");
        SpaceAlignment.writeLabels(qc, fa, labels);
        Image back = org.ketaprint.nifti.Images.open(qc);
        assertTrue(back.grid().sameAs(fa.grid(), 1e-5));
        assertEquals(0, SpacesData.maxDiff(labels, back.readVolumeDouble(0)));
        int n = 0;
        for (double v : labels) if (v == 35) n++;
        assertEquals(ref.get("native_count_affine").get("35").asInt(), n);
    }

    @Test
    void withoutTheTransformTheValuesAreWrong() {
        // negative control: pretending the native data were in MNI space (identity) must fail the tolerance
        SpaceAlignment none = new SpaceAlignment("MNI152NLin2009cAsym", "MNI152NLin2009cAsym", TransformChain.identity(), null, null);
        double[] got = nativeMeans(none, "native_fa_affine.nii.gz", null);
        double worst = 0;
        for (int l = 0; l < LABELS.length; l++) {
            worst = Math.max(worst, Math.abs(got[l] - ref.get("mni_mean").get(String.valueOf(LABELS[l])).asDouble()));
        }
        assertTrue(worst > 0.03, "identity gives max error " + worst);
    }

    @Test
    void mniSphereCentreToNative() {
        Affine r = SpacesData.affine(ref.get("native_to_mni_ras"));
        double[] mni = {-8, -10, 15};   // inside the left cingulum box
        for (String xfm : new String[] {"mni2native.txt", "mni2native.h5"}) {
            Path f = SpacesData.file("done/" + xfm);
            SpaceAlignment a = SpaceAlignment.withTransform("MNI152NLin2009cAsym", "native", TransformReader.read(f), f);
            double[] nat = a.pointToData(mni);
            double[] back = a.chain().toMoving(nat);
            for (int k = 0; k < 3; k++) assertEquals(mni[k], back[k], 1e-5, xfm);
            if (xfm.endsWith(".txt")) {
                double[] viaTruth = r.apply(nat[0], nat[1], nat[2]);
                for (int k = 0; k < 3; k++) assertEquals(mni[k], viaTruth[k], 1e-9);
            }
        }
    }

    BidsLayout layout() throws Exception {
        Path anat = tmp.resolve("derivatives/fmriprep/sub-01/anat");
        Files.createDirectories(anat);
        Files.writeString(tmp.resolve("dataset_description.json"), "{\"Name\":\"t\",\"BIDSVersion\":\"1.8.0\"}");
        Files.createDirectories(tmp.resolve("sub-01/dwi"));
        Files.copy(SpacesData.file("done/mni2native.h5"), anat.resolve("sub-01_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.h5"));
        Files.copy(SpacesData.file("done/mni2native.txt"), anat.resolve("sub-01_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"));
        Files.writeString(anat.resolve("sub-01_from-T1w_to-MNI152NLin2009cAsym_mode-image_xfm.txt"), "not used");
        return BidsLayout.index(tmp, java.util.List.of());
    }

    @Test
    void pipelinePicksTheTransformByFromTo() throws Exception {
        BidsLayout l = layout();
        SpaceAlignment a = SpaceAlignment.resolve(l, "01", null, "MNI152NLin2009cAsym", "T1w");
        assertTrue(a.file().getFileName().toString().endsWith("_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.h5"), "h5 preferred");
        assertNull(a.note());
        double[] got = nativeMeans(a, "native_fa_warp.nii.gz", null);
        assertEquals(ref.get("mni_mean").get("35").asDouble(), got[0], 3e-3);
        // a generic MNI152 atlas also takes the MNI152NLin2009cAsym transform
        assertEquals(a.file(), SpaceAlignment.resolve(l, "01", null, "MNI152", "T1w").file());
        // a session-less transform serves any session
        assertEquals(a.file(), TransformFinder.find(l, "01", "pre", "MNI152NLin2009cAsym", "T1w").orElseThrow());
    }

    @Test
    void mismatchedSpacesWithoutTransformFail() throws Exception {
        BidsLayout l = layout();
        SpaceMismatchException e = assertThrows(SpaceMismatchException.class,
            () -> SpaceAlignment.resolve(l, "01", null, "MNI152NLin6Asym", "T1w"));
        assertTrue(e.getMessage().contains("sub-01") && e.getMessage().contains("space T1w")
            && e.getMessage().contains("space MNI152NLin6Asym")
            && e.getMessage().contains("sub-01_from-MNI152NLin6Asym_to-T1w_mode-image_xfm"), e.getMessage());
        assertThrows(SpaceMismatchException.class, () -> SpaceAlignment.resolve(l, "01", null, "MNI152NLin2009cAsym", "native"));
        assertThrows(SpaceMismatchException.class, () -> SpaceAlignment.resolve(null, "01", "pre", "MNI152", "T1w"));
    }

    @Test
    void mniVariantsAndSameSpace() throws Exception {
        BidsLayout l = layout();
        SpaceAlignment a = SpaceAlignment.resolve(l, "01", null, "MNI152", "MNI152NLin6Asym");
        assertTrue(a.isIdentity());
        assertTrue(a.note().contains("MNI152NLin6Asym"), a.note());
        assertTrue(SpaceAlignment.resolve(l, "01", null, "MNI152", "MNI152NLin2009cAsym").isIdentity());
        SpaceAlignment same = SpaceAlignment.resolve(l, "01", null, "T1w", "t1w");
        assertTrue(same.isIdentity());
        assertNull(same.note());
        // two specific MNI variants are different spaces
        assertThrows(SpaceMismatchException.class, () -> SpaceAlignment.resolve(l, "01", null, "MNI152NLin6Asym", "MNI152NLin2009cAsym"));
    }
}
