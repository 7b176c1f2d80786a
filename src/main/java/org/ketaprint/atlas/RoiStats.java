package org.ketaprint.atlas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/**
 * Per-label statistics of a map (like fslstats -K or AFNI 3dROIstats). The label image is resampled
 * onto the map's grid by nearest neighbour through both affines. Non-finite map voxels are left out
 * and counted; std is the sample standard deviation (n - 1).
 */
public final class RoiStats {
    private RoiStats() {
    }

    /** One label's row. */
    public record Row(int label, String name, long voxels, double mean, double median, double std, long nonfinite) {
    }

    /** Labels of {@code labelImage} (first volume) on {@code grid}, rounded to integers; 0 outside. */
    public static int[] labelsOnGrid(Image labelImage, Grid grid) {
        double[] v = labelImage.readVolumeDouble(0);
        double[] r = grid.resampleNearest(labelImage.grid(), v, 0);
        int[] out = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            double x = r[i];
            if (!Double.isFinite(x)) continue;
            long l = Math.round(x);
            if (Math.abs(x - l) > 1e-3) {
                throw new KetaprintException(labelImage.path() + ": value " + x + " is not an integer label");
            }
            out[i] = (int) l;
        }
        return out;
    }

    /**
     * Statistics of {@code map} in each of {@code labels} (null: every non-zero label present, plus every
     * label of {@code table}), restricted to voxels where {@code include} is true (null: all).
     */
    public static List<Row> compute(float[] map, int[] labelsOnMapGrid, LabelTable table, int[] labels, boolean[] include) {
        if (labelsOnMapGrid.length != map.length) throw new IllegalArgumentException("label grid size != map size");
        int[] want = labels != null ? labels : presentLabels(labelsOnMapGrid, table);
        int max = 0;
        for (int l : want) max = Math.max(max, l);
        int[] slot = new int[Math.max(max, 0) + 1];
        Arrays.fill(slot, -1);
        for (int i = 0; i < want.length; i++) if (want[i] > 0) slot[want[i]] = i;
        int[] count = new int[want.length];
        long[] bad = new long[want.length];
        for (int p = 0; p < map.length; p++) {
            int l = labelsOnMapGrid[p];
            if (l <= 0 || l > max || slot[l] < 0 || (include != null && !include[p])) continue;
            if (Float.isFinite(map[p])) count[slot[l]]++;
            else bad[slot[l]]++;
        }
        double[][] vals = new double[want.length][];
        for (int i = 0; i < want.length; i++) vals[i] = new double[count[i]];
        int[] fill = new int[want.length];
        for (int p = 0; p < map.length; p++) {
            int l = labelsOnMapGrid[p];
            if (l <= 0 || l > max || slot[l] < 0 || (include != null && !include[p]) || !Float.isFinite(map[p])) continue;
            int s = slot[l];
            vals[s][fill[s]++] = map[p];
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < want.length; i++) {
            String name = table == null ? null : table.name(want[i]);
            rows.add(row(want[i], name, vals[i], bad[i]));
        }
        return rows;
    }

    /** Convenience: resamples {@code labelImage} onto {@code mapGrid} and computes. */
    public static List<Row> compute(float[] map, Grid mapGrid, Image labelImage, LabelTable table, int[] labels,
                                    boolean[] include) {
        return compute(map, labelsOnGrid(labelImage, mapGrid), table, labels, include);
    }

    /** Voxels where {@code map} is above {@code threshold} (e.g. FA > 0.2). */
    public static boolean[] above(float[] map, double threshold) {
        boolean[] m = new boolean[map.length];
        for (int p = 0; p < map.length; p++) m[p] = map[p] > threshold;
        return m;
    }

    static Row row(int label, String name, double[] v, long nonfinite) {
        int n = v.length;
        if (n == 0) return new Row(label, name, 0, Double.NaN, Double.NaN, Double.NaN, nonfinite);
        double sum = 0;
        for (double x : v) sum += x;
        double mean = sum / n;
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        Arrays.sort(v);
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Row(label, name, n, mean, median, std, nonfinite);
    }

    private static int[] presentLabels(int[] lab, LabelTable table) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int l : lab) if (l > 0) s.add(l);
        if (table != null) for (int l : table.names().keySet()) if (l > 0) s.add(l);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }
}
