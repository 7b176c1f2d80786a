package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.restingstate.Alff;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.restingstate.Settings;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ketaprint alff}: ALFF and fALFF maps and their ROI means. */
@Command(name = "alff", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "ALFF (sample SD of the band-passed clean series) and fALFF (ALFF / SD of the series cleaned "
        + "without the band-pass regressors), C-PAC definitions; ROI mean of the voxel values; --out-map "
        + "writes PREFIX_alff.nii.gz and PREFIX_falff.nii.gz.")
public final class AlffCommand implements Callable<Integer>, Subcommand {
    @Mixin
    RestingOptions opt;

    @Option(names = "--roi", required = true, paramLabel = "ROI", description = "sphere:X,Y,Z,R or atlas:FILE:LABEL[+LABEL...] (label names: --lut, else the table beside FILE).")
    String roi;

    @Option(names = "--out-map", paramLabel = "PREFIX", description = "Write PREFIX_alff.nii.gz and PREFIX_falff.nii.gz.")
    String outMap;

    @Mixin
    CompressionOption compression;

    @Override
    public Integer call() {
        org.ketaprint.nifti.Compression comp = compression.get();   // a bad value fails before the work
        Settings s = opt.settings();
        Roi r = opt.roi(roi);
        BoldRun run = opt.run();
        long t0 = System.nanoTime();
        double c0 = RestingOptions.cpuSeconds();
        Alff.Result res = Alff.compute(run, opt.readConfounds(), s, r);
        opt.computeSeconds = (System.nanoTime() - t0) / 1e9;
        opt.computeCpuSeconds = RestingOptions.cpuSeconds() - c0;
        if (outMap != null && res.alff != null) {
            run.writeMap(outMap, "_alff", res.alff, comp);
            run.writeMap(outMap, "_falff", res.falff, comp);
        }
        ObjectNode o = opt.record(run, s, res.cleaning);
        Json.putNumber(o, "alff", res.roiAlff);
        Json.putNumber(o, "falff", res.roiFalff);
        if (res.naReason == null) o.putNull("na_reason"); else o.put("na_reason", res.naReason);
        ObjectNode p = (ObjectNode) o.get("parameters");
        p.put("roi", r.spec());
        p.put("roi_voxels", res.roiVoxels);
        p.put("statistic", "ALFF = SD (n-1) of the band-passed clean series; fALFF = ALFF / SD of the series "
            + "cleaned without band-pass regressors; ROI value = mean over voxels");
        if (opt.json) {
            System.out.println(Json.pretty(o));
        } else {
            if (res.naReason != null) System.out.println("n/a: " + res.naReason);
            System.out.printf(Locale.ROOT, "alff\t%s%nfalff\t%s%nn_used\t%d%nn_censored\t%d%ntr\t%s%n",
                SeedCorrCommand.fmt(res.roiAlff), SeedCorrCommand.fmt(res.roiFalff), res.used, res.censored, run.tr());
        }
        return 0;
    }

    @Override
    public picocli.CommandLine commandLine() {
        return RestingOptions.withDenoisingOptions(this);
    }
}
