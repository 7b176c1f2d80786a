package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.imagej.RegionVolumesPlugin;
import org.ketaprint.imagej.Results;
import org.ketaprint.table.Table;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint volumes} on a label image: label, name, voxels, volume_mm3. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Region volumes", headless = true)
public class RegionVolumesCommand implements Command {
    @Parameter(label = "Label image")
    public ImagePlus image;

    @Parameter(label = "Labels (numbers or names, blank = all)", required = false)
    public String labels = "";

    @Parameter(label = "Lookup table (blank = FreeSurfer)", style = "open", required = false)
    public File lut;

    @Parameter(label = "Show outlines as overlay", required = false)
    public boolean outlines;

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Override
    public void run() {
        Table t = RegionVolumesPlugin.run(image, labels, lut == null ? null : lut.getPath(), null, outlines);
        if (tsv != null) t.write(tsv.toPath());
        results = Results.toResultsTable(t);
        CommandOutput.show(results, RegionVolumesPlugin.TABLE);
    }
}
