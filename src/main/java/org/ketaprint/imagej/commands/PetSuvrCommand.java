package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.imagej.PetPlugin;
import org.ketaprint.imagej.Results;
import org.ketaprint.pet.PetStage;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint pet}: SUV, SUVR and GTM-corrected SUVR of ROIs (stage parameters generated from its record). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>PET SUVR", headless = true)
public class PetSuvrCommand extends GeneratedCommand {
    @Parameter(label = "PET file", style = "open")
    public File file;

    @Parameter(label = "Sidecar JSON (blank: beside the PET)", style = "open", required = false)
    public File sidecar;

    @Parameter(label = "Segmentation aseg (blank: none)", style = "open", required = false)
    public File seg;

    @Parameter(label = "ROIs (NAME=SPEC; separated by ;)", required = false)
    public String rois = "";

    @Parameter(label = "SUVR image", required = false)
    public boolean show = true;

    @Parameter(label = "Output prefix (optional)", required = false)
    public String prefix = "";

    @Parameter(label = "Save TSV (optional)", style = "save", required = false)
    public File tsv;

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Parameter(type = ItemIO.OUTPUT, required = false)
    public ImagePlus suvr;

    @Override
    protected void declare() {
        ParamItems.add(this, PetStage.Params.class, PetPlugin.SKIP);
    }

    @Override
    public void run() {
        PetPlugin.Output out = PetPlugin.run(file.toPath(), sidecar == null ? null : sidecar.toPath(), seg == null ? null : seg.toPath(),
            rois == null || rois.isBlank() ? java.util.List.of() : java.util.Arrays.stream(rois.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList(), ParamItems.given(this, PetStage.Params.class, PetPlugin.SKIP), show, prefix, s -> {
                if (log != null) log.info("ketaprint: " + s);
            });
        if (tsv != null) out.table().write(tsv.toPath());
        results = Results.toResultsTable(out.table());
        suvr = out.suvr();
        CommandOutput.show(results, "Results");
    }
}
