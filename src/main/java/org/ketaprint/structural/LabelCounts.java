package org.ketaprint.structural;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/** Voxel counts of every label in an integer label image, optionally inside a mask. */
public final class LabelCounts {
    private final Map<Integer, Long> counts;
    private final double voxelVolume;

    private LabelCounts(Map<Integer, Long> counts, double voxelVolume) {
        this.counts = Collections.unmodifiableMap(counts);
        this.voxelVolume = voxelVolume;
    }

    /** Counts every label of a 3D label image. */
    public static LabelCounts of(Image seg) {
        return of(seg, null);
    }

    /**
     * Counts every label of a 3D label image, only where {@code mask} is non-zero when a mask is given.
     * Fails on a 4D image, on non-integer values, and on a mask whose grid differs from the image's.
     */
    public static LabelCounts of(Image seg, Image mask) {
        String name = seg.path().toString();
        if (seg.volumes() != 1) {
            throw new KetaprintException(name + ": has " + seg.volumes()
                + " volumes; a label image must be 3D (for 4D probability maps use --probseg)");
        }
        double[] v = seg.readVolumeDouble(0);
        double[] m = null;
        if (mask != null) {
            requireSameGrid(seg, mask);
            m = mask.readVolumeDouble(0);
        }
        Grid g = seg.grid();
        Map<Integer, Long> c = new TreeMap<>();
        int last = 0;
        long run = 0;
        for (int i = 0; i < v.length; i++) {
            if (m != null && !(m[i] != 0 && !Double.isNaN(m[i]))) continue;
            double x = v[i];
            if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE) {
                int[] ijk = {i % g.nx, (i / g.nx) % g.ny, i / (g.nx * g.ny)};
                throw new KetaprintException(name + ": not a label image: value " + x + " at voxel (" + ijk[0] + ","
                    + ijk[1] + "," + ijk[2] + ") is not an integer (a probability map needs --probseg)");
            }
            int lab = (int) x;
            if (lab != last) {
                if (run > 0) c.merge(last, run, Long::sum);
                last = lab;
                run = 0;
            }
            run++;
        }
        if (run > 0) c.merge(last, run, Long::sum);
        return new LabelCounts(new TreeMap<>(c), seg.grid().voxelVolume());
    }

    /** Fails with one line naming both files when the grids (dims or affine within 1e-3 mm) differ. */
    public static void requireSameGrid(Image seg, Image mask) {
        Grid a = seg.grid();
        Grid b = mask.grid();
        if (!a.sameAs(b)) {
            String what = java.util.Arrays.equals(a.dims(), b.dims()) ? "affine differs" : "dims " + a + " vs " + b;
            throw new KetaprintException(seg.path() + ": grid differs from the mask " + mask.path() + " (" + what
                + "); resample one onto the other first");
        }
        if (mask.volumes() != 1) {
            throw new KetaprintException(mask.path() + ": a mask must be 3D, this has " + mask.volumes() + " volumes");
        }
    }

    /** Label to voxel count, labels ascending; label 0 included when present. */
    public Map<Integer, Long> counts() {
        return counts;
    }

    public long voxels(int label) {
        return counts.getOrDefault(label, 0L);
    }

    /** Voxel volume in mm^3 (|det| of the affine's 3x3). */
    public double voxelVolume() {
        return voxelVolume;
    }

    /** The non-zero labels present, ascending. */
    public int[] nonZeroLabels() {
        return counts.keySet().stream().filter(k -> k != 0).mapToInt(Integer::intValue).toArray();
    }

    /** Voxels with any non-zero label. */
    public long nonZeroVoxels() {
        long n = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (e.getKey() != 0) n += e.getValue();
        }
        return n;
    }
}
