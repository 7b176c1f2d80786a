package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import java.io.File;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.Actions;
import org.ketaprint.imagej.DtiMapsPlugin;
import org.ketaprint.nifti.Images;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code ketaprint dti} on a 4D DWI (an open image, or a file when none is given): FA, MD, AD, RD images; with a
 * prefix, the maps of the generated item {@code write_maps} (the diffusion stage's declaration) are written.
 */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>DTI maps", headless = true)
public class DtiMapsCommand extends GeneratedCommand {
    @Parameter(label = "DWI image (blank: the file below)", required = false)
    public ImagePlus image;

    @Parameter(label = "DWI file (if no image)", style = "open", required = false)
    public File file;

    @Parameter(label = "b-values (.bval)", style = "open")
    public File bval;

    @Parameter(label = "Directions (.bvec)", style = "open")
    public File bvec;

    @Parameter(label = "Method", choices = {"wls", "ols"}, required = false)
    public String method = "wls";

    @Parameter(label = "Brain mask", choices = {DtiMapsPlugin.MEDIAN_OTSU, DtiMapsPlugin.NO_MASK, "file below"}, required = false)
    public String maskMode = DtiMapsPlugin.MEDIAN_OTSU;

    @Parameter(label = "Mask file", style = "open", required = false)
    public File mask;

    @Parameter(label = "Output prefix (optional: writes PREFIX_FA.nii.gz ...)", required = false)
    public String prefix = "";

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ImagePlus fa;

    @Parameter(type = ItemIO.OUTPUT)
    public ImagePlus md;

    @Parameter(type = ItemIO.OUTPUT)
    public ImagePlus ad;

    @Parameter(type = ItemIO.OUTPUT)
    public ImagePlus rd;

    @Override
    protected void declare() {
        ParamItems.add(this, DtiMapsPlugin.PARAMS, DtiMapsPlugin.NOT_MAPS);
    }

    @Override
    public void run() {
        if (image == null && file == null) throw new KetaprintException("no DWI: give an image or a file");
        Actions.DtiRun r = new Actions.DtiRun();
        r.bval = bval.toPath();
        r.bvec = bvec.toPath();
        if (method != null) r.method = method;
        if (mask != null) {
            r.mask = Images.open(mask.toPath());
        } else if (DtiMapsPlugin.NO_MASK.equals(maskMode)) {
            r.everyVoxel = true;
        } else if ("file below".equals(maskMode)) {
            throw new KetaprintException("brain mask: 'file below' chosen but no mask file given");
        }
        r.prefix = prefix;
        r.maps = DtiMapsPlugin.maps(ParamItems.given(this, DtiMapsPlugin.PARAMS, DtiMapsPlugin.NOT_MAPS));
        ImagePlus[] m = DtiMapsPlugin.run(image, image == null ? file.toPath() : null, r, s -> {
            if (log != null) log.info("ketaprint: " + s);
        });
        fa = m[0];
        md = m[1];
        ad = m[2];
        rd = m[3];
    }
}
