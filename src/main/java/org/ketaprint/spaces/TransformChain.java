package org.ketaprint.spaces;

import java.util.ArrayList;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;

/**
 * Transforms in ANTs order (as given to antsApplyTransforms -t, and as stored in an ITK composite): the
 * last one is applied first to a reference-space point, the first one last, giving the moving-space point.
 */
public final class TransformChain implements Transform {
    private final List<Transform> transforms;
    private final Affine linear;     // the whole chain when every part is linear, else null

    public TransformChain(List<? extends Transform> transforms) {
        List<Transform> flat = new ArrayList<>();
        for (Transform t : transforms) {
            if (t instanceof TransformChain c) flat.addAll(c.transforms);
            else flat.add(t);
        }
        this.transforms = List.copyOf(flat);
        Affine m = Affine.identity();
        for (Transform t : this.transforms) {
            Affine a = t.linear();
            if (a == null) {
                m = null;
                break;
            }
            m = m.multiply(a);
        }
        this.linear = m;
    }

    public static TransformChain identity() {
        return new TransformChain(List.of());
    }

    public List<Transform> transforms() {
        return transforms;
    }

    public boolean isIdentity() {
        return transforms.isEmpty();
    }

    /** Reference-space point to moving-space point, in place. */
    @Override
    public void map(double[] p) {
        for (int i = transforms.size() - 1; i >= 0; i--) transforms.get(i).map(p);
    }

    @Override
    public Affine linear() {
        return linear;
    }

    /** A copy of {@code refPoint} mapped to the moving space. */
    public double[] toMoving(double[] refPoint) {
        double[] p = refPoint.clone();
        map(p);
        return p;
    }

    /**
     * The reference-space point whose image is {@code movingPoint}: exact for linear chains, else solved
     * by fixed-point iteration with the inverse of the chain's linear parts (to 1e-6 mm).
     */
    public double[] toReference(double[] movingPoint) {
        Affine lin = Affine.identity();
        for (Transform t : transforms) if (t.linear() != null) lin = lin.multiply(t.linear());
        Affine inv = lin.inverse();
        double[] p = inv.apply(movingPoint[0], movingPoint[1], movingPoint[2]);
        if (linear != null) return p;
        double[] q = new double[3];
        for (int it = 0; it < 200; it++) {
            q[0] = p[0];
            q[1] = p[1];
            q[2] = p[2];
            map(q);
            double rx = movingPoint[0] - q[0], ry = movingPoint[1] - q[1], rz = movingPoint[2] - q[2];
            if (Math.sqrt(rx * rx + ry * ry + rz * rz) < 1e-6) return p;
            for (int r = 0; r < 3; r++) p[r] += inv.get(r, 0) * rx + inv.get(r, 1) * ry + inv.get(r, 2) * rz;
        }
        throw new KetaprintException(describe() + ": cannot invert the transform at point ("
            + movingPoint[0] + ", " + movingPoint[1] + ", " + movingPoint[2] + "); the warp may not be invertible there");
    }

    @Override
    public String source() {
        return describe();
    }

    public String describe() {
        if (transforms.isEmpty()) return "identity";
        List<String> s = new ArrayList<>();
        for (Transform t : transforms) s.add(t.source());
        return String.join(" + ", s);
    }

    @Override
    public String toString() {
        return "chain[" + describe() + "]";
    }
}
