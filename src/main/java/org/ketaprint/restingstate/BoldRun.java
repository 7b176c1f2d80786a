package org.ketaprint.restingstate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * A BOLD run masked by a brain mask, nilearn-masker style: the image in, a voxel x time matrix out
 * (row v = the series of mask voxel {@link #voxels()}[v], float32 as stored). The TR is the one given,
 * else the BIDS JSON sidecar's RepetitionTime, else the header's; a sidecar that disagrees with the header
 * wins with a warning.
 */
public final class BoldRun {
    private final NiftiImage image;
    private final Grid grid;
    private final int[] voxels;
    private final int volumes;
    private final double tr;
    private final String trSource;
    private final float[] data;
    private final List<String> warnings;

    private BoldRun(NiftiImage image, int[] voxels, double tr, String trSource, float[] data, List<String> warnings) {
        this.image = image;
        this.grid = image.grid();
        this.voxels = voxels;
        this.volumes = (int) image.volumes();
        this.tr = tr;
        this.trSource = trSource;
        this.data = data;
        this.warnings = warnings;
    }

    /**
     * Loads the BOLD series inside the mask (voxels &gt; 0; a mask on another grid is resampled by nearest
     * neighbour). {@code trSeconds} overrides every other TR source when not NaN.
     */
    public static BoldRun load(Path bold, Path mask, double trSeconds) {
        NiftiImage img = NiftiImage.load(bold);
        long[] shape = img.shape();
        if (shape.length < 4 || img.volumes() < 2) {
            throw new KetaprintException(bold + ": not a BOLD time series (shape " + java.util.Arrays.toString(shape) + ")");
        }
        List<String> warnings = new ArrayList<>();
        Grid g = img.grid();
        boolean[] in = maskOn(mask, g, warnings);
        int n = 0;
        for (boolean b : in) if (b) n++;
        if (n == 0) throw new KetaprintException(mask + ": the brain mask is empty on the BOLD grid");
        int[] idx = new int[n];
        for (int i = 0, p = 0; i < in.length; i++) if (in[i]) idx[p++] = i;
        double header = img.repetitionTime();
        double tr;
        String src;
        if (!Double.isNaN(trSeconds)) {
            if (!(trSeconds > 0) || Double.isInfinite(trSeconds)) {
                throw new KetaprintException("--tr must be a positive number of seconds, got " + trSeconds);
            }
            tr = trSeconds;
            src = "option";
        } else {
            double side = sidecarTr(bold);
            if (!Double.isNaN(side)) {
                tr = side;
                src = "sidecar";
                if (header > 0 && Math.abs(header - side) > 1e-3) {
                    warnings.add(String.format(Locale.ROOT, "%s: header TR %.6g s disagrees with the JSON sidecar's %.6g s; "
                        + "using the sidecar", bold, header, side));
                }
            } else if (header > 0 && Double.isFinite(header)) {
                tr = header;
                src = "header";
            } else {
                throw new KetaprintException(bold + ": no repetition time (no --tr, no JSON sidecar, none in the header)");
            }
        }
        return new BoldRun(img, idx, tr, src, img.readMasked(idx), warnings);
    }

    /** An in-memory run (for tests and the ImageJ plugin): data is voxel x time for {@code voxels}. */
    public static BoldRun of(NiftiImage like, int[] voxels, float[] data, double tr) {
        return new BoldRun(like, voxels.clone(), tr, "given", data, new ArrayList<>());
    }

    static boolean[] maskOn(Path mask, Grid g, List<String> warnings) {
        return maskOn(mask, g, warnings, 0);
    }

    /** Voxels of {@code mask} above {@code threshold} on grid g (nearest-neighbour resampled if needed). */
    static boolean[] maskOn(Path mask, Grid g, List<String> warnings, double threshold) {
        Image m = Images.open(mask);
        double[] v = m.readVolumeDouble(0);
        if (!m.grid().sameAs(g)) {
            warnings.add(mask + ": mask grid " + m.grid() + " differs from the BOLD grid " + g
                + "; resampled by nearest neighbour");
            v = g.resampleNearest(m.grid(), v, 0);
        }
        boolean[] in = new boolean[v.length];
        for (int i = 0; i < v.length; i++) in[i] = v[i] > threshold;
        return in;
    }

    /** The JSON sidecar beside the BOLD file (its RepetitionTime is the TR unless one is given), or null. */
    public static Path sidecar(Path bold) {
        String name = bold.getFileName().toString().replaceAll("\\.(nii\\.gz|nii|hdr|img|hdr\\.gz|img\\.gz)$", "");
        Path js = bold.resolveSibling(name + ".json");
        return Files.isRegularFile(js) ? js : null;
    }

    /** RepetitionTime from the JSON sidecar beside the BOLD file, NaN when there is none. */
    static double sidecarTr(Path bold) {
        Path js = sidecar(bold);
        if (js == null) return Double.NaN;
        try {
            JsonNode n = new ObjectMapper().readTree(js.toFile()).get("RepetitionTime");
            if (n == null) return Double.NaN;
            if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
                throw new KetaprintException(js + ": RepetitionTime is not a positive number: " + n);
            }
            return n.asDouble();
        } catch (IOException e) {
            throw new KetaprintException(js + ": cannot read JSON sidecar: " + e.getMessage());
        }
    }

    public NiftiImage image() {
        return image;
    }

    public Path path() {
        return image.path();
    }

    public Grid grid() {
        return grid;
    }

    /** Volume indices (x fastest) of the mask voxels, ascending. */
    public int[] voxels() {
        return voxels;
    }

    public int size() {
        return voxels.length;
    }

    public int volumes() {
        return volumes;
    }

    public double tr() {
        return tr;
    }

    /** Where the TR came from: option, sidecar, header or given. */
    public String trSource() {
        return trSource;
    }

    /** Voxel x time, row v = voxel {@code voxels()[v]}; shared, do not modify. */
    public float[] data() {
        return data;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Mean over the mask voxels at every volume. */
    public double[] globalSignal() {
        double[] g = new double[volumes];
        for (int v = 0; v < voxels.length; v++) {
            int o = v * volumes;
            for (int t = 0; t < volumes; t++) g[t] += data[o + t];
        }
        for (int t = 0; t < volumes; t++) g[t] /= voxels.length;
        return g;
    }

    /** Per mask voxel: finite and not constant over the given volumes (a zero-variance voxel is false). */
    public boolean[] varying(int[] volumesUsed) {
        boolean[] ok = new boolean[voxels.length];
        for (int v = 0; v < voxels.length; v++) {
            int o = v * volumes;
            float first = data[o + volumesUsed[0]];
            boolean finite = true;
            boolean differs = false;
            for (int t : volumesUsed) {
                float x = data[o + t];
                if (!Float.isFinite(x)) finite = false;
                if (x != first) differs = true;
            }
            ok[v] = finite && differs;
        }
        return ok;
    }

    /** Positions (rows of {@link #data()}) of the mask voxels inside the ROI; an error when there are none. */
    public int[] rows(Roi roi) {
        boolean[] in = roi.voxels(grid);
        int[] rows = java.util.stream.IntStream.range(0, voxels.length).filter(v -> in[voxels[v]]).toArray();
        if (rows.length == 0) {
            throw new KetaprintException("ROI " + roi.spec() + " has no voxel inside the brain mask of " + path());
        }
        return rows;
    }

    /** A map over the volume grid: mask voxels get {@code values}, the rest {@code outside}. */
    public float[] toVolume(double[] values, float outside) {
        float[] vol = new float[grid.size()];
        java.util.Arrays.fill(vol, outside);
        for (int v = 0; v < voxels.length; v++) vol[voxels[v]] = (float) values[v];
        return vol;
    }

    /** Writes a per-mask-voxel map as {@code prefix + suffix + ".nii.gz"}, 3D float32 (0 outside the mask, NaN where undefined). */
    public Path writeMap(String prefix, String suffix, double[] values) {
        return writeMap(prefix, suffix, values, org.ketaprint.nifti.Compression.DEFAULT);
    }

    /** {@link #writeMap(String, String, double[])} stored as {@code c} says (.nii for none). */
    public Path writeMap(String prefix, String suffix, double[] values, org.ketaprint.nifti.Compression c) {
        Path out = c.file(prefix + suffix);
        long[] shape = java.util.Arrays.copyOf(image.shape(), 3);
        NiftiWriter.write(out, NiftiWriter.Spec.like(image, shape, DataType.FLOAT32).compression(c), toVolume(values, 0f));
        return out;
    }
}
