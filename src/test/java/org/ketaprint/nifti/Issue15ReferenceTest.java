package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Scaling and qform cases no other test covered (issue 15), against what nibabel 5.0 reads for the files in
 * test-data/nifti/issue15 (written by scripts/make_nifti_issue15_reference.py).
 */
class Issue15ReferenceTest {
    private static final Path DIR = Path.of("test-data", "nifti", "issue15");
    private static JsonNode root;

    private static synchronized JsonNode ref(String name) throws IOException {
        if (root == null) root = new ObjectMapper().readTree(DIR.resolve("issue15.json").toFile());
        return root.get("images").get(name);
    }

    private static NiftiImage load(JsonNode ref) {
        return NiftiImage.load(DIR.resolve(ref.get("file").asText()));
    }

    private static void assertAffine(JsonNode want, Affine got, double tol, String what) {
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(NiftiReference.nums(want.get(r)), got.toArray()[r], tol, what + " row " + r + "\n" + got);
        }
    }

    private static void assertData(JsonNode ref, NiftiImage img) {
        double[] want = NiftiReference.nums(ref.get("data"));
        double[] got = img.readDouble();
        assertArrayEquals(want, got, 1e-9, "readDouble");
        float[] gotF = img.readFloat();
        for (int i = 0; i < want.length; i++) assertEquals((float) want[i], gotF[i], Math.ulp((float) want[i]), "readFloat " + i);
    }

    @Test
    void slopeOneWithInterceptSevenAddsTheIntercept() throws IOException {
        JsonNode ref = ref("slope1_inter7");
        NiftiImage img = load(ref);
        assertEquals(1.0, img.header().sclSlope);
        assertEquals(7.0, img.header().sclInter);
        assertArrayEquals(new double[] {1, 7}, img.header().scaling(), 0.0, "scaling {slope, inter}");
        assertData(ref, img);
        // by construction: stored value -20 + 3 * i, read back + 7
        assertEquals(-13.0, img.readDouble()[0]);
    }

    @Test
    void spm2AnalyzeFunusedSlopeAndNegativeIntercept() throws IOException {
        JsonNode ref = ref("analyze_funused_inter");
        NiftiImage img = load(ref);
        assertEquals(0, img.header().version);
        assertArrayEquals(NiftiReference.nums(ref.get("slope_inter")), img.header().scaling(), 1e-12, "{slope, inter}");
        assertData(ref, img);
        assertAffine(ref.get("affine"), img.affine(), 1e-9, "affine (SPM origin 2,3,1, zooms 2,2.5,3)");
    }

    @Test
    void spm2AnalyzeGlminCalminScaling() throws IOException {
        JsonNode ref = ref("analyze_glmin_calmin");
        NiftiImage img = load(ref);
        assertEquals(0, img.header().version);
        // slope (15 - -5) / (1100 - 100) = 0.02; intercept cal_min - slope * glmin = -5 - 2 = -7
        assertArrayEquals(new double[] {0.02, -7}, img.header().scaling(), 1e-12, "{slope, inter}");
        assertArrayEquals(NiftiReference.nums(ref.get("slope_inter")), img.header().scaling(), 1e-12, "nibabel {slope, inter}");
        assertData(ref, img);
        assertAffine(ref.get("affine"), img.affine(), 1e-9, "affine");
    }

    private void checkQform(String name) throws IOException {
        JsonNode ref = ref(name);
        NiftiImage img = load(ref);
        assertEquals(0, img.header().sformCode, "sform code");
        assertEquals(1, img.header().qformCode, "qform code");
        assertAffine(ref.get("qform"), img.header().qform(), 1e-6, "qform vs nibabel get_qform");
        assertAffine(ref.get("affine"), img.affine(), 1e-6, "affine vs nibabel");
        // and the affine the file was made from (float32 quaternion: 1e-6 of the entries' size)
        assertAffine(ref.get("constructed"), img.affine(), 1e-5, "affine vs constructed rotation");
    }

    @Test
    void qformRotatedThirtyDegreesAboutX() throws IOException {
        checkQform("qform_rot_x30");
    }

    @Test
    void qformRotatedMinusFortyDegreesAboutY() throws IOException {
        checkQform("qform_rot_y_minus40");
    }

    @Test
    void qformRotatedAboutXWithNegativeQfac() throws IOException {
        checkQform("qform_rot_x30_qfac_neg");
    }
}
