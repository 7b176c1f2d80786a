package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.imagej.MrsPlugin;
import org.ketaprint.imagej.Results;
import org.ketaprint.mrs.MrsStage;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint mrs}: tissue-corrected glutamate and the voxel on the T1 (stage parameters generated). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>MRS voxel", headless = true)
public class MrsVoxelCommand extends GeneratedCommand {
    @Parameter(label = "Results (LCModel .table, FSL-MRS folder, Osprey TSV)", style = "open")
    public File results;

    @Parameter(label = "Voxel NIfTI-MRS", style = "open")
    public File voxel;

    @Parameter(label = "GM probseg (T1w)", style = "open")
    public File gm;

    @Parameter(label = "WM probseg (T1w)", style = "open")
    public File wm;

    @Parameter(label = "CSF probseg (T1w)", style = "open")
    public File csf;

    @Parameter(label = "T1w image to show (blank: the GM map)", style = "open", required = false)
    public File t1;

    @Parameter(label = "Show the voxel on the T1", required = false)
    public boolean show = true;

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable table;

    @Parameter(type = ItemIO.OUTPUT, required = false)
    public ImagePlus image;

    @Override
    protected void declare() {
        ParamItems.add(this, MrsStage.Params.class, MrsPlugin.SKIP);
    }

    @Override
    public void run() {
        MrsPlugin.Output out = MrsPlugin.run(results.toPath(), voxel.toPath(), gm.toPath(), wm.toPath(), csf.toPath(),
            t1 == null ? null : t1.toPath(), ParamItems.given(this, MrsStage.Params.class, MrsPlugin.SKIP), show, s -> {
                if (log != null) log.info("ketaprint: " + s);
            });
        if (tsv != null) out.table().write(tsv.toPath());
        table = Results.toResultsTable(out.table());
        image = out.image();
        CommandOutput.show(table, "Results");
    }
}
