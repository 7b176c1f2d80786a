package org.ketaprint.diffusion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Image;

/**
 * b-values and gradient directions of a DWI series (FSL/BIDS .bval/.bvec), checked against the image.
 *
 * <p>Directions are taken as given, in the image's voxel axes, as FSL dtifit and DIPY use them: no
 * axis is flipped before the fit. FSL's convention is that for an image with a positive-determinant
 * affine (neurological storage) the x component refers to the flipped x voxel axis; scalar maps (FA,
 * MD, AD, RD, S0) do not depend on that flip, and V1 is written in the same frame as the bvecs (as
 * dtifit and DIPY write it). {@link #fslFlipApplies(Affine)} and {@link #flipX()} convert when needed.
 */
public final class Gradients {
    /** Volumes with b at or below this are b0s (DIPY's default b0_threshold). */
    public static final double B0_THRESHOLD = 50;
    /** Vectors within this of unit length are used as given (DIPY's atol); others are normalised. */
    public static final double UNIT_TOLERANCE = 1e-2;

    private final double[] bvals;
    private final double[][] bvecs;
    private final List<String> warnings;

    private Gradients(double[] bvals, double[][] bvecs, List<String> warnings) {
        this.bvals = bvals;
        this.bvecs = bvecs;
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /** Reads and checks a .bval/.bvec pair for {@code dwi} (null: no volume-count check). */
    public static Gradients read(Path bval, Path bvec, Image dwi) {
        double[][] bv = readNumbers(bval);
        double[] vals = flattenBvals(bv, bval);
        if (dwi != null && vals.length != dwi.volumes()) {
            throw new KetaprintException(bval + ": " + vals.length + " b-values but " + dwi.path().getFileName()
                + " has " + dwi.volumes() + " volumes");
        }
        double[][] vecs = toRows(readNumbers(bvec), bvec);
        if (vecs.length != vals.length) {
            throw new KetaprintException(bvec + ": " + vecs.length + " gradient directions but " + bval.getFileName()
                + " has " + vals.length + " b-values");
        }
        return of(vals, vecs, bvec.toString());
    }

    /** Checks and builds a table from arrays ({@code source} names them in messages). */
    public static Gradients of(double[] bvals, double[][] bvecs, String source) {
        if (bvals.length != bvecs.length) {
            throw new KetaprintException(source + ": " + bvecs.length + " directions for " + bvals.length + " b-values");
        }
        List<String> warn = new ArrayList<>();
        double[] b = bvals.clone();
        double[][] g = new double[b.length][];
        int normalised = 0;
        boolean anyB0 = false;
        for (int i = 0; i < b.length; i++) {
            if (!Double.isFinite(b[i]) || b[i] < 0) {
                throw new KetaprintException(source + ": b-value " + fmt(b[i]) + " of volume " + i + " is not a finite value >= 0");
            }
            double[] v = new double[3];
            for (int c = 0; c < 3; c++) v[c] = Double.isNaN(bvecs[i][c]) ? 0 : bvecs[i][c];
            double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (!Double.isFinite(n)) {
                throw new KetaprintException(source + ": gradient direction of volume " + i + " is not finite");
            }
            boolean unit = Math.abs(n - 1) <= UNIT_TOLERANCE;
            if (b[i] <= B0_THRESHOLD) {
                anyB0 = true;
                if (!unit) {
                    v = new double[3]; // as DIPY: a b0 without a unit direction is a plain b=0 volume
                    b[i] = 0;
                }
            } else if (n == 0) {
                throw new KetaprintException(source + ": volume " + i + " has b=" + fmt(b[i]) + " but a zero gradient direction");
            } else if (!unit) {
                for (int c = 0; c < 3; c++) v[c] /= n;
                normalised++;
            }
            g[i] = v;
        }
        if (!anyB0) {
            throw new KetaprintException(source + ": no b0 volume (no b-value <= " + fmt(B0_THRESHOLD) + ")");
        }
        if (normalised > 0) {
            warn.add(source + ": " + normalised + " gradient direction(s) not of unit length (beyond "
                + UNIT_TOLERANCE + "); normalised");
        }
        return new Gradients(b, g, warn);
    }

    public int count() {
        return bvals.length;
    }

    public double bval(int i) {
        return bvals[i];
    }

    public double[] bvec(int i) {
        return bvecs[i].clone();
    }

    public boolean isB0(int i) {
        return bvals[i] <= B0_THRESHOLD;
    }

    /** Indices of the b0 volumes. */
    public int[] b0Indices() {
        int n = 0;
        for (int i = 0; i < count(); i++) if (isB0(i)) n++;
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < count(); i++) if (isB0(i)) out[n++] = i;
        return out;
    }

    /** Problems found while reading that did not stop it (shown to the user as warnings). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * DIPY's design matrix (n x 7): minus (Bxx, 2Bxy, Byy, 2Bxz, 2Byz, Bzz, 1), b-values as given. The
     * coefficients are (Dxx, Dxy, Dyy, Dxz, Dyz, Dzz, -ln S0).
     */
    public double[][] designMatrix() {
        double[][] x = new double[count()][7];
        for (int i = 0; i < count(); i++) {
            double b = bvals[i];
            double[] g = bvecs[i];
            x[i][0] = -b * g[0] * g[0];
            x[i][1] = -2 * b * g[0] * g[1];
            x[i][2] = -b * g[1] * g[1];
            x[i][3] = -2 * b * g[0] * g[2];
            x[i][4] = -2 * b * g[1] * g[2];
            x[i][5] = -b * g[2] * g[2];
            x[i][6] = -1;
        }
        return x;
    }

    /** DIPY's eigenvalue floor: 1e-6 divided by the largest entry of the (un-negated) B matrix. */
    public double minDiffusivity() {
        double mx = Double.NEGATIVE_INFINITY;
        for (double[] row : designMatrix()) for (double v : row) mx = Math.max(mx, -v);
        return 1e-6 / mx;
    }

    /** The same table with the x component of every direction negated. */
    public Gradients flipX() {
        double[][] g = new double[count()][];
        for (int i = 0; i < count(); i++) g[i] = new double[] {-bvecs[i][0], bvecs[i][1], bvecs[i][2]};
        return new Gradients(bvals.clone(), g, new ArrayList<>(warnings));
    }

    /** True when FSL's bvec convention flips x relative to the voxel axes: positive-determinant affines. */
    public static boolean fslFlipApplies(Affine affine) {
        return affine.det3() > 0;
    }

    private static double[] flattenBvals(double[][] rows, Path f) {
        if (rows.length == 0) throw new KetaprintException(f + ": no b-values");
        boolean oneRow = rows.length == 1;
        boolean oneCol = true;
        for (double[] r : rows) oneCol &= r.length == 1;
        if (!oneRow && !oneCol) {
            throw new KetaprintException(f + ": b-values must be one row (or one column), found " + rows.length + " rows");
        }
        double[] out = new double[oneRow ? rows[0].length : rows.length];
        for (int i = 0; i < out.length; i++) out[i] = oneRow ? rows[0][i] : rows[i][0];
        return out;
    }

    private static double[][] toRows(double[][] m, Path f) {
        if (m.length == 0) throw new KetaprintException(f + ": no gradient directions");
        int cols = m[0].length;
        for (double[] r : m) {
            if (r.length != cols) throw new KetaprintException(f + ": rows of different lengths (" + cols + " and " + r.length + ")");
        }
        if (m.length == 3) {
            double[][] out = new double[cols][3];
            for (int i = 0; i < cols; i++) for (int c = 0; c < 3; c++) out[i][c] = m[c][i];
            return out;
        }
        if (cols == 3) return m;
        throw new KetaprintException(f + ": a bvec file needs 3 rows (or 3 columns), found " + m.length + " rows of "
            + cols + " values");
    }

    private static double[][] readNumbers(Path f) {
        org.ketaprint.InputFiles.requireRegular(f);
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KetaprintException(f + ": cannot read: " + e.getMessage());
        }
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < lines.size(); r++) {
            String line = lines.get(r).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] tok = line.split("[\\s,]+");
            double[] v = new double[tok.length];
            for (int i = 0; i < tok.length; i++) v[i] = parse(tok[i], f, r + 1);
            rows.add(v);
        }
        return rows.toArray(new double[0][]);
    }

    private static double parse(String t, Path f, int line) {
        String s = t.toLowerCase(Locale.ROOT);
        if (s.equals("nan") || s.equals("-nan")) return Double.NaN;
        if (s.equals("inf") || s.equals("+inf")) return Double.POSITIVE_INFINITY;
        if (s.equals("-inf")) return Double.NEGATIVE_INFINITY;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new KetaprintException(f + ": line " + line + ": '" + t + "' is not a number");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
