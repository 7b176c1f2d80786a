package org.ketaprint.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.diffusion.BrainMask;
import org.ketaprint.diffusion.DiffusionStage;
import org.ketaprint.diffusion.DtiMaps;
import org.ketaprint.diffusion.Gradients;
import org.ketaprint.diffusion.TensorFit;
import org.ketaprint.nifti.Compression;
import org.ketaprint.nifti.Image;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Images;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint dti}: diffusion tensor fit like FSL dtifit / DIPY TensorModel. */
@Command(name = "dti", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Fit the diffusion tensor (log-linear WLS or OLS, as DIPY 1.6) and write the maps --write-maps names"
        + " as PREFIX_FA, _MD, _AD, _RD, _V1, _S0 .nii.gz (float32; .nii with --compression none).",
        "bvecs are taken in the image's voxel axes as FSL and DIPY take them; V1 is in the bvecs' frame.",
        "ROI statistics of the maps: ketaprint measure tensor_roi (or roistats on the written maps)."})
public final class DtiCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "DWI", description = "4D diffusion-weighted image.")
    Path dwi;

    @Option(names = "--bval", required = true, paramLabel = "F", description = "b-values (FSL/BIDS .bval).")
    Path bval;

    @Option(names = "--bvec", required = true, paramLabel = "F", description = "Gradient directions (.bvec, 3 rows).")
    Path bvec;

    @Option(names = "--mask", paramLabel = "M", description = "Brain mask on the DWI grid (non-zero = brain)."
        + " Default: median_otsu of the mean b0, written to PREFIX_mask.nii.gz.")
    Path mask;

    @Option(names = "--method", paramLabel = "wls|ols", defaultValue = "wls", description = "Fit method.")
    String method;

    @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Output prefix.")
    String out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --write-maps, generated from the diffusion stage's declaration (its names and default). */
    @Override
    public picocli.CommandLine commandLine() {
        picocli.CommandLine cl = new picocli.CommandLine(this);
        java.util.Set<String> skip = new java.util.HashSet<>(ParamSet.of(DiffusionStage.Params.class).keys());
        skip.remove("write_maps");
        ParamOptions.add(cl.getCommandSpec(), DiffusionStage.Params.class, skip);
        return cl;
    }

    @Mixin
    CompressionOption compression;

    @Override
    public Integer call() {
        java.util.List<String> write = ParamOptions.bind(spec, DiffusionStage.Params.class).writeMaps();
        TensorFit.Method m = switch (method.toLowerCase(Locale.ROOT)) {
            case "wls" -> TensorFit.Method.WLS;
            case "ols", "ls" -> TensorFit.Method.OLS;
            default -> throw new KetaprintException("--method must be wls or ols, not '" + method + "'");
        };
        Compression c = compression.get();
        long t0 = System.nanoTime();
        Image img = Images.open(dwi);
        if (img.shape().length < 4 || img.volumes() < 2) {
            throw new KetaprintException(dwi + ": not a 4D DWI series (" + img.volumes() + " volume)");
        }
        Gradients g = Gradients.read(bval, bvec, img);
        g.warnings().forEach(w -> System.err.println("ketaprint: warning: " + w));
        boolean[] brain = mask != null ? BrainMask.read(Images.open(mask), img) : null;
        if (brain == null) {
            img = TensorFit.readAhead(img);   // inflated once, in the background, while the mask is made
            brain = BrainMask.medianOtsu(img, g);
            Path mp = c.file(out + "_mask");
            BrainMask.write(mp, brain, img, c);
            System.out.println("mask: median_otsu of " + g.b0Indices().length + " b0 volume(s) -> " + mp);
        }
        long t1 = System.nanoTime();
        long c1 = cpuNanos();
        DtiMaps maps = TensorFit.fit(img, g, brain, m, write);
        long t2 = System.nanoTime();
        long c2 = cpuNanos();
        if (maps.nonfinite() > 0) {
            System.err.println("ketaprint: warning: " + dwi + ": " + maps.nonfinite()
                + " mask voxel(s) have NaN/Inf signals; their maps are NaN");
        }
        if (maps.wlsFallback() > 0) {
            System.err.println("ketaprint: warning: " + maps.wlsFallback()
                + " voxel(s) had vanishing WLS weights; they keep the OLS fit");
        }
        Path[] files = maps.write(out, write, c);
        double fitS = (t2 - t1) / 1e9;
        System.out.printf(Locale.ROOT, "dti: %s fit of %d voxels in %.2f s (%.0f voxels/s, %d cores, CPU %.2f s); total %.2f s%n",
            m, maps.fitted(), fitS, maps.fitted() / Math.max(fitS, 1e-9), Runtime.getRuntime().availableProcessors(),
            (c2 - c1) / 1e9, (System.nanoTime() - t0) / 1e9);
        for (Path f : files) System.out.println("wrote " + f);
        return 0;
    }

    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }
}
