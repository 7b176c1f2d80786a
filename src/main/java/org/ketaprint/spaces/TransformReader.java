package org.ketaprint.spaces;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Images;

/**
 * Reads any supported transform file into a {@link TransformChain}, by content: ITK text, ANTs binary
 * .mat, ITK HDF5 composite, ITK displacement-field NIfTI, or FSL FLIRT text matrix (which needs the
 * reference and moving grids, FSL's matrices being in scaled-voxel coordinates).
 */
public final class TransformReader {
    private TransformReader() {
    }

    /** Reads a transform that needs no images (everything but FLIRT). */
    public static TransformChain read(Path file) {
        return read(file, null, null);
    }

    /**
     * Reads {@code file}; {@code flirtReference}/{@code flirtMoving} are used only for FLIRT matrices
     * (may be null otherwise).
     */
    public static TransformChain read(Path file, Grid flirtReference, Grid flirtMoving) {
        if (!Files.isRegularFile(file)) throw new TransformException(file, Files.exists(file) ? org.ketaprint.InputFiles.problem(file, "a transform file") : "transform file not found");
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
            return new TransformChain(List.of(DisplacementField.readNifti(Images.open(file))));
        }
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TransformException(file, "cannot read: " + e.getMessage());
        }
        if (b.length >= 8 && b[0] == (byte) 0x89 && b[1] == 'H' && b[2] == 'D' && b[3] == 'F') {
            return new TransformChain(ItkTransforms.readH5(file));
        }
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1);
        if (head.startsWith("#Insight Transform File")) {
            return new TransformChain(ItkTransforms.readText(new String(b, StandardCharsets.UTF_8), file));
        }
        if (MatV4.looksLike(b)) return new TransformChain(List.of(ItkTransforms.readMat(b, file)));
        double[][] flirt = textOnly(b) ? FlirtMatrix.parse(new String(b, StandardCharsets.US_ASCII)) : null;
        if (flirt != null) {
            if (flirtReference == null || flirtMoving == null) {
                throw new TransformException(file, "FSL FLIRT matrix needs its reference and moving images");
            }
            return new TransformChain(List.of(FlirtMatrix.toTransform(flirt, flirtReference, flirtMoving, file.toString())));
        }
        throw new TransformException(file, "unknown transform format (expected ITK .txt/.tfm, ANTs .mat, ITK .h5, "
            + "displacement-field .nii[.gz] or FSL FLIRT .mat)");
    }

    private static boolean textOnly(byte[] b) {
        for (byte x : b) if (x < 9 || (x > 13 && x < 32) || x > 126) return false;
        return true;
    }

    /** Reads several files into one chain, in ANTs order. */
    public static TransformChain readAll(List<Path> files) {
        if (files.isEmpty()) throw new KetaprintException("no transform given");
        return new TransformChain(files.stream().map(TransformReader::read).toList());
    }
}
