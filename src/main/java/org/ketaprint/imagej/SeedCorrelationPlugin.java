package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>Seed correlation: {@code ketaprint seedcorr} on the open 4D BOLD (or a file); r and z in
 * ImageJ's Results table, the seed-to-voxel r map as a new image with the seed (1) and target (2) outlined.
 */
public final class SeedCorrelationPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: Seed correlation");
        BoldImages.addFields(gd);
        gd.addString("Seed ROI (sphere:X,Y,Z,R or atlas:FILE:LABEL)", "");
        gd.addString("Target ROI (optional, same syntax)", "");
        gd.addCheckbox("Seed-to-voxel r map as an image", true);
        gd.addString("Output prefix (optional: writes PREFIX_r, PREFIX_z .nii.gz)", "");
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        BoldImages.Choice c = BoldImages.readFields(gd);
        String seed = gd.nextString().trim();
        String target = gd.nextString().trim();
        boolean map = gd.nextBoolean();
        String prefix = gd.nextString().trim();
        String tsv = gd.nextString();
        Ij1.guard("seed correlation", () -> {
            IJ.showStatus("ketaprint: seed correlation...");
            Output out = run(c.image, c.file, c.options, seed, target, map, prefix, s -> IJ.log("ketaprint: " + s));
            Ij1.showAsResults(out.table(), tsv);
            if (out.rMap() != null) out.rMap().show();
            IJ.showStatus("ketaprint: seed correlation done");
        });
    }

    /** The table and, when asked, the r map image (not shown). */
    public record Output(Table table, ImagePlus rMap) {
    }

    /** Seed correlation of the open image {@code bold} (or, when it is null, {@code file}). */
    public static Output run(ImagePlus bold, Path file, RestingActions.Options o, String seed, String target, boolean map,
                             String prefix, Consumer<String> log) {
        BoldRun run = BoldImages.load(bold, file, o, log);
        RestingActions.SeedResult r = BoldImages.named(run, bold,
            () -> RestingActions.seedCorrelation(run, o, seed, target, map, prefix, log));
        ImagePlus img = null;
        if (map && r.rMap() != null) {
            String base = (bold != null ? bold.getTitle() : file.getFileName().toString()).replaceFirst("\\.(nii\\.gz|nii)$", "");
            Path written = prefix == null || prefix.isBlank() ? null : Path.of(prefix + "_r.nii.gz");
            img = MapImage.imagePlus(run.toVolume(r.rMap(), 0f), run.grid(), base + "_r", bold, run.image(), written);
            int[] lab = new int[run.grid().size()];
            for (int v : r.seedVoxels()) lab[v] = 1;
            if (r.targetVoxels() != null) for (int v : r.targetVoxels()) lab[v] = 2;
            Outlines.drawGrid(img, lab, r.targetVoxels() != null ? new int[] {1, 2} : new int[] {1});
        }
        return new Output(r.table(), img);
    }
}
