package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.Results;
import org.ketaprint.imagej.SeedCorrelationPlugin;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint seedcorr}: r and z of two ROIs' clean series, and the seed-to-voxel r map. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Seed correlation", headless = true)
public class SeedCorrelationCommand extends DenoisingCommand {
    @Parameter(label = "BOLD image (blank: the file below)", required = false)
    public ImagePlus image;

    @Parameter(label = "BOLD file (if no image)", style = "open", required = false)
    public File file;

    @Parameter(label = "Brain mask", style = "open")
    public File mask;

    @Parameter(label = "Confounds TSV (blank = none)", style = "open", required = false)
    public File confounds;

    @Parameter(label = "Global signal regression", required = false)
    public boolean gsr;

    @Parameter(label = "Seed ROI (sphere:X,Y,Z,R or atlas:FILE:LABEL)")
    public String seed;

    @Parameter(label = "Target ROI (optional)", required = false)
    public String target = "";

    @Parameter(label = "Seed-to-voxel r map as an image", required = false)
    public boolean map = true;

    @Parameter(label = "Output prefix (optional)", required = false)
    public String prefix = "";

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Parameter(type = ItemIO.OUTPUT, required = false)
    public ImagePlus rMap;

    @Override
    public void run() {
        if (image == null && file == null) throw new KetaprintException("no BOLD: give an image or a file");
        SeedCorrelationPlugin.Output out = SeedCorrelationPlugin.run(image, image == null ? file.toPath() : null,
            options(mask, confounds, gsr), seed, target, map, prefix, s -> {
                if (log != null) log.info("ketaprint: " + s);
            });
        if (tsv != null) out.table().write(tsv.toPath());
        results = Results.toResultsTable(out.table());
        rMap = out.rMap();
        CommandOutput.show(results, "Results");
    }
}
