package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.imagej.Actions;
import org.ketaprint.imagej.Results;
import org.ketaprint.imagej.RoiStatsPlugin;
import org.ketaprint.nifti.Images;
import org.ketaprint.table.Table;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint roistats} of a 3D map: label, name, voxels, mean, median, std, nonfinite. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>ROI statistics", headless = true)
public class RoiStatisticsCommand implements Command {
    @Parameter(label = "Map")
    public ImagePlus image;

    @Parameter(label = "Atlas label image", style = "open")
    public File atlas;

    @Parameter(label = "Lookup table (blank = the table beside the atlas)", style = "open", required = false)
    public File lut;

    @Parameter(label = "Labels (numbers or names, blank = all)", required = false)
    public String labels = "";

    @Parameter(label = "Mask file (on the map's grid)", style = "open", required = false)
    public File mask;

    @Parameter(label = "Only voxels above (blank = no threshold)", required = false)
    public Double above;

    @Parameter(label = "Threshold image file (blank = the map)", style = "open", required = false)
    public File thresholdImage;

    @Parameter(label = "Show outlines as overlay", required = false)
    public boolean outlines;

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Override
    public void run() {
        Actions.RoiRun r = new Actions.RoiRun();
        r.atlas = Images.open(atlas.toPath());
        r.lut = lut == null ? null : lut.toPath();
        r.labels = labels;
        r.mask = mask == null ? null : Images.open(mask.toPath());
        r.above = above;
        r.thresholdImage = thresholdImage == null ? null : Images.open(thresholdImage.toPath());
        Table t = RoiStatsPlugin.run(image, r, outlines);
        if (tsv != null) t.write(tsv.toPath());
        results = Results.toResultsTable(t);
        CommandOutput.show(results, "Results");
    }
}
