package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Gbc;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.restingstate.Settings;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ketaprint gbc}: voxelwise global brain connectivity over gray matter and its ROI mean. */
@Command(name = "gbc", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Global brain connectivity: per gray-matter voxel, the mean Fisher z (|r| clipped to 1-1e-7) of "
        + "its correlation with every other gray-matter voxel; with --gsr (or a strategy with the global "
        + "signal) this is GBCr. --out-map writes PREFIX_gbc.nii.gz.")
public final class GbcCommand implements Callable<Integer>, Subcommand {
    @Mixin
    RestingOptions opt;

    @Option(names = "--gm-mask", required = true, paramLabel = "M", description = "Gray-matter mask (voxels > 0).")
    Path gmMask;

    @Option(names = "--gm-threshold", paramLabel = "X", defaultValue = "0",
        description = "Gray matter = mask voxels above this (0.5 for a *_label-GM_probseg).")
    double gmThreshold;

    @Option(names = "--roi", paramLabel = "ROI", description = "sphere:X,Y,Z,R or atlas:FILE:LABEL[+LABEL...] (label names: --lut, else the table beside FILE).")
    String roi;

    @Option(names = "--out-map", paramLabel = "PREFIX", description = "Write PREFIX_gbc.nii.gz.")
    String outMap;

    @Mixin
    CompressionOption compression;

    @Override
    public Integer call() {
        org.ketaprint.nifti.Compression comp = compression.get();   // a bad value fails before the work
        if (roi == null && outMap == null) throw new org.ketaprint.KetaprintException("give --roi, --out-map or both");
        Settings s = opt.settings();
        Roi r = roi == null ? null : opt.roi(roi);
        BoldRun run = opt.run();
        boolean[] gm = Gbc.grayMatter(run, gmMask, gmThreshold);
        long t0 = System.nanoTime();
        double c0 = RestingOptions.cpuSeconds();
        Gbc.Result res = Gbc.compute(run, opt.readConfounds(), s, gm, r);
        opt.computeSeconds = (System.nanoTime() - t0) / 1e9;
        opt.computeCpuSeconds = RestingOptions.cpuSeconds() - c0;
        if (outMap != null && res.gbc != null) run.writeMap(outMap, "_gbc", res.gbc, comp);
        ObjectNode o = opt.record(run, s, res.cleaning);
        Json.putNumber(o, "gbc_z", res.roiMean);
        String na = res.naReason != null ? res.naReason : r == null ? "no --roi given: the map only" : null;
        if (na == null) o.putNull("na_reason"); else o.put("na_reason", na);
        ObjectNode p = (ObjectNode) o.get("parameters");
        p.put("gm_mask", gmMask.toString());
        p.put("gm_threshold", gmThreshold);
        p.put("gm_voxels", res.grayVoxels);
        if (r != null) {
            p.put("roi", r.spec());
            p.put("roi_voxels", res.roiVoxels);
        }
        p.put("statistic", "mean over every other gray-matter voxel of atanh(r), |r| clipped to 1-1e-7; ROI mean");
        if (opt.json) {
            System.out.println(Json.pretty(o));
        } else {
            if (res.naReason != null) System.out.println("n/a: " + res.naReason);
            System.out.printf(Locale.ROOT, "gbc_z\t%s%ngm_voxels\t%d%nn_used\t%d%nn_censored\t%d%ntr\t%s%n",
                SeedCorrCommand.fmt(res.roiMean), res.grayVoxels, res.used, res.censored, run.tr());
        }
        return 0;
    }

    @Override
    public picocli.CommandLine commandLine() {
        return RestingOptions.withDenoisingOptions(this);
    }
}
