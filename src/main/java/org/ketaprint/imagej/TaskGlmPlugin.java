package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import ij.plugin.PlugIn;
import org.ketaprint.KetaprintException;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.table.Table;
import org.ketaprint.taskfmri.GlmJob;
import org.ketaprint.taskfmri.TaskData;
import org.ketaprint.taskfmri.TaskMaps;
import org.ketaprint.taskfmri.TaskStage;

/**
 * Plugins>ketaprint>Task GLM: {@code ketaprint glm} on the open 4D BOLD (or a file): one row per contrast and ROI in
 * ImageJ's Results table (mean effect in percent signal change, mean z and t), and each contrast's z map as an image
 * with the ROIs outlined.
 */
public final class TaskGlmPlugin implements PlugIn {
    /** Parameters of the stage the ImageJ entries do not take. */
    public static final Set<String> SKIP = Set.of("write_maps", "space");

    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: Task GLM");
        String[] titles = ij.WindowManager.getImageTitles();
        String[] items = new String[titles.length + 1];
        System.arraycopy(titles, 0, items, 0, titles.length);
        items[titles.length] = BoldImages.FILE_BELOW;
        ImagePlus cur = ij.WindowManager.getCurrentImage();
        gd.addChoice("BOLD image", items, cur != null && cur.getNFrames() > 1 ? cur.getTitle() : BoldImages.FILE_BELOW);
        gd.addFile("File (if not open)", "");
        gd.addFile("Brain mask (file)", "");
        gd.addFile("Events TSV", "");
        gd.addFile("Confounds TSV (blank = none)", BoldImages.sibling(Ij1.sourceFile(cur)));
        gd.addString("Contrast (e.g. fearful - neutral)", "fearful - neutral");
        gd.addString("ROI (sphere:X,Y,Z,R or atlas:FILE:LABEL; blank = maps only)", "");
        ParamDialog.add(gd, TaskStage.Params.class, SKIP);
        gd.addCheckbox("Show z maps", true);
        gd.addString("Output prefix (optional: writes the maps and PREFIX_design.tsv)", "");
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        String bold = gd.nextChoice();
        String file = gd.nextString().trim();
        String mask = gd.nextString().trim();
        String events = gd.nextString().trim();
        String conf = gd.nextString().trim();
        String contrast = gd.nextString().trim();
        String roi = gd.nextString().trim();
        Map<String, Object> params = ParamDialog.read(gd, TaskStage.Params.class, SKIP);
        boolean maps = gd.nextBoolean();
        String prefix = gd.nextString().trim();
        String tsv = gd.nextString();
        ImagePlus image = !file.isEmpty() || bold.equals(BoldImages.FILE_BELOW) ? null : ij.WindowManager.getImage(bold);
        Ij1.guard("Task GLM", () -> {
            IJ.showStatus("ketaprint: task GLM...");
            Output out = run(image, file.isEmpty() ? null : Path.of(file), path(mask), path(events), path(conf),
                List.of(contrast), roi.isEmpty() ? List.of() : List.of(roi), params, maps, prefix, s -> IJ.log("ketaprint: " + s));
            Ij1.showAsResults(out.table(), tsv);
            out.zMaps().forEach(ImagePlus::show);
            IJ.showStatus("ketaprint: task GLM done");
        });
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    /** The Results rows and, when asked, each contrast's z map (not shown). */
    public record Output(Table table, List<ImagePlus> zMaps) {
    }

    /** The GLM of the open image {@code bold} (or, when it is null, {@code file}): the same {@link GlmJob} as the CLI. */
    public static Output run(ImagePlus bold, Path file, Path mask, Path events, Path confounds, List<String> contrasts,
                             List<String> rois, Map<String, Object> params, boolean maps, String prefix, Consumer<String> log) {
        if (events == null) throw new KetaprintException("give the events TSV (onset, duration, trial_type)");
        if (contrasts.isEmpty() || contrasts.get(0).isBlank()) throw new KetaprintException("give a contrast, e.g. fearful - neutral");
        TaskStage.Params p = ParamSet.of(TaskStage.Params.class).bind(params);
        RestingActions.Options o = new RestingActions.Options();
        o.mask = mask;
        if (p.tr() != null) o.set("tr", p.tr());
        BoldRun run = BoldImages.load(bold, file, o, log);
        Path source = file != null ? file : Ij1.sourceFile(bold).isEmpty() ? null : Path.of(Ij1.sourceFile(bold));
        GlmJob job = new GlmJob(p, contrasts, rois, null, prefix == null || prefix.isBlank() ? null : prefix, null);
        GlmJob.Result r = BoldImages.named(run, bold, () -> job.run(run, events, confounds,
            source == null ? null : TaskMaps.sidecar(source), log));
        Table t = new Table(List.of("contrast", "roi", "voxels", "beta_pct", "z", "t", "dof", "noise_model"));
        for (GlmJob.RoiValue v : r.values()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("contrast", v.contrast());
            row.put("roi", v.roi());
            row.put("voxels", Integer.toString(v.voxels()));
            row.put("beta_pct", Table.format(v.beta()));
            row.put("z", Table.format(v.z()));
            row.put("t", Table.format(v.t()));
            row.put("dof", Integer.toString(r.fit().glm().dof()));
            row.put("noise_model", r.fit().glm().noise().label());
            t.add(row);
        }
        List<ImagePlus> images = new java.util.ArrayList<>();
        if (maps) {
            String base = (bold != null ? bold.getTitle() : file.getFileName().toString()).replaceFirst("\\.(nii\\.gz|nii)$", "");
            int[] lab = new int[run.grid().size()];
            for (int i = 0; i < rois.size(); i++) {
                boolean[] in = org.ketaprint.restingstate.Roi.parse(rois.get(i)).voxels(run.grid());
                for (int v = 0; v < in.length; v++) if (in[v] && lab[v] == 0) lab[v] = i + 1;
            }
            for (TaskData.ContrastMaps m : r.maps()) {
                float[] vol = new float[run.grid().size()];
                int[] vox = run.voxels();
                for (int i = 0; i < vox.length; i++) vol[vox[i]] = (float) m.z()[i];
                ImagePlus imp = MapImage.imagePlus(vol, run.grid(), base + "_contrast-" + m.contrast().label() + "_stat-z",
                    bold, run.image(), null);
                if (!rois.isEmpty()) {
                    int[] labels = java.util.stream.IntStream.rangeClosed(1, rois.size()).toArray();
                    Outlines.drawGrid(imp, lab, labels);
                }
                images.add(imp);
            }
        }
        return new Output(t, images);
    }
}
