package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Images;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>ROI statistics: {@code ketaprint roistats} of the current map in each atlas label; rows in
 * ImageJ's Results table, the atlas labels (resampled onto the map) as outlines in the map's overlay.
 */
public final class RoiStatsPlugin implements PlugIn {
    public static final String NONE = "none";
    public static final String THIS_MAP = "the map itself";

    @Override
    public void run(String arg) {
        ImagePlus imp = IJ.getImage();
        if (imp == null) return;
        String[] titles = WindowManager.getImageTitles();
        String[] masks = new String[titles.length + 1];
        masks[0] = NONE;
        System.arraycopy(titles, 0, masks, 1, titles.length);
        String[] thresholds = masks.clone();
        thresholds[0] = THIS_MAP;
        OptionsDialog gd = new OptionsDialog("ketaprint: ROI statistics");
        gd.addFile("Atlas label image", "");
        gd.addFile("Lookup table (blank = the table beside the atlas)", "");
        gd.addString("Labels (numbers or names, blank = all)", "");
        gd.addChoice("Mask image", masks, NONE);
        gd.addString("Only voxels above (blank = no threshold)", "");
        gd.addChoice("Threshold image", thresholds, THIS_MAP);
        gd.addCheckbox("Show outlines as overlay", true);
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        String atlas = gd.nextString().trim();
        String lut = gd.nextString().trim();
        String labels = gd.nextString();
        String mask = gd.nextChoice();
        String above = gd.nextString().trim();
        String thr = gd.nextChoice();
        boolean outlines = gd.nextBoolean();
        String tsv = gd.nextString();
        Ij1.guard("ROI statistics", () -> {
            if (atlas.isEmpty()) throw new KetaprintException("no atlas label image given");
            Actions.RoiRun r = new Actions.RoiRun();
            r.atlas = Images.open(Path.of(atlas));
            r.lut = lut.isEmpty() ? null : Path.of(lut);
            r.labels = labels;
            if (!mask.equals(NONE)) r.mask = new ImagePlusImage(WindowManager.getImage(mask));
            if (!above.isEmpty()) {
                try {
                    r.above = Double.parseDouble(above);
                } catch (NumberFormatException e) {
                    throw new KetaprintException("threshold '" + above + "' is not a number");
                }
                if (!thr.equals(THIS_MAP)) r.thresholdImage = new ImagePlusImage(WindowManager.getImage(thr));
            }
            Ij1.showAsResults(run(imp, r, outlines), tsv);
        });
    }

    /** The statistics table of the map {@code imp}; draws the labels' outlines into its overlay when asked. */
    public static Table run(ImagePlus imp, Actions.RoiRun r, boolean outlines) {
        Actions.RoiResult res = Actions.roiStats(new ImagePlusImage(imp), r);
        if (outlines) {
            int[] labels = res.table().rows().stream().mapToInt(row -> Integer.parseInt(row.get("label"))).toArray();
            Outlines.drawGrid(imp, res.labelsOnMapGrid(), labels);
        }
        return res.table();
    }
}
