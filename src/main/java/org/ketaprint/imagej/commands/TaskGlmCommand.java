package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.Results;
import org.ketaprint.imagej.TaskGlmPlugin;
import org.ketaprint.taskfmri.TaskStage;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** {@code ketaprint glm}: a task run's first-level GLM, contrast ROI means and z maps (model items from the stage). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Task GLM", headless = true)
public class TaskGlmCommand extends GeneratedCommand {
    @Parameter(label = "BOLD image (blank: the file below)", required = false)
    public ImagePlus image;

    @Parameter(label = "BOLD file (if no image)", style = "open", required = false)
    public File file;

    @Parameter(label = "Brain mask", style = "open")
    public File mask;

    @Parameter(label = "Events TSV", style = "open")
    public File events;

    @Parameter(label = "Confounds TSV (blank = none)", style = "open", required = false)
    public File confounds;

    @Parameter(label = "Contrast (e.g. fearful - neutral)")
    public String contrast = "fearful - neutral";

    @Parameter(label = "ROI (sphere:X,Y,Z,R or atlas:FILE:LABEL; blank = maps only)", required = false)
    public String roi = "";

    @Parameter(label = "z map as an image", required = false)
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
    public ImagePlus zmap;

    @Override
    protected void declare() {
        ParamItems.add(this, TaskStage.Params.class, TaskGlmPlugin.SKIP);
    }

    @Override
    public void run() {
        if (image == null && file == null) throw new KetaprintException("no BOLD: give an image or a file");
        TaskGlmPlugin.Output out = TaskGlmPlugin.run(image, image == null ? file.toPath() : null, mask.toPath(),
            events.toPath(), confounds == null ? null : confounds.toPath(), List.of(contrast),
            roi == null || roi.isBlank() ? List.of() : List.of(roi.trim()),
            ParamItems.given(this, TaskStage.Params.class, TaskGlmPlugin.SKIP), maps, prefix, s -> {
                if (log != null) log.info("ketaprint: " + s);
            });
        if (tsv != null) out.table().write(tsv.toPath());
        results = Results.toResultsTable(out.table());
        zmap = out.zMaps().isEmpty() ? null : out.zMaps().get(0);
        CommandOutput.show(results, "Results");
    }
}
