package org.ketaprint.taskfmri;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Compression;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Confounds;
import org.ketaprint.restingstate.Roi;

/**
 * One task run through the GLM with files given directly: what the {@code glm} command and the ImageJ entry run. Every
 * contrast is checked (absent trial types, estimability) before anything is written; with an output prefix the
 * design and each contrast's maps are written there.
 */
public record GlmJob(TaskStage.Params params, List<String> contrasts, List<String> rois, LabelTable lut, String outPrefix,
                     Compression compression) {

    /** One ROI value of one contrast. */
    public record RoiValue(String contrast, String roi, int voxels, double beta, double z, double t) {
    }

    /** The fit, each contrast's maps (in the order given) and ROI values, and the files written. */
    public record Result(TaskRun fit, List<TaskData.ContrastMaps> maps, List<RoiValue> values, List<Path> written) {
    }

    /**
     * The contrasts parsed, refused before anything is read when two share a label (their maps would have the same file
     * names) or when the output prefix has no file name part ("", "dir/", ".").
     */
    public static List<Contrast> check(List<String> contrasts, String outPrefix) {
        List<Contrast> parsed = contrasts.stream().map(Contrast::parse).toList();
        Map<String, Contrast> byLabel = new java.util.HashMap<>();
        for (Contrast c : parsed) {
            Contrast before = byLabel.putIfAbsent(c.label(), c);
            if (before != null) {
                throw new KetaprintException("contrasts '" + before.expression() + "' and '" + c.expression() + "' have the same "
                    + "label " + c.label() + " (their maps would have the same file names); give one a name: NAME=EXPR");
            }
        }
        if (outPrefix != null) {
            Path name = outPrefix.isEmpty() ? null : Path.of(outPrefix).getFileName();
            if (name == null || outPrefix.endsWith("/") || name.toString().equals(".") || name.toString().equals("..")) {
                throw new KetaprintException("output prefix '" + outPrefix + "' has no file name part: write e.g. "
                    + "out/sub-01 (for out/sub-01_design.tsv and out/sub-01_contrast-..._statmap.nii.gz)");
            }
        }
        return parsed;
    }

    public Result run(BoldRun bold, Path events, Path confounds, JsonNode sidecar, Consumer<String> log) {
        List<Contrast> parsed = check(contrasts, outPrefix);
        List<Roi> roiList = rois.stream().map(r -> Roi.parse(r, lut)).toList();
        Events ev = Events.read(events);
        Confounds conf = confounds == null ? null : Confounds.read(confounds);
        TaskRun fit = TaskRun.fit(bold, ev, conf, params, sidecar);
        fit.warnings().forEach(w -> log.accept("warning: " + w));
        for (Contrast c : parsed) fit.weights(c);   // fails before any output
        List<int[]> roiRows = new ArrayList<>();
        for (Roi r : roiList) roiRows.add(bold.rows(r));
        // every map first, then the files: a contrast that fails leaves nothing behind
        TaskData data = new TaskData(List.of(fit), Map.of(), null);
        List<TaskData.ContrastMaps> maps = new ArrayList<>();
        List<RoiValue> values = new ArrayList<>();
        for (Contrast c : parsed) {
            TaskData.ContrastMaps m = data.contrast(c);
            maps.add(m);
            for (int i = 0; i < roiList.size(); i++) {
                int[] rows = roiRows.get(i);
                values.add(new RoiValue(c.label(), rois.get(i), rows.length, TaskRun.mean(m.effect(), rows),
                    TaskRun.mean(m.z(), rows), TaskRun.mean(m.t(), rows)));
            }
        }
        List<Path> written = new ArrayList<>();
        if (outPrefix != null) {
            Compression comp = compression == null ? Compression.DEFAULT : compression;
            Path design = Path.of(outPrefix + "_design.tsv");
            fit.design().writeTsv(design);
            written.add(design);
            if (fit.glm().noise() == Glm.Noise.AR1) {
                Path ar1 = Path.of(outPrefix + "_ar1" + comp.extension());
                TaskMaps.write(ar1, bold, bold.voxels(), fit.glm().rho(), comp);
                written.add(ar1);
            }
            int[] voxels = data.voxels();
            for (TaskData.ContrastMaps m : maps) {
                String label = m.contrast().label();
                double[][] stats = {m.effect(), m.variance(), m.t(), m.z(), m.p()};
                String[] names = {"effect", "variance", "t", "z", "p"};
                for (int k = 0; k < names.length; k++) {
                    Path out = Path.of(outPrefix + "_contrast-" + label + "_stat-" + names[k] + "_statmap" + comp.extension());
                    TaskMaps.write(out, bold, voxels, stats[k], comp);
                    written.add(out);
                }
            }
        }
        log.accept(fit.toString());
        return new Result(fit, maps, values, written);
    }
}
