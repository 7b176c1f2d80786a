package org.ketaprint.spaces;

import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;

/**
 * FSL FLIRT 4x4 matrices. FLIRT maps the moving (input) image's scaled-voxel coordinates to the
 * reference's: voxel index times voxel size, with x mirrored (i -> nx - 1 - i) when the image's affine
 * has a positive determinant (neurological storage). The RAS point map reference -> moving is
 * {@code A_mov V_mov^-1 M^-1 V_ref A_ref^-1}.
 */
public final class FlirtMatrix {
    private FlirtMatrix() {
    }

    /** Parses the 16 numbers of a FLIRT .mat; null when the text is not one. */
    static double[][] parse(String text) {
        String[] t = text.strip().split("\\s+");
        if (t.length != 16) return null;
        double[][] m = new double[4][4];
        try {
            for (int i = 0; i < 16; i++) m[i / 4][i % 4] = Double.parseDouble(t[i]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (m[3][0] != 0 || m[3][1] != 0 || m[3][2] != 0 || m[3][3] != 1) return null;
        return m;
    }

    /** FSL's voxel -> scaled-voxel matrix of a grid. */
    public static Affine scaledVoxel(Grid g) {
        double[] z = g.affine.voxelSizes();
        double[][] a = {{z[0], 0, 0, 0}, {0, z[1], 0, 0}, {0, 0, z[2], 0}, {0, 0, 0, 1}};
        if (g.affine.det3() > 0) {
            a[0][0] = -z[0];
            a[0][3] = (g.nx - 1) * z[0];
        }
        return new Affine(a);
    }

    /** The RAS point map reference -> moving of FLIRT matrix {@code m} (moving -> reference, FSL coords). */
    public static AffineTransform toTransform(double[][] m, Grid reference, Grid moving, String source) {
        Affine flirt = new Affine(m);
        double det = flirt.det3();
        if (!(Math.abs(det) > 1e-12) || !Double.isFinite(det)) {
            throw new TransformException(source, "FLIRT matrix is singular (determinant " + det + ")");
        }
        Affine r = moving.affine.multiply(scaledVoxel(moving).inverse()).multiply(flirt.inverse())
            .multiply(scaledVoxel(reference)).multiply(reference.affine.inverse());
        return new AffineTransform(r, source);
    }
}
