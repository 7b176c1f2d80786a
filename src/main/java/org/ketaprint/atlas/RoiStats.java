package org.ketaprint.atlas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
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

    /**
     * Labels of {@code labelImage} (first volume) on {@code grid}; 0 outside. The image is checked first
     * ({@link LabelImage#read}): a non-integer, NaN or out-of-int-range value, or an affine that is singular or not
     * finite, is an error naming the file.
     */
    public static int[] labelsOnGrid(Image labelImage, Grid grid) {
        return LabelImage.onGrid(labelImage, grid);
    }

    /**
     * Statistics of {@code map} in each of {@code labels} (null: every non-zero label present, plus every
     * label of {@code table}), restricted to voxels where {@code include} is true (null: all). Labels are found
     * by binary search in the sorted wanted labels, so memory does not grow with a label's value; a label
     * asked for twice gets the same row twice; labels &lt;= 0 (background) have no voxels.
     */
    public static List<Row> compute(float[] map, int[] labelsOnMapGrid, LabelTable table, int[] labels, boolean[] include) {
        if (labelsOnMapGrid.length != map.length) throw new IllegalArgumentException("label grid size != map size");
        int[] want = labels != null ? labels : presentLabels(labelsOnMapGrid, table);
        int[] uniq = Arrays.stream(want).filter(l -> l > 0).sorted().distinct().toArray();
        int[] slotOf = new int[map.length];
        int[] count = new int[uniq.length];
        long[] bad = new long[uniq.length];
        int lastLabel = 0, lastSlot = -1;
        for (int p = 0; p < map.length; p++) {
            int l = labelsOnMapGrid[p];
            int s = -1;
            if (l > 0 && (include == null || include[p])) {
                if (l != lastLabel) {
                    lastLabel = l;
                    lastSlot = Arrays.binarySearch(uniq, l);
                }
                s = lastSlot;
            }
            slotOf[p] = s;
            if (s < 0) continue;
            if (Float.isFinite(map[p])) count[s]++;
            else bad[s]++;
        }
        double[][] vals = new double[uniq.length][];
        for (int i = 0; i < uniq.length; i++) vals[i] = new double[count[i]];
        int[] fill = new int[uniq.length];
        for (int p = 0; p < map.length; p++) {
            int s = slotOf[p];
            if (s < 0 || !Float.isFinite(map[p])) continue;
            vals[s][fill[s]++] = map[p];
        }
        Row[] byLabel = new Row[uniq.length];
        for (int i = 0; i < uniq.length; i++) byLabel[i] = row(uniq[i], null, vals[i], bad[i]);
        List<Row> rows = new ArrayList<>();
        for (int l : want) {
            String name = table == null ? null : table.name(l);
            int i = l > 0 ? Arrays.binarySearch(uniq, l) : -1;
            Row r = i >= 0 ? byLabel[i] : row(l, null, new double[0], 0);
            rows.add(new Row(l, name, r.voxels(), r.mean(), r.median(), r.std(), r.nonfinite()));
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
