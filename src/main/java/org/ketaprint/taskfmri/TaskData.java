package org.ketaprint.taskfmri;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.restingstate.Roi;

/**
 * What the task stage's measures read: the fitted runs, the ROIs, and each contrast's maps over the voxels every run's
 * mask holds. Several runs are combined as nilearn's fixed effects: the mean effect, variance sum / runs^2, the sum of
 * the runs' degrees of freedom.
 */
public final class TaskData {
    /** Where a contrast's maps go: (BIDS contrast label, stat, grid voxels, values on them). */
    public interface MapSink {
        void write(String label, String stat, int[] voxels, double[] values);
    }

    /** A contrast's maps over the common voxels, and the degrees of freedom behind t and z. */
    public record ContrastMaps(Contrast contrast, double[] effect, double[] variance, double[] t, double[] z, double[] p,
                               int dof) {
    }

    private final List<TaskRun> runs;
    private final Map<String, Roi> rois;
    private final MapSink sink;
    private final int[] voxels;          // grid indices modelled in every run
    private final int[][] rowsOfRun;     // per run: the row of each common voxel
    private final Map<String, ContrastMaps> cache = new HashMap<>();

    public TaskData(List<TaskRun> runs, Map<String, Roi> rois, MapSink sink) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs");
        this.runs = List.copyOf(runs);
        this.rois = rois;
        this.sink = sink;
        int size = runs.get(0).bold().grid().size();
        int[] count = new int[size];
        for (TaskRun r : runs) for (int v : r.bold().voxels()) count[v]++;
        int n = 0;
        for (int c : count) if (c == runs.size()) n++;
        if (n == 0) throw new KetaprintException("the runs' brain masks have no voxel in common");
        voxels = new int[n];
        for (int i = 0, k = 0; i < size; i++) if (count[i] == runs.size()) voxels[k++] = i;
        rowsOfRun = new int[runs.size()][n];
        for (int r = 0; r < runs.size(); r++) {
            int[] pos = new int[size];
            int[] vox = runs.get(r).bold().voxels();
            for (int i = 0; i < vox.length; i++) pos[vox[i]] = i;
            for (int i = 0; i < n; i++) rowsOfRun[r][i] = pos[voxels[i]];
        }
    }

    public List<TaskRun> runs() {
        return runs;
    }

    /** Grid indices of the voxels the maps cover. */
    public int[] voxels() {
        return voxels.clone();
    }

    /** The maps of a contrast (computed once; written through the sink when there is one). */
    public synchronized ContrastMaps contrast(String spec) {
        return contrast(Contrast.parse(spec));
    }

    /** As {@link #contrast(String)} for a parsed contrast (its label kept, whatever it is). */
    public synchronized ContrastMaps contrast(Contrast c) {
        ContrastMaps m = cache.get(c.expression() + "|" + c.label());
        if (m != null) return m;
        m = combine(c);
        cache.put(c.expression() + "|" + c.label(), m);
        if (sink != null) {
            sink.write(c.label(), "effect", voxels, m.effect());
            sink.write(c.label(), "variance", voxels, m.variance());
            sink.write(c.label(), "t", voxels, m.t());
            sink.write(c.label(), "z", voxels, m.z());
            sink.write(c.label(), "p", voxels, m.p());
        }
        return m;
    }

    private ContrastMaps combine(Contrast c) {
        int n = voxels.length;
        int k = runs.size();
        double[] eff = new double[n], var = new double[n];
        int dof = 0;
        for (int r = 0; r < k; r++) {
            Glm.Maps m = runs.get(r).maps(c);
            int[] rows = rowsOfRun[r];
            for (int i = 0; i < n; i++) {
                eff[i] += m.effect()[rows[i]];
                var[i] += m.variance()[rows[i]];
            }
            dof += runs.get(r).glm().dof();
        }
        double[] t = new double[n], z = new double[n], p = new double[n];
        int d = dof;
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            eff[i] /= k;
            var[i] /= (double) k * k;
            t[i] = eff[i] / Math.sqrt(Math.max(var[i], 1e-50));   // nilearn's Contrast: variance floored at 1e-50
            p[i] = TDist.sf(t[i], d);
            z[i] = TDist.z(t[i], d);
        });
        return new ContrastMaps(c, eff, var, t, z, p, dof);
    }

    /** The positions (in {@link #voxels()}) of an ROI's voxels; an error when none is modelled. */
    public int[] rows(String roi) {
        Roi r = rois.containsKey(roi) ? rois.get(roi) : Roi.parse(roi);
        boolean[] in = r.voxels(runs.get(0).bold().grid());
        int[] rows = java.util.stream.IntStream.range(0, voxels.length).filter(i -> in[voxels[i]]).toArray();
        if (rows.length == 0) throw new KetaprintException("ROI " + r.spec() + " has no voxel inside the brain mask");
        return rows;
    }
}
