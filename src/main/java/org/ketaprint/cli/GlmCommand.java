package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.table.Json;
import org.ketaprint.taskfmri.Contrast;
import org.ketaprint.taskfmri.GlmJob;
import org.ketaprint.taskfmri.Hrf;
import org.ketaprint.taskfmri.TaskData;
import org.ketaprint.taskfmri.TaskMaps;
import org.ketaprint.taskfmri.TaskRun;
import org.ketaprint.taskfmri.TaskStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint glm}: a first-level GLM of one task run, its contrast maps and their ROI means. */
@Command(name = "glm", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "First-level GLM of a task run as nilearn's FirstLevelModel defines it (HRF-convolved conditions, "
        + "cosine drift, confounds, FD spike regressors, percent-signal scaling, OLS or binned AR(1)); for each "
        + "--contrast: PREFIX_contrast-LABEL_stat-{effect,variance,t,z,p}_statmap.nii.gz, PREFIX_design.tsv, and the "
        + "mean effect and z over each --roi.")
public final class GlmCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "BOLD", description = "Preprocessed task BOLD run (4D NIfTI).")
    Path bold;

    @Option(names = "--events", required = true, paramLabel = "TSV", description = "BIDS events.tsv (onset, duration, trial_type, modulation).")
    Path events;

    @Option(names = "--confounds", paramLabel = "TSV", description = "fMRIPrep *_desc-confounds_timeseries.tsv (needed unless --strategy none).")
    Path confounds;

    @Option(names = "--mask", required = true, paramLabel = "M", description = "Brain mask (voxels > 0).")
    Path mask;

    @Option(names = "--contrast", required = true, paramLabel = "EXPR",
        description = "t contrast, repeatable: 'fearful - neutral', '0.5*a + 0.5*b - c', or NAME=EXPR.")
    List<String> contrasts;

    @Option(names = "--roi", paramLabel = "ROI", description = "sphere:X,Y,Z,R (mm) or atlas:FILE:LABEL[+LABEL...], repeatable.")
    List<String> rois = List.of();

    @Option(names = "--lut", paramLabel = "F", description = "Label names for atlas: ROIs (else the table beside the atlas).")
    Path lut;

    @Option(names = "--out", paramLabel = "PREFIX", description = "Write the maps and PREFIX_design.tsv.")
    String out;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    CompressionOption compression;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        org.ketaprint.nifti.Compression comp = compression.get();
        TaskStage.Params p = ParamSet.of(TaskStage.Params.class).bind(ParamOptions.given(spec, TaskStage.Params.class));
        GlmJob.check(contrasts, out);   // a malformed contrast or prefix fails before the data is read
        org.ketaprint.atlas.LabelTable names = lut == null ? null : org.ketaprint.atlas.LabelTable.read(lut);
        GlmJob job = new GlmJob(p, contrasts, rois, names, out, comp);
        BoldRun run = BoldRun.load(bold, mask, p.tr() == null ? Double.NaN : p.tr());
        long t0 = System.nanoTime();
        GlmJob.Result res = job.run(run, events, confounds, TaskMaps.sidecar(bold), s -> {
            if (s.startsWith("warning: ")) System.err.println("ketaprint: " + s);
        });
        TaskRun fit = res.fit();
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode cols = o.putArray("design_columns");
        fit.design().names().forEach(cols::add);
        o.put("dof", fit.glm().dof());
        o.put("tr", run.tr());
        o.put("tr_source", run.trSource());
        o.put("slice_time_ref", fit.sliceTimeRef());
        o.put("slice_time_ref_source", fit.sliceTimeSource());
        o.put("hrf", Hrf.parse(p.hrf()).name());
        o.put("noise_model", fit.glm().noise().label());
        o.put("ar1_bins", fit.glm().bins());
        o.put("high_pass_hz", p.highPass());
        o.put("strategy", String.join("+", p.strategy()));
        o.put("fd_threshold_mm", p.fdThreshold());
        o.put("n_spikes", fit.spikes());
        Json.putNumber(o, "fd_mean_mm", fit.fdMean());
        o.put("volumes", run.volumes());
        o.put("mask_voxels", run.size());
        o.put("events", events.toString());
        if (confounds == null) o.putNull("confounds"); else o.put("confounds", confounds.toString());
        ArrayNode warn = o.putArray("warnings");
        fit.warnings().forEach(warn::add);
        ArrayNode cs = o.putArray("contrasts");
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "design\t%d columns, dof %d, %s%n", fit.design().columns(), fit.glm().dof(),
            fit.glm().noise().label()));
        for (TaskData.ContrastMaps m : res.maps()) {
            Contrast c = m.contrast();
            ObjectNode co = cs.addObject();
            co.put("name", c.label());
            co.put("expression", c.expression());
            ObjectNode w = co.putObject("weights");
            double[] weights = fit.weights(c);
            for (int j = 0; j < weights.length; j++) if (weights[j] != 0) w.put(fit.design().names().get(j), weights[j]);
            ArrayNode rs = co.putArray("rois");
            for (GlmJob.RoiValue v : res.values()) {
                if (!v.contrast().equals(c.label())) continue;
                ObjectNode ro = rs.addObject();
                ro.put("roi", v.roi());
                ro.put("voxels", v.voxels());
                Json.putNumber(ro, "beta", v.beta());
                Json.putNumber(ro, "z", v.z());
                Json.putNumber(ro, "t", v.t());
                text.append(String.format(Locale.ROOT, "%s\t%s\tbeta %s\tz %s\t(%d voxels)%n", c.label(), v.roi(),
                    SeedCorrCommand.fmt(v.beta()), SeedCorrCommand.fmt(v.z()), v.voxels()));
            }
            if (rois.isEmpty()) text.append(c.label()).append("\tmaps only (no --roi)\n");
        }
        ArrayNode files = o.putArray("written");
        res.written().forEach(f -> files.add(f.toString()));
        o.putObject("timing").put("fit_s", (System.nanoTime() - t0) / 1e9);
        if (json) System.out.println(Json.pretty(o)); else System.out.print(text);
        return 0;
    }

    @Override
    public picocli.CommandLine commandLine() {
        picocli.CommandLine cl = new picocli.CommandLine(this);
        ParamOptions.add(cl.getCommandSpec(), TaskStage.Params.class, java.util.Set.of("write_maps", "space"));
        return cl;
    }
}
