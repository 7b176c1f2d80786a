package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.AlffPlugin;
import org.ketaprint.imagej.Results;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint alff}: ALFF and fALFF maps and their ROI means. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>ALFF", headless = true)
public class AlffMapsCommand extends DenoisingCommand {
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

    @Parameter(label = "ROI (sphere:X,Y,Z,R or atlas:FILE:LABEL)")
    public String roi;

    @Parameter(label = "ALFF and fALFF maps as images", required = false)
    public boolean maps = true;

    @Parameter(label = "Output prefix (optional)", required = false)
    public String prefix = "";

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Parameter(type = ItemIO.OUTPUT, required = false)
    public ImagePlus alff;

    @Parameter(type = ItemIO.OUTPUT, required = false)
    public ImagePlus falff;

    @Override
    public void run() {
        if (image == null && file == null) throw new KetaprintException("no BOLD: give an image or a file");
        AlffPlugin.Output out = AlffPlugin.run(image, image == null ? file.toPath() : null,
            options(mask, confounds, gsr), roi, maps, prefix, s -> {
                if (log != null) log.info("ketaprint: " + s);
            });
        if (tsv != null) out.table().write(tsv.toPath());
        results = Results.toResultsTable(out.table());
        alff = out.alff();
        falff = out.falff();
        CommandOutput.show(results, "Results");
    }
}
