package org.ketaprint.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint convert}: rewrite an image as NIfTI-1 in another datatype, like {@code fslmaths IN OUT -odt T}. */
@Command(name = "convert", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Write a NIfTI/Analyze/MGH image as NIfTI-1 .nii or .nii.gz, keeping its geometry (sform, qform, "
        + "zooms) and TR; an MGH/MGZ's vox2ras becomes the sform and qform (code 1, scanner, as mri_convert).",
        "Scaling (scl_slope/scl_inter) is applied; integer outputs are rounded half to even "
        + "and clamped to the type's range, NaN becomes 0."})
public final class ConvertCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "IN", description = "Input image (.nii, .nii.gz, .hdr/.img, NIfTI-2, Analyze, .mgh, .mgz).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output image (.nii or .nii.gz).")
    Path out;

    @Option(names = "--datatype", paramLabel = "TYPE", defaultValue = "float32",
        description = "Output datatype: uint8, int16, int32, float32, float64.")
    String datatype;

    @Mixin
    CompressionOption compression;

    @Override
    public Integer call() {
        NiftiWriter.convert(in, out, parseType(datatype), compression.forFile(out));
        return 0;
    }

    static DataType parseType(String label) {
        for (DataType t : NiftiWriter.TYPES) {
            if (t.label.equalsIgnoreCase(label)) return t;
        }
        throw new KetaprintException("--datatype " + label + ": use one of uint8, int16, int32, float32, float64");
    }

    /** Converts {@code in} to {@code out}; see {@link NiftiWriter#convert}. */
    public static void convert(Path in, Path out, DataType type) {
        NiftiWriter.convert(in, out, type);
    }
}
