package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.restingstate.Band;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.RestingStateStage;
import org.ketaprint.restingstate.Cleaning;
import org.ketaprint.restingstate.Confounds;
import org.ketaprint.restingstate.Settings;
import org.ketaprint.restingstate.Strategy;
import org.ketaprint.table.Json;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options shared by seedcorr, alff and gbc (a picocli mixin): the run and how it is denoised. */
public final class RestingOptions {
    @Parameters(index = "0", paramLabel = "BOLD", description = "Preprocessed BOLD run (4D NIfTI, MNI space).")
    Path bold;

    @Option(names = "--mask", required = true, paramLabel = "M", description = "Brain mask (voxels > 0).")
    Path mask;

    @Option(names = "--confounds", paramLabel = "TSV", description = "fMRIPrep *_desc-confounds_timeseries.tsv.")
    Path confounds;

    @Option(names = "--columns", split = ",", paramLabel = "a,b,c",
        description = "Explicit confound columns (the same as --strategy a,b,c).")
    List<String> columns;

    @Option(names = "--gsr", description = "Also regress the global signal (confounds column, else the brain-mask mean).")
    boolean gsr;

    @Option(names = "--lut", paramLabel = "F", description = "Names of the labels of atlas:FILE:LABEL ROIs (FreeSurfer LUT, "
        + "FSL XML, BIDS dseg.tsv, mricron .txt); default: the table beside the atlas (FILE.txt, .xml, .tsv, or a BIDS "
        + "dseg.tsv that applies to it by inheritance).")
    Path lut;

    /** An ROI as written on the command line, atlas label names through --lut when given. */
    org.ketaprint.restingstate.Roi roi(String spec) {
        return org.ketaprint.restingstate.Roi.parse(spec, lut == null ? null : org.ketaprint.atlas.LabelTable.read(lut));
    }

    /** The command this mixin is in: --strategy, --fd-threshold, --min-seconds, --band, --tr are generated there. */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Adds the denoising options, generated from the resting-state stage's parameter record. */
    static picocli.CommandLine withDenoisingOptions(Object command) {
        picocli.CommandLine cl = new picocli.CommandLine(command);
        ParamOptions.add(cl.getCommandSpec(), RestingStateStage.Params.class, java.util.Set.of("gm_threshold", "write_maps"));
        return cl;
    }

    /** The stage's parameters as given here; without --strategy: 24P with --confounds, none without. */
    RestingStateStage.Params params() {
        java.util.Map<String, Object> given = ParamOptions.given(mixee, RestingStateStage.Params.class);
        if (columns != null) {
            if (given.containsKey("strategy")) throw new KetaprintException("give --strategy or --columns, not both");
            given.put("strategy", columns);
        }
        given.putIfAbsent("strategy", confounds != null ? "24P" : "none");
        return org.ketaprint.measure.ParamSet.of(RestingStateStage.Params.class).bind(given);
    }

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    Settings settings() {
        Settings s = params().settings();
        return gsr ? s.withStrategy(s.strategy().withGsr()) : s;
    }

    /** Wall-clock seconds: loading the run, and the computation (set by the command). */
    double loadSeconds;
    double computeSeconds;
    double computeCpuSeconds;

    /** CPU seconds used by this process so far (all threads). */
    static double cpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    BoldRun run() {
        long t0 = System.nanoTime();
        Double tr = params().tr();
        BoldRun run = BoldRun.load(bold, mask, tr == null ? Double.NaN : tr);
        loadSeconds = (System.nanoTime() - t0) / 1e9;
        for (String w : run.warnings()) System.err.println("ketaprint: warning: " + w);
        return run;
    }

    Confounds readConfounds() {
        return confounds == null ? null : Confounds.read(confounds);
    }

    /** The common part of the JSON record: counts, TR and every parameter. */
    ObjectNode record(BoldRun run, Settings s, Cleaning c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        for (var e : org.ketaprint.restingstate.Quality.values(c.censoring()).entrySet()) {
            if (e.getKey().startsWith("n_")) o.put(e.getKey(), e.getValue().intValue()); else Json.putNumber(o, e.getKey(), e.getValue());
        }
        o.put("tr", run.tr());
        if (c.naReason() == null) o.putNull("na_reason"); else o.put("na_reason", c.naReason());
        o.putObject("timing").put("load_s", loadSeconds).put("compute_s", computeSeconds).put("compute_cpu_s", computeCpuSeconds)
            .put("threads", java.util.concurrent.ForkJoinPool.commonPool().getParallelism());
        ObjectNode p = o.putObject("parameters");
        p.put("bold", bold.toString());
        p.put("mask", mask.toString());
        if (confounds == null) p.putNull("confounds"); else p.put("confounds", confounds.toString());
        if (lut != null) p.put("lut", lut.toString());
        p.put("strategy", s.strategy().name());
        var cols = p.putArray("confound_columns");
        s.strategy().regressorNames().forEach(cols::add);
        var derived = p.putArray("confounds_derived");
        c.derivedConfounds().forEach(derived::add);
        p.put("gsr", s.strategy().gsr());
        if (c.globalSource() == null) p.putNull("global_signal_source"); else p.put("global_signal_source", c.globalSource());
        p.put("fd_threshold_mm", s.fdThreshold());
        p.put("min_seconds", s.minSeconds());
        if (s.band() == null) {
            p.putNull("band_hz");
        } else {
            p.putArray("band_hz").add(s.band().low()).add(s.band().high());
        }
        p.put("tr_source", run.trSource());
        p.put("volumes", run.volumes());
        p.put("mask_voxels", run.size());
        p.put("design_columns", c.denoiser().regressors().size());
        p.put("design_rank", c.denoiser().rank());
        p.put("method", "OLS projection (3dTproject-style): constant + linear trend + confounds + sin/cos at "
            + "DFT frequencies outside the band; censored rows dropped");
        return o;
    }
}
