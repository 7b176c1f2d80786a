package org.ketaprint.imagej.commands;

import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.imagej.Actions;
import org.ketaprint.imagej.Results;
import org.ketaprint.table.Table;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint info} of a file as a one-row table. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Image info", headless = true)
public class ImageInfoCommand implements Command {
    @Parameter(label = "Image file", style = "open")
    public File file;

    @Parameter(label = "Statistics (min, max, mean, sum)", required = false)
    public boolean stats;

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Override
    public void run() {
        Table t = Actions.info(file.toPath(), stats);
        if (tsv != null) t.write(tsv.toPath());
        results = Results.toResultsTable(t);
        CommandOutput.show(results, "ketaprint info");
    }
}
