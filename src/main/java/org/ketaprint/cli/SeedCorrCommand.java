package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Roi;
import org.ketaprint.restingstate.SeedCorrelation;
import org.ketaprint.restingstate.Settings;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ketaprint seedcorr}: seed-to-target Fisher z, and the seed-to-voxel r and z maps. */
@Command(name = "seedcorr", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Seed connectivity after 3dTproject-style denoising: Pearson r and Fisher z between the mean "
        + "clean series of two ROIs; --out-map writes PREFIX_r.nii.gz and PREFIX_z.nii.gz over the mask.")
public final class SeedCorrCommand implements Callable<Integer>, Subcommand {
    @Mixin
    RestingOptions opt;

    @Option(names = "--seed", required = true, paramLabel = "ROI", description = "sphere:X,Y,Z,R or atlas:FILE:LABEL[+LABEL...] (label names: --lut, else the table beside FILE).")
    String seed;

    @Option(names = "--target", paramLabel = "ROI", description = "Target ROI (same syntax); optional with --out-map.")
    String target;

    @Option(names = "--out-map", paramLabel = "PREFIX", description = "Write PREFIX_r.nii.gz and PREFIX_z.nii.gz.")
    String outMap;

    @Mixin
    CompressionOption compression;

    @Override
    public Integer call() {
        org.ketaprint.nifti.Compression comp = compression.get();   // a bad value fails before the work
        if (target == null && outMap == null) {
            throw new org.ketaprint.KetaprintException("give --target, --out-map or both");
        }
        Settings s = opt.settings();
        Roi seedRoi = opt.roi(seed);
        Roi targetRoi = target == null ? null : opt.roi(target);
        BoldRun run = opt.run();
        long t0 = System.nanoTime();
        double c0 = RestingOptions.cpuSeconds();
        SeedCorrelation.Result res = SeedCorrelation.compute(run, opt.readConfounds(), s, seedRoi, targetRoi, outMap != null);
        opt.computeSeconds = (System.nanoTime() - t0) / 1e9;
        opt.computeCpuSeconds = RestingOptions.cpuSeconds() - c0;
        if (res.rMap != null) {
            run.writeMap(outMap, "_r", res.rMap, comp);
            run.writeMap(outMap, "_z", res.zMap(), comp);
        }
        ObjectNode o = opt.record(run, s, res.cleaning);
        Json.putNumber(o, "r", res.r);
        Json.putNumber(o, "z", res.z);
        String na = res.zReason() != null ? res.zReason() : targetRoi == null ? "no --target given: the map only" : null;
        if (na == null) o.putNull("na_reason"); else o.put("na_reason", na);
        ObjectNode p = (ObjectNode) o.get("parameters");
        p.put("seed", seedRoi.spec());
        p.put("seed_voxels", res.seedVoxels);
        if (targetRoi != null) {
            p.put("target", targetRoi.spec());
            p.put("target_voxels", res.targetVoxels);
        }
        p.put("statistic", "Pearson r of the clean ROI-mean series; z = atanh(r)");
        if (opt.json) {
            System.out.println(Json.pretty(o));
        } else {
            if (res.zReason() != null) System.out.println((res.naReason == null ? "n/a (z): " : "n/a: ") + res.zReason());
            if (targetRoi != null) System.out.printf(Locale.ROOT, "r\t%s%nz\t%s%n", fmt(res.r), fmt(res.z));
            System.out.printf(Locale.ROOT, "n_used\t%d%nn_censored\t%d%nfd_mean\t%s%ntr\t%s%n",
                res.used, res.censored, fmt(res.fdMean), run.tr());
        }
        return 0;
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "n/a";
    }

    @Override
    public picocli.CommandLine commandLine() {
        return RestingOptions.withDenoisingOptions(this);
    }
}
