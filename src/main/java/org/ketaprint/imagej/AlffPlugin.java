package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>ALFF: {@code ketaprint alff} on the open 4D BOLD (or a file); ROI means in ImageJ's
 * Results table, ALFF and fALFF maps as new images with the ROI outlined.
 */
public final class AlffPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: ALFF");
        BoldImages.addFields(gd);
        gd.addString("ROI (sphere:X,Y,Z,R or atlas:FILE:LABEL)", "");
        gd.addCheckbox("Show ALFF and fALFF maps", true);
        gd.addString("Output prefix (optional: writes PREFIX_alff, PREFIX_falff .nii.gz)", "");
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        BoldImages.Choice c = BoldImages.readFields(gd);
        String roi = gd.nextString().trim();
        boolean maps = gd.nextBoolean();
        String prefix = gd.nextString().trim();
        String tsv = gd.nextString();
        Ij1.guard("ALFF", () -> {
            IJ.showStatus("ketaprint: ALFF...");
            Output out = run(c.image, c.file, c.options, roi, maps, prefix, s -> IJ.log("ketaprint: " + s));
            Ij1.showAsResults(out.table(), tsv);
            if (out.alff() != null) {
                out.alff().show();
                out.falff().show();
            }
            IJ.showStatus("ketaprint: ALFF done");
        });
    }

    /** The table and, when asked, the ALFF and fALFF images (not shown). */
    public record Output(Table table, ImagePlus alff, ImagePlus falff) {
    }

    /** ALFF/fALFF of the open image {@code bold} (or, when it is null, {@code file}). */
    public static Output run(ImagePlus bold, Path file, RestingActions.Options o, String roi, boolean maps, String prefix,
                             Consumer<String> log) {
        BoldRun run = BoldImages.load(bold, file, o, log);
        RestingActions.AlffResult r = BoldImages.named(run, bold, () -> RestingActions.alff(run, o, roi, prefix, log));
        if (!maps || r.alff() == null) return new Output(r.table(), null, null);
        String base = (bold != null ? bold.getTitle() : file.getFileName().toString()).replaceFirst("\\.(nii\\.gz|nii)$", "");
        boolean write = prefix != null && !prefix.isBlank();
        ImagePlus[] out = new ImagePlus[2];
        String[] names = {"alff", "falff"};
        double[][] values = {r.alff(), r.falff()};
        int[] lab = new int[run.grid().size()];
        for (int v : r.roiVoxels()) lab[v] = 1;
        for (int i = 0; i < 2; i++) {
            out[i] = MapImage.imagePlus(run.toVolume(values[i], 0f), run.grid(), base + "_" + names[i], bold, run.image(),
                write ? Path.of(prefix + "_" + names[i] + ".nii.gz") : null);
            Outlines.drawGrid(out[i], lab, new int[] {1});
        }
        return new Output(r.table(), out[0], out[1]);
    }
}
