package org.ketaprint.imagej.commands;

import ij.measure.ResultsTable;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.Actions;
import org.ketaprint.imagej.Results;
import org.ketaprint.table.Table;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** The BIDS pipeline (participant then group level); output: the group features table. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Run pipeline on a BIDS folder", headless = true)
public class RunPipelineCommand implements Command {
    @Parameter(label = "BIDS folder", style = "directory")
    public File bids;

    @Parameter(label = "Output folder", style = "directory")
    public File output;

    @Parameter(label = "Pipeline (name or YAML file)", required = false)
    public String pipeline = "ketamine-response";

    @Parameter(label = "Participants (blank = all)", required = false)
    public String participants = "";

    @Parameter(label = "Threads", min = "1", required = false)
    public int threads = 1;

    @Parameter(required = false)
    public LogService log;

    @Parameter(type = ItemIO.OUTPUT)
    public ResultsTable results;

    @Override
    public void run() {
        Actions.PipelineRun r = new Actions.PipelineRun();
        r.bids = bids.toPath();
        r.out = output.toPath();
        if (pipeline != null && !pipeline.isBlank()) r.pipeline = pipeline.trim();
        r.threads = Math.max(1, threads);
        r.participants = participants == null || participants.isBlank() ? List.of()
            : Arrays.stream(participants.trim().split("[,\\s]+")).map(s -> s.replaceFirst("^sub-", "")).toList();
        Table t;
        try {
            t = Actions.runPipeline(r, s -> {
                if (log != null) log.info("ketaprint: " + s);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KetaprintException("pipeline interrupted");
        }
        results = Results.toResultsTable(t);
        CommandOutput.show(results, "ketaprint features");
    }
}
