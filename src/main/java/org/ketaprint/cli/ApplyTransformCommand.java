package org.ketaprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.spaces.AffineTransform;
import org.ketaprint.spaces.Resampler;
import org.ketaprint.spaces.Transform;
import org.ketaprint.spaces.TransformChain;
import org.ketaprint.spaces.TransformException;
import org.ketaprint.spaces.TransformReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint apply-transform}: resample an image onto a reference grid through transforms, like antsApplyTransforms. */
@Command(name = "apply-transform", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Resample IMAGE onto the grid of --reference through transforms given in ANTs order (the last "
        + "--transform is applied first to a reference point), like antsApplyTransforms.",
        "Transforms: ITK .txt/.tfm, ANTs .mat, ITK/fMRIPrep/QSIPrep .h5 composites, ITK displacement fields "
            + "(.nii/.nii.gz), FSL FLIRT .mat (reference/moving images: --fsl-reference/--fsl-moving, default REF and IMAGE). "
            + "Write [T,1] to use the inverse of a linear transform."})
public final class ApplyTransformCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to resample (3D or 4D).")
    Path image;

    @Option(names = {"-r", "--reference"}, required = true, paramLabel = "REF", description = "Image whose grid the output takes.")
    Path reference;

    @Option(names = {"-t", "--transform"}, paramLabel = "T", description = "Transform file; repeat for a chain (ANTs order). None = identity.")
    List<String> transforms = new ArrayList<>();

    @Option(names = {"-n", "--interp"}, paramLabel = "nearest|linear", description = "Interpolation: nearest for labels, linear for continuous maps.")
    String interp = "linear";

    @Option(names = "--default-value", description = "Value for points outside IMAGE.")
    double outside = 0;

    @Option(names = "--fsl-reference", paramLabel = "IMG", description = "Reference image of FLIRT matrices (default: REF).")
    Path fslReference;

    @Option(names = "--fsl-moving", paramLabel = "IMG", description = "Moving (input) image of FLIRT matrices (default: IMAGE).")
    Path fslMoving;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "Output .nii or .nii.gz.")
    Path out;

    @Mixin
    CompressionOption compression;

    @Override
    public Integer call() {
        Resampler.Interp mode = switch (interp.toLowerCase()) {
            case "nearest", "nearestneighbor", "nn" -> Resampler.Interp.NEAREST;
            case "linear", "trilinear" -> Resampler.Interp.LINEAR;
            default -> throw new KetaprintException("--interp " + interp + ": expected nearest or linear");
        };
        org.ketaprint.nifti.Compression comp = compression.forFile(out);
        Image ref = open(reference, "reference image");
        Image in = open(image, "input image");
        TransformChain chain = chain(in, ref);
        long[] shape = in.shape().clone();
        shape[0] = ref.grid().nx;
        shape[1] = ref.grid().ny;
        shape[2] = ref.grid().nz;
        DataType type = mode == Resampler.Interp.NEAREST ? integerType(in) : DataType.FLOAT32;
        NiftiWriter.Spec spec = ref instanceof NiftiImage n
            ? NiftiWriter.Spec.like(n, shape, type) : NiftiWriter.Spec.of(shape, ref.affine(), type);
        spec.compression(comp);
        try (Image.VolumeCursor c = in.volumeCursor()) {   // one input and one output volume in memory at a time
            NiftiWriter.writeVolumes(out, spec, v -> Resampler.resample(c.next(), in.grid(), ref.grid(), chain, mode, outside),
                in.volumes());
        }
        System.err.println("ketaprint: wrote " + out + " (" + ref.grid() + ", " + chain.describe() + ", " + mode.name().toLowerCase() + ")");
        return 0;
    }

    private TransformChain chain(Image in, Image ref) {
        List<Transform> ts = new ArrayList<>();
        Pattern inv = Pattern.compile("^\\[(.+),\\s*([01])\\s*]$");
        for (String t : transforms) {
            Matcher m = inv.matcher(t.strip());
            boolean invert = m.matches() && m.group(2).equals("1");
            Path p = Path.of(m.matches() ? m.group(1).strip() : t.strip());
            var fr = fslReference == null ? ref.grid() : open(fslReference, "FLIRT reference image").grid();
            var fm = fslMoving == null ? in.grid() : open(fslMoving, "FLIRT moving image").grid();
            TransformChain c = TransformReader.read(p, fr, fm);
            if (invert) {
                if (c.linear() == null) throw new TransformException(p, "only linear transforms can be inverted ([T,1])");
                ts.add(new AffineTransform(c.linear().inverse(), p + " (inverted)"));
            } else {
                ts.add(c);
            }
        }
        return new TransformChain(ts);
    }

    private static Image open(Path p, String what) {
        if (!Files.exists(p)) throw new KetaprintException(p + ": " + what + " not found");   // a FIFO or folder: Images.open says so
        return Images.open(p);
    }

    /** Keeps integer label types the writer supports; anything else becomes float32. */
    private static DataType integerType(Image in) {
        if (in.floatingPoint()) return DataType.FLOAT32;
        return switch (in.datatypeName()) {
            case "uint8" -> DataType.UINT8;
            case "int16", "int8" -> DataType.INT16;
            case "int32", "uint16" -> DataType.INT32;
            default -> DataType.FLOAT32;
        };
    }
}
