package org.ketaprint.imagej;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import java.awt.Color;
import java.util.Arrays;

/** Label outlines as an ImageJ overlay: one outline per label per slice, named "label N z=K". */
public final class Outlines {
    private Outlines() {
    }

    /** Replaces the image's overlay with outlines of {@code labels} on every slice (frame 1). */
    public static Overlay draw(ImagePlus imp, int[] labels) {
        return draw(imp, labels, (ip, z, x, y) -> {
            float v = ip.getf(x, y);
            return v == Math.rint(v) ? (int) v : Integer.MIN_VALUE;
        });
    }

    /**
     * Replaces the overlay of {@code imp} with outlines of {@code labels} taken from {@code labelGrid}, a label
     * per voxel of the image's grid in NIfTI order (x fastest, j = height-1-y), e.g. an atlas resampled onto a map.
     */
    public static Overlay drawGrid(ImagePlus imp, int[] labelGrid, int[] labels) {
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        if (labelGrid.length != nx * ny * imp.getNSlices()) throw new IllegalArgumentException("label grid does not fit " + imp.getTitle());
        return draw(imp, labels, (ip, z, x, y) -> labelGrid[(z - 1) * nx * ny + (ny - 1 - y) * nx + x]);
    }

    private interface LabelAt {
        int at(ImageProcessor ip, int z, int x, int y);
    }

    private static Overlay draw(ImagePlus imp, int[] labels, LabelAt at) {
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        Overlay ov = new Overlay();
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        ThresholdToSelection tts = new ThresholdToSelection();
        for (int z = 1; z <= imp.getNSlices(); z++) {
            ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(1, z, 1));
            byte[][] masks = new byte[labels.length][];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int li = Arrays.binarySearch(sorted, at.at(ip, z, x, y));
                    if (li < 0) continue;
                    if (masks[li] == null) masks[li] = new byte[nx * ny];
                    masks[li][y * nx + x] = (byte) 255;
                }
            }
            for (int li = 0; li < sorted.length; li++) {
                if (masks[li] == null) continue;
                ByteProcessor bp = new ByteProcessor(nx, ny, masks[li]);
                bp.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
                Roi r = tts.convert(bp);
                if (r == null) continue;
                r.setStrokeColor(color(sorted[li]));
                r.setName("label " + sorted[li] + " z=" + (z - 1));
                if (imp.isHyperStack()) {
                    r.setPosition(0, z, 0);
                } else {
                    r.setPosition(z);
                }
                ov.add(r);
            }
        }
        imp.setOverlay(ov);
        return ov;
    }

    private static Color color(int label) {
        float h = (float) ((label * 0.618033988749895) % 1.0);
        return Color.getHSBColor(h < 0 ? h + 1 : h, 0.9f, 1f);
    }
}
