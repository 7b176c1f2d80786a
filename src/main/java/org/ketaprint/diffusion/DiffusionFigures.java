package org.ketaprint.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.pipeline.Feature;
import org.ketaprint.pipeline.StageResult;
import org.ketaprint.report.Figure;
import org.ketaprint.report.Html;
import org.ketaprint.report.SliceImage;
import org.ketaprint.report.View;

/**
 * The diffusion stage's report figures: FA slices with the brain mask and the features' atlas ROIs (as brought to the
 * DWI grid) outlined, and V1 colour-coded on one axial slice. Drawn from what the stage already holds; no number changes.
 */
final class DiffusionFigures {
    static final int MASK_RGB = 0xffff00;
    /** ROI outline colours, in the features' order: saturated, none grey, none the mask's. */
    static final int[] ROI_RGB = {0xff0000, 0x00c8ff, 0x00ff00, 0xff00ff, 0xff8000, 0x0040ff, 0x80ff00, 0xff0080};
    /** Panel size: the largest field of view this many pixels (as the structural figures); the V1 panel larger. */
    static final double PANEL_PX = 200;
    static final double V1_PANEL_PX = 300;

    private DiffusionFigures() {
    }

    /** Adds both figures to {@code r}; {@code brain} null for precomputed maps, {@code v1} null when not fitted. */
    static void add(StageResult r, List<Feature> features, TensorMaps t, boolean[] brain, float[] v1) {
        Rois rois = rois(features, t);
        r.figure("FA, brain mask and ROIs", () -> fa(t, brain, rois));
        r.figure("V1 colour (axial)", () -> v1(t, v1, rois, brain));
    }

    /** The ROIs the features name, in order, with their voxels on the DWI grid, and notes on those that have none. */
    record Rois(Map<String, boolean[]> masks, boolean[] union, int voxels, List<String> notes) {
    }

    static Rois rois(List<Feature> features, TensorMaps t) {
        Set<String> names = new LinkedHashSet<>();
        for (Feature f : features) if (f.params() instanceof TensorRoi.Params p) names.add(p.roi().trim());
        Map<String, boolean[]> masks = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        boolean[] union = new boolean[t.labels().length];
        int total = 0;
        for (String name : names) {
            int label;
            try {
                label = name.matches("\\d+") ? Integer.parseInt(name) : t.table().label(name);
            } catch (KetaprintException e) {
                notes.add(e.getMessage());
                continue;
            }
            boolean[] m = new boolean[union.length];
            int n = 0;
            for (int v = 0; v < m.length; v++) {
                if (t.labels()[v] == label) {
                    m[v] = true;
                    union[v] = true;
                    n++;
                }
            }
            total += n;
            if (n == 0) notes.add("ROI '" + name + "' has no voxels on the DWI grid.");
            else masks.put(name, m);
        }
        return new Rois(masks, union, total, notes);
    }

    /** What slices are placed through: the ROIs, else the brain mask, else non-zero FA; null when all are empty. */
    static boolean[] target(Rois rois, boolean[] brain, float[] fa, List<String> notes) {
        if (rois.voxels() > 0) return rois.union();
        boolean[] m = brain;
        if (m == null) {
            m = new boolean[fa.length];
            for (int v = 0; v < fa.length; v++) m[v] = fa[v] != 0 && !Float.isNaN(fa[v]);
        }
        for (boolean b : m) {
            if (b) {
                notes.add("No ROI voxel on the DWI grid: slices through the " + (brain != null ? "brain mask." : "non-zero FA."));
                return m;
            }
        }
        return null;
    }

    static Figure fa(TensorMaps t, boolean[] brain, Rois rois) {
        List<String> notes = new ArrayList<>(rois.notes());
        boolean[] target = target(rois, brain, t.fa(), notes);
        if (target == null) throw new KetaprintException("no ROI voxel, no brain mask and no non-zero FA on the DWI grid");
        View view = new View(t.grid());
        double[] fa = toDouble(t.fa());
        double pxPerMm = PANEL_PX / fov(view);
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        for (View.Plane p : new View.Plane[] {View.Plane.AXIAL, View.Plane.CORONAL}) {
            for (int k : slices(view, rois, target, p, p == View.Plane.AXIAL ? 3 : 2)) {
                SliceImage img = SliceImage.grey(view.slice(fa, p, k), new double[] {0, 1});
                if (brain != null) img.outline("brain mask", MASK_RGB, view.slice(brain, p, k));
                int i = 0;
                for (Map.Entry<String, boolean[]> e : rois.masks().entrySet()) {
                    img.outline(e.getKey(), ROI_RGB[i++ % ROI_RGB.length], view.slice(e.getValue(), p, k));
                }
                b.append(Html.slice(img, p, k, pxPerMm, "FA " + p.label() + " " + k, Map.of("volume", "fa")));
            }
        }
        b.append("</div>");
        List<String> legend = new ArrayList<>();
        if (brain != null) legend.add("brain mask " + Html.colour(MASK_RGB));
        int i = 0;
        for (String name : rois.masks().keySet()) legend.add(name + " " + Html.colour(ROI_RGB[i++ % ROI_RGB.length]));
        String mask = brain != null ? "the brain mask (the fit and the ROI statistics are limited to it)"
            : "no brain mask (precomputed FA/MD maps: the statistics use the voxels with non-zero FA)";
        String caption = "FA on the DWI grid (black 0, white 1) with " + mask + " and the atlas labels the features use, "
            + "as brought to the DWI grid (nearest neighbour), outlined over it; axial and coronal slices through the ROIs. "
            + "Outlines: " + (legend.isEmpty() ? "none" : String.join(", ", legend)) + ". " + String.join(" ", notes);
        return new Figure("FA, brain mask and ROIs", b.toString(), caption.trim());
    }

    static Figure v1(TensorMaps t, float[] v1, Rois rois, boolean[] brain) {
        if (v1 == null) throw new KetaprintException("precomputed FA/MD maps: no tensor fit, so no V1");
        List<String> notes = new ArrayList<>(rois.notes());
        boolean[] target = target(rois, brain, t.fa(), notes);
        if (target == null) throw new KetaprintException("no ROI voxel, no brain mask and no non-zero FA on the DWI grid");
        Grid grid = t.grid();
        View view = new View(grid);
        int k = busiest(view, target, View.Plane.AXIAL, 1)[0];
        double[] index = new double[grid.size()];
        for (int v = 0; v < index.length; v++) index[v] = v;
        View.Slice at = view.slice(index, View.Plane.AXIAL, k);
        double[][] rgb = worldRgb(grid, v1, t.fa(), at.values());
        View.Slice[] ch = new View.Slice[3];
        for (int c = 0; c < 3; c++) ch[c] = new View.Slice(at.width(), at.height(), rgb[c], at.colMm(), at.rowMm());
        SliceImage img = SliceImage.grey(ch[1], new double[] {0, 1}).rgb(ch[0], ch[1], ch[2]);
        String html = "<div class=\"figs\">" + Html.slice(img, View.Plane.AXIAL, k, V1_PANEL_PX / fov(view),
            "V1 colour axial " + k, Map.of("volume", "v1")) + "</div>";
        String caption = "Principal eigenvector V1 on the axial slice with the most ROI voxels: red = |V1 left-right|, "
            + "green = |V1 anterior-posterior|, blue = |V1 superior-inferior| (world axes: V1, fitted in the frame of the "
            + "bvecs, is turned to world axes by the image's affine), each times FA, as DIPY's color_fa and FSL's RGB maps. "
            + String.join(" ", notes);
        return new Figure("V1 colour (axial)", html, caption.trim());
    }

    /**
     * |V1| in world axes (x = R, y = A, z = S) times FA for the voxels {@code at} (grid indices). V1 is in the bvec frame:
     * the voxel axes, with x flipped for a positive-determinant affine (FSL's convention, {@link Gradients}).
     */
    static double[][] worldRgb(Grid grid, float[] v1, float[] fa, double[] at) {
        double[][] a = grid.affine.toArray();
        double[][] cos = new double[3][3];   // unit voxel axes in world coordinates, the bvec frame's x flip folded in
        double flip = Gradients.fslFlipApplies(grid.affine) ? -1 : 1;
        for (int j = 0; j < 3; j++) {
            double len = Math.sqrt(a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]);
            for (int r = 0; r < 3; r++) cos[r][j] = a[r][j] / len * (j == 0 ? flip : 1);
        }
        int n = grid.size();
        double[][] out = new double[3][at.length];
        for (int i = 0; i < at.length; i++) {
            int p = (int) at[i];
            double[] w = new double[3];
            for (int r = 0; r < 3; r++) for (int j = 0; j < 3; j++) w[r] += cos[r][j] * v1[j * n + p];
            double len = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
            for (int c = 0; c < 3; c++) out[c][i] = len > 0 ? Math.abs(w[c]) / len * fa[p] : 0;
        }
        return out;
    }

    /** Up to {@code n} slices, ascending: each ROI's busiest slice in turn, then {@link #busiest} of {@code target}. */
    static int[] slices(View view, Rois rois, boolean[] target, View.Plane p, int n) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (boolean[] m : rois.masks().values()) if (out.size() < n) out.add(busiest(view, m, p, 1)[0]);
        for (int k : busiest(view, target, p, n)) if (out.size() < n) out.add(k);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code n} distinct slices along the plane's axis at the 1/(n+1) .. n/(n+1) quantiles of the mask's voxels. */
    static int[] busiest(View view, boolean[] mask, View.Plane p, int n) {
        int[] d = view.dims();
        long[] count = new long[d[p.axis]];
        long total = 0;
        int[] c = new int[3];
        for (c[2] = 0; c[2] < d[2]; c[2]++) {
            for (c[1] = 0; c[1] < d[1]; c[1]++) {
                for (c[0] = 0; c[0] < d[0]; c[0]++) {
                    if (mask[view.index(c[0], c[1], c[2])]) {
                        count[c[p.axis]]++;
                        total++;
                    }
                }
            }
        }
        Set<Integer> out = new LinkedHashSet<>();
        if (n == 1) {
            int best = 0;
            for (int k = 1; k < count.length; k++) if (count[k] > count[best]) best = k;
            out.add(best);
        } else {
            for (int i = 1; i <= n; i++) {
                long want = (long) Math.ceil(total * i / (n + 1.0));
                long cum = 0;
                for (int k = 0; k < count.length; k++) {
                    cum += count[k];
                    if (cum >= want && count[k] > 0) {
                        out.add(k);
                        break;
                    }
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The largest field of view (mm) of the canonical volume. */
    private static double fov(View v) {
        int[] d = v.dims();
        return Math.max(d[0] * v.mm(0), Math.max(d[1] * v.mm(1), d[2] * v.mm(2)));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
