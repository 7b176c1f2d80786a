package org.ketaprint.spaces;

import java.nio.file.Path;
import java.util.Optional;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.Compression;
import org.ketaprint.nifti.NiftiWriter;

/**
 * How ROIs in one space reach data in another, for one subject: the same space (identity), generic
 * MNI152 vs an MNI variant (identity, with a note), or a transform found in the derivatives. Resolving
 * fails with {@link SpaceMismatchException} otherwise, so spaces are never mixed silently.
 *
 * <p>The transform is the {@code from-<roi>_to-<data>_mode-image} one: it maps data-space points to
 * ROI-space points, which is what resampling an atlas onto the data grid needs; ROI points (sphere
 * centres) go the other way through its inverse. A found transform file is read when first used, so
 * resolving is cheap (a stage's check resolves before any data are read).
 */
public final class SpaceAlignment {
    private final String roiSpace;
    private final String dataSpace;
    private TransformChain chain;   // null until a found file is first read
    private final Path file;
    private final String note;

    public SpaceAlignment(String roiSpace, String dataSpace, TransformChain chain, Path file, String note) {
        this.roiSpace = Spaces.normalize(roiSpace);
        this.dataSpace = Spaces.normalize(dataSpace);
        this.chain = chain == null && file == null ? TransformChain.identity() : chain;
        this.file = file;
        this.note = note;
    }

    /**
     * Resolves ROI space {@code roiSpace} against data space {@code dataSpace} for {@code sub}/{@code ses}
     * (ses may be null), looking for a transform in {@code layout}.
     */
    public static SpaceAlignment resolve(BidsLayout layout, String sub, String ses, String roiSpace, String dataSpace) {
        String roi = Spaces.normalize(roiSpace);
        String data = Spaces.normalize(dataSpace);
        if (Spaces.same(roi, data)) return new SpaceAlignment(roi, data, TransformChain.identity(), null, null);
        Optional<Path> p = layout == null ? Optional.empty() : TransformFinder.find(layout, sub, ses, roi, data);
        if (p.isPresent()) {
            return new SpaceAlignment(roi, data, null, p.get(), null);
        }
        if (Spaces.mniCompatible(roi, data)) {
            return new SpaceAlignment(roi, data, TransformChain.identity(), null,
                "ROIs in " + roi + " used on data in " + data + " without a transform (MNI variants differ by ~1-2 mm)");
        }
        String who = sub == null ? "the data" : "sub-" + sub + (ses == null ? "" : " ses-" + ses);
        throw new SpaceMismatchException(who, data, roi,
            "no transform " + TransformFinder.pattern(sub, ses, roi, data) + " found in the derivatives; add that file, or, "
                + "if the data are in fact in " + roi + ", say so with --space " + roi + " (or the stage's space: " + roi + ")");
    }

    /** Uses a given transform (ROI space -> data space, mode image), e.g. from the command line. */
    public static SpaceAlignment withTransform(String roiSpace, String dataSpace, TransformChain chain, Path file) {
        return new SpaceAlignment(roiSpace, dataSpace, chain, file, null);
    }

    public boolean isIdentity() {
        return chain().isIdentity();
    }

    /** The transform; a found file is read here, once. */
    public synchronized TransformChain chain() {
        if (chain == null) chain = TransformReader.read(file);
        return chain;
    }

    /** The transform file used, or null. */
    public Path file() {
        return file;
    }

    /** A note to log (MNI variants matched without a transform), or null. */
    public String note() {
        return note;
    }

    public String roiSpace() {
        return roiSpace;
    }

    public String dataSpace() {
        return dataSpace;
    }

    /** A label image (atlas) on the data grid, nearest neighbour; outside the atlas = 0. */
    public double[] labelsOnto(Image labels, Grid data) {
        return labelsOnto(labels.readVolumeDouble(0), labels.grid(), data);
    }

    /** Label values {@code labels} on {@code source} (e.g. read and checked already) on the data grid, as {@link #labelsOnto(Image, Grid)}. */
    public double[] labelsOnto(double[] labels, Grid source, Grid data) {
        return Resampler.resample(labels, source, data, chain(), Resampler.Interp.NEAREST, 0);
    }

    /** A continuous ROI-space map on the data grid, trilinear; outside = NaN. */
    public double[] mapOnto(Image map, Grid data) {
        return Resampler.resample(map.readVolumeDouble(0), map.grid(), data, chain(), Resampler.Interp.LINEAR, Double.NaN);
    }

    /**
     * Writes labels resampled onto {@code data}'s grid (e.g. from {@link #labelsOnto}) as a QC image with
     * {@code data}'s geometry: int16, or int32 when a label exceeds 32767.
     */
    public static void writeLabels(Path out, Image data, double[] labels) {
        writeLabels(out, data, labels, Compression.DEFAULT);
    }

    /** {@link #writeLabels(Path, Image, double[])} gzipped at {@code c}'s level when {@code out} ends in .gz. */
    public static void writeLabels(Path out, Image data, double[] labels, Compression c) {
        double max = 0;
        for (double v : labels) max = Math.max(max, Math.abs(v));
        DataType t = max <= Short.MAX_VALUE ? DataType.INT16 : DataType.INT32;
        Grid g = data.grid();
        long[] shape = {g.nx, g.ny, g.nz};
        NiftiWriter.Spec spec = data instanceof NiftiImage n ? NiftiWriter.Spec.like(n, shape, t)
            : NiftiWriter.Spec.of(shape, g.affine, t);
        NiftiWriter.write(out, spec.compression(c), labels);
    }

    /** An ROI-space point (e.g. an MNI sphere centre, RAS mm) in data space. */
    public double[] pointToData(double[] roiPoint) {
        return chain().toReference(roiPoint);
    }
}
