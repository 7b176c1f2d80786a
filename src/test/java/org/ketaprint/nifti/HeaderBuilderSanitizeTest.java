package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * NiftiHeader.Builder.build checks every used dim, fixes pixdim[1..3] (0 -> 1, negative -> absolute) and qfac
 * (anything but +-1 -> 1), and resets transform codes outside 0..5 (NIFTI_XFORM_*) to 0, like nibabel. Issue 15.
 */
class HeaderBuilderSanitizeTest {

    private static NiftiHeader.Builder b3() {
        NiftiHeader.Builder b = NiftiHeader.builder();
        b.dim = new long[] {3, 2, 3, 4, 1, 1, 1, 1};
        b.pixdim = new double[] {1, 1, 1, 1, 1, 1, 1, 1};
        return b;
    }

    @Test
    void theLastUsedDimIsChecked() {
        for (int d = 1; d <= 3; d++) {
            NiftiHeader.Builder b = b3();
            b.dim[d] = 0;
            assertThrows(NiftiException.class, () -> b.build("t"), "dim[" + d + "] = 0");
        }
        NiftiHeader.Builder b = b3();
        b.dim[0] = 4;
        b.dim[4] = 0;
        assertThrows(NiftiException.class, () -> b.build("t"), "dim[4] = 0 with dim[0] = 4");
    }

    @Test
    void everySpatialPixdimIsFixed() {
        for (int d = 1; d <= 3; d++) {
            NiftiHeader.Builder b = b3();
            b.pixdim[d] = 0;
            assertEquals(1, b.build("t").pixdim(d), 0.0, "pixdim[" + d + "] = 0");
            NiftiHeader.Builder c = b3();
            c.pixdim[d] = -2.5;
            assertEquals(2.5, c.build("t").pixdim(d), 0.0, "pixdim[" + d + "] = -2.5");
            NiftiHeader.Builder e = b3();
            e.pixdim[d] = Double.NaN;
            assertThrows(NiftiException.class, () -> e.build("t"), "pixdim[" + d + "] = NaN");
        }
    }

    @Test
    void qfacIsKeptOnlyWhenPlusOrMinusOne() {
        double[][] inOut = {{1, 1}, {-1, -1}, {0, 1}, {0.5, 1}, {-2, 1}};
        for (double[] io : inOut) {
            NiftiHeader.Builder b = b3();
            b.pixdim[0] = io[0];
            assertEquals(io[1], b.build("t").pixdim(0), 0.0, "pixdim[0] = " + io[0]);
        }
    }

    @Test
    void transformCodesZeroToFiveAreKeptOthersReset() {
        for (int code = -1; code <= 6; code++) {
            int expect = code >= 0 && code <= 5 ? code : 0;
            NiftiHeader.Builder b = b3();
            b.qformCode = code;
            b.sformCode = code;
            NiftiHeader h = b.build("t");
            assertEquals(expect, h.qformCode, "qform_code " + code);
            assertEquals(expect, h.sformCode, "sform_code " + code);
        }
    }
}
