package org.ketaprint.diffusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ketaprint.nifti.Compression;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * Tensor maps on the DWI grid (x fastest): FA, MD, AD (= L1), RD (= (L2+L3)/2), L1-L3, S0 and V1 (three
 * volumes x, y, z). Voxels outside the fit mask are 0; voxels with non-finite signals are NaN. S0 and V1
 * are null when not kept ({@link #DtiMaps(Grid, NiftiImage, List)}).
 */
public final class DtiMaps {
    /** The writable maps, in their order of writing: {@code write_maps} and {@code --write-maps} take these names. */
    public static final List<String> NAMES = List.of("fa", "md", "ad", "rd", "v1", "s0");
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
        this(grid, like, NAMES);
    }

    /** As above, keeping S0 and V1 only when {@code maps} names them (FA, MD, AD, RD, L2, L3 always). */
    public DtiMaps(Grid grid, NiftiImage like, List<String> maps) {
        this.grid = grid;
        this.like = like;
        int n = grid.size();
        fa = new float[n];
        md = new float[n];
        ad = new float[n];
        rd = new float[n];
        l2 = new float[n];
        l3 = new float[n];
        s0 = maps.contains("s0") ? new float[n] : null;
        v1 = maps.contains("v1") ? new float[3 * n] : null;
    }

    /**
     * The maps a {@code write_maps} value names, in {@link #NAMES} order: items (each may be "a,b") of those names,
     * any case; a single true/yes: all; false/no/none or nothing: none. Else IllegalArgumentException naming the item.
     */
    public static List<String> select(List<String> items) {
        List<String> given = new ArrayList<>();
        for (String it : items) {
            for (String part : String.valueOf(it).split(",")) if (!part.isBlank()) given.add(part.trim().toLowerCase(Locale.ROOT));
        }
        if (given.size() == 1 && List.of("true", "yes").contains(given.get(0))) return NAMES;
        if (given.size() == 1 && List.of("false", "no", "none").contains(given.get(0))) return List.of();
        for (String g : given) {
            if (!NAMES.contains(g)) {
                throw new IllegalArgumentException("unknown map '" + g + "' (maps: " + String.join(", ", NAMES)
                    + "; true: all, false or none: none)");
            }
        }
        return NAMES.stream().filter(given::contains).toList();
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
        if (s0 != null) s0[p] = (float) s0v;
        if (v1 == null) return;
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
        if (s0 != null) s0[p] = q;
        int n = grid.size();
        if (v1 != null) for (int k = 0; k < 3; k++) v1[k * n + p] = q;
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
        return write(prefix, NAMES, Compression.DEFAULT);
    }

    /** Writes the maps named (of {@link #NAMES}) as PREFIX_FA.nii.gz ... (.nii for none); returns the files. */
    public Path[] write(String prefix, List<String> maps, Compression c) {
        List<Path> out = new ArrayList<>();
        for (String m : select(maps)) {
            Path f = c.file(prefix + "_" + m.toUpperCase(Locale.ROOT));
            writeMap(f, m.toUpperCase(Locale.ROOT), c);
            out.add(f);
        }
        return out.toArray(Path[]::new);
    }

    /**
     * Writes the maps named (of {@link #NAMES}) into {@code dir} as BIDS derivatives:
     * {@code <entities>_model-tensor_param-<name>_dwimap.nii.gz} (BEP016; .nii for none); {@code entities} is e.g.
     * "sub-01_ses-1".
     */
    public Path[] writeBids(Path dir, String entities, List<String> maps, Compression c) {
        List<Path> out = new ArrayList<>();
        for (String m : select(maps)) {
            Path f = dir.resolve(entities + "_model-tensor_param-" + m + "_dwimap" + c.extension());
            writeMap(f, m.toUpperCase(Locale.ROOT), c);
            out.add(f);
        }
        return out.toArray(Path[]::new);
    }

    /** The named map ("FA", "MD", "AD", "RD", "L2", "L3", "S0", "V1"); S0, V1 null when not kept. */
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

    private void writeMap(Path f, String name, Compression c) {
        float[] data = map(name);
        if (data == null) throw new IllegalStateException(name + " was not kept by the fit");
        long[] shape = name.equals("V1") ? new long[] {grid.nx, grid.ny, grid.nz, 3} : new long[] {grid.nx, grid.ny, grid.nz};
        NiftiWriter.Spec spec = like != null ? NiftiWriter.Spec.like(like, shape, DataType.FLOAT32)
            : NiftiWriter.Spec.of(shape, grid.affine, DataType.FLOAT32);
        NiftiWriter.write(f, spec.descrip("ketaprint dti " + name).compression(c), data);
    }

    @Override
    public String toString() {
        return "DtiMaps" + Arrays.toString(grid.dims()) + " fitted=" + fitted;
    }
}
