package org.ketaprint.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.spaces.TransformChain;
import org.ketaprint.spaces.TransformReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint transform-point}: an ROI point (e.g. an MNI sphere centre) to the data space. */
@Command(name = "transform-point", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Map a RAS mm point from the ROI space to the data space through the same transforms that "
        + "resample an ROI image onto the data (e.g. from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.h5); "
        + "ketaprint inverts them (iteratively for warps). With --forward, apply them to the point as given "
        + "(data-space point to ROI space)."})
public final class TransformPointCommand implements Callable<Integer>, Subcommand {
    @Parameters(arity = "3", paramLabel = "X Y Z", description = "Point in RAS mm.")
    List<Double> xyz;

    @Option(names = {"-t", "--transform"}, required = true, paramLabel = "T", description = "Transform file; repeat for a chain (ANTs order).")
    List<Path> transforms = new ArrayList<>();

    @Option(names = "--forward", description = "Apply the point map as is (reference to moving space).")
    boolean forward;

    @Override
    public Integer call() {
        TransformChain c = TransformReader.readAll(transforms);
        double[] p = {xyz.get(0), xyz.get(1), xyz.get(2)};
        for (double v : p) if (!Double.isFinite(v)) throw new KetaprintException("point coordinates must be finite");
        double[] q = forward ? c.toMoving(p) : c.toReference(p);
        System.out.printf(Locale.ROOT, "%.6f %.6f %.6f%n", q[0], q[1], q[2]);
        return 0;
    }
}
