package org.ketaprint.diffusion;

import java.nio.file.Path;
import java.util.Arrays;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Tensor maps on the DWI grid (x fastest): FA, MD, AD (= L1), RD (= (L2+L3)/2), L1-L3, S0 and V1 (three
 * volumes x, y, z). Voxels outside the fit mask are 0; voxels with non-finite signals are NaN.
 */
public final class DtiMaps {
    public final Grid grid;
    public final float[] fa;
    public final float[] md;
    public final float[] ad;
    public final float[] rd;
    public final float[] l2;
    public final float[] l3;
    public final float[] s0;
    /** Principal eigenvector, component c of voxel p at {@code v1[c * size + p]}; sign is arbitrary. */
    public final float[] v1;
    private final NiftiImage like;
    private long fitted;
    private long nonfinite;
    private long wlsFallback;

    /** Empty maps (all 0) on {@code grid}, for {@link TensorFit#fitVoxels}; written with the grid's affine. */
    public DtiMaps(Grid grid) {
        this(grid, null);
    }

    /** As above; written files copy {@code like}'s header geometry when it is not null. */
    public DtiMaps(Grid grid, NiftiImage like) {
        this.grid = grid;
        this.like = like;
        int n = grid.size();
        fa = new float[n];
        md = new float[n];
        ad = new float[n];
        rd = new float[n];
        l2 = new float[n];
        l3 = new float[n];
        s0 = new float[n];
        v1 = new float[3 * n];
    }

    /** Stores one voxel from sorted eigenvalues, eigenvectors (rows) and S0. */
    void set(int p, double[] ev, double[] evecs, double s0v) {
        double a = ev[0], b = ev[1], c = ev[2];
        double ss = a * a + b * b + c * c;
        double f = Math.sqrt(0.5 * ((a - b) * (a - b) + (b - c) * (b - c) + (c - a) * (c - a)) / (ss == 0 ? 1 : ss));
        fa[p] = (float) Math.min(1, Math.max(0, f));
        md[p] = (float) ((a + b + c) / 3);
        ad[p] = (float) a;
        rd[p] = (float) ((b + c) / 2);
        l2[p] = (float) b;
        l3[p] = (float) c;
        s0[p] = (float) s0v;
        int big = 0;
        for (int k = 1; k < 3; k++) if (Math.abs(evecs[k]) > Math.abs(evecs[big])) big = k;
        double sign = evecs[big] < 0 ? -1 : 1;
        int n = grid.size();
        for (int k = 0; k < 3; k++) v1[k * n + p] = (float) (sign * evecs[k]);
    }

    void setNaN(int p) {
        float q = Float.NaN;
        fa[p] = q;
        md[p] = q;
        ad[p] = q;
        rd[p] = q;
        l2[p] = q;
        l3[p] = q;
        s0[p] = q;
        int n = grid.size();
        for (int k = 0; k < 3; k++) v1[k * n + p] = q;
    }

    synchronized void addCounts(long fit, long bad, long fallback) {
        fitted += fit - bad;
        nonfinite += bad;
        wlsFallback += fallback;
    }

    /** Voxels fitted. */
    public long fitted() {
        return fitted;
    }

    /** Mask voxels left NaN because a signal was NaN or infinite. */
    public long nonfinite() {
        return nonfinite;
    }

    /** Voxels whose WLS system was singular (vanishing weights); they keep the OLS estimate. */
    public long wlsFallback() {
        return wlsFallback;
    }

    /** Writes PREFIX_FA, _MD, _AD, _RD, _V1, _S0 .nii.gz (dtifit's names) as float32; returns the files. */
    public Path[] write(String prefix) {
        String[] names = {"FA", "MD", "AD", "RD", "V1", "S0"};
        Path[] out = new Path[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = Path.of(prefix + "_" + names[i] + ".nii.gz");
            writeMap(out[i], names[i]);
        }
        return out;
    }

    /**
     * Writes BIDS-derivative maps into {@code dir}: {@code <entities>_model-tensor_param-<fa|md|ad|rd|s0|v1>_dwimap.nii.gz}
     * (BEP016 naming); {@code entities} is e.g. "sub-01_ses-1". Returns the files.
     */
    public Path[] writeBids(Path dir, String entities) {
        String[] names = {"FA", "MD", "AD", "RD", "V1", "S0"};
        Path[] out = new Path[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = dir.resolve(entities + "_model-tensor_param-" + names[i].toLowerCase() + "_dwimap.nii.gz");
            writeMap(out[i], names[i]);
        }
        return out;
    }

    /** The named map ("FA", "MD", "AD", "RD", "L2", "L3", "S0", "V1"). */
    public float[] map(String name) {
        return switch (name) {
            case "FA" -> fa;
            case "MD" -> md;
            case "AD", "L1" -> ad;
            case "RD" -> rd;
            case "L2" -> l2;
            case "L3" -> l3;
            case "S0" -> s0;
            case "V1" -> v1;
            default -> throw new IllegalArgumentException("no map " + name);
        };
    }

    private void writeMap(Path f, String name) {
        float[] data = map(name);
        long[] shape = name.equals("V1") ? new long[] {grid.nx, grid.ny, grid.nz, 3} : new long[] {grid.nx, grid.ny, grid.nz};
        NiftiWriter.Spec spec = like != null ? NiftiWriter.Spec.like(like, shape, DataType.FLOAT32)
            : NiftiWriter.Spec.of(shape, grid.affine, DataType.FLOAT32);
        NiftiWriter.write(f, spec.descrip("ketaprint dti " + name), data);
    }

    @Override
    public String toString() {
        return "DtiMaps" + Arrays.toString(grid.dims()) + " fitted=" + fitted;
    }
}
