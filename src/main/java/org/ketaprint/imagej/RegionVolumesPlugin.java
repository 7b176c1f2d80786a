package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>Region volumes: {@code ketaprint volumes} on the current label image, outlines as overlay;
 * the rows go to ImageJ's Results table.
 */
public final class RegionVolumesPlugin implements PlugIn {
    public static final String TABLE = "Results";

    @Override
    public void run(String arg) {
        ImagePlus imp = IJ.getImage();
        if (imp == null) return;
        String[] titles = WindowManager.getImageTitles();
        String[] masks = new String[titles.length + 1];
        masks[0] = "none";
        System.arraycopy(titles, 0, masks, 1, titles.length);
        OptionsDialog gd = new OptionsDialog("ketaprint: Region volumes");
        gd.addString("Labels (numbers or names, blank = all)", "");
        gd.addFile("Lookup table (blank = FreeSurfer)", "");
        gd.addChoice("Mask image", masks, "none");
        gd.addCheckbox("Show outlines as overlay", true);
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        String labels = gd.nextString();
        String lut = gd.nextString();
        String mask = gd.nextChoice();
        boolean outlines = gd.nextBoolean();
        String tsv = gd.nextString();
        Ij1.guard("region volumes", () -> {
            Table t = run(imp, labels, lut, mask.equals("none") ? null : WindowManager.getImage(mask), outlines);
            Ij1.showAsResults(t, tsv);
        });
    }

    /** The volumes table of {@code imp}; draws label outlines into its overlay when asked. */
    public static Table run(ImagePlus imp, String labels, String lut, ImagePlus mask, boolean outlines) {
        if (mask != null && mask == imp) throw new KetaprintException(imp.getTitle() + ": the mask is the label image itself");
        Table t = Actions.regionVolumes(new ImagePlusImage(imp), labels, lut == null || lut.isBlank() ? null : Path.of(lut),
            mask == null ? null : new ImagePlusImage(mask), w -> IJ.log("ketaprint: warning: " + w));
        if (outlines) Outlines.draw(imp, t.rows().stream().mapToInt(r -> Integer.parseInt(r.get("label"))).toArray());
        return t;
    }
}
