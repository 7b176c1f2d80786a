package org.ketaprint.imagej.commands;

import ij.measure.ResultsTable;
import java.io.File;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.Actions;
import org.ketaprint.imagej.Results;
import org.ketaprint.table.Table;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * The BIDS pipeline (participant then group level) with the participant run's options; output: the group features
 * table. Several folders in {@code derivatives} or {@code atlasFolders} are separated by ';'. The options added for
 * issue 13 are not persisted, so a script that leaves one out never gets a value from an earlier run.
 */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Run pipeline on a BIDS folder", headless = true)
public class RunPipelineCommand implements Command {
    @Parameter(label = "BIDS folder", style = "directory")
    public File bids;

    @Parameter(label = "Derivatives folders (extra; ';' between; BIDS/derivatives always searched)", required = false, persist = false)
    public String derivatives = "";

    @Parameter(label = "Output folder", style = "directory")
    public File output;

    @Parameter(label = "Atlas folders (searched first; ';' between; then FSL, mricron)", required = false, persist = false)
    public String atlasFolders = "";

    @Parameter(label = "Pipeline (name or YAML file)", required = false)
    public String pipeline = "ketamine-response";

    @Parameter(label = "Participants (blank = all)", required = false)
    public String participants = "";

    @Parameter(label = "Sessions (blank = all)", required = false, persist = false)
    public String sessions = "";

    @Parameter(label = "Space of files without space- entity (blank = native)", required = false, persist = false)
    public String space = "";

    @Parameter(label = "Threads", min = "1", required = false)
    public int threads = 1;

    @Parameter(label = "Skip subjects already done", required = false, persist = false)
    public boolean skipExisting;

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
        r.derivatives = Actions.folders(derivatives);
        r.atlasDirs = Actions.folders(atlasFolders);
        r.participants = Actions.labels(participants, "sub-");
        r.sessions = Actions.labels(sessions, "ses-");
        r.space = space == null || space.isBlank() ? null : space.trim();
        r.threads = Math.max(1, threads);
        r.skipExisting = skipExisting;
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
