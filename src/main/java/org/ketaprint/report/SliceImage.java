package org.ketaprint.report;

import ij.plugin.LutLoader;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One brain slice drawn with ImageJ 1.x: a grey background windowed to fixed limits, optionally a thresholded
 * colour map (ImageJ's "fire" LUT above the threshold, "ice" below minus it) or an RGB image, and ROI outlines.
 * Pixels are blown up by whole factors (nearest neighbour, so a voxel is a block of pixels); an outline is the
 * inner boundary of the blown-up mask: mask pixels with a 4-neighbour outside the mask or on the image edge,
 * drawn in the ROI's colour over everything before it.
 */
public final class SliceImage {
    /** An ROI outline: name, colour (0xRRGGBB) and its mask slice. */
    public record Outline(String name, int rgb, View.Slice mask) {
    }

    /** A drawn slice: the PNG, its size and the pixels per voxel along columns and rows. */
    public record Rendered(byte[] png, int width, int height, int sx, int sy) {
    }

    private final View.Slice base;
    private final double lo;
    private final double hi;
    private View.Slice stat;
    private double threshold;
    private double statMax;
    private View.Slice[] rgb;
    private final List<Outline> outlines = new ArrayList<>();

    private SliceImage(View.Slice base, double lo, double hi) {
        this.base = base;
        this.lo = lo;
        this.hi = hi;
    }

    /** A grey slice windowed to [lo, hi]. */
    public static SliceImage grey(View.Slice base, double[] window) {
        return new SliceImage(base, window[0], window[1]);
    }

    /**
     * Window limits for a volume: the 2nd and 98th percentiles of its finite non-zero values (of every k-th voxel when
     * it has more than {@link #WINDOW_SAMPLE}); when they are equal (a mask), 0 to that value; {0, 1} when there is none.
     */
    public static double[] window(double[] volume) {
        int stride = Math.max(1, volume.length / WINDOW_SAMPLE);   // a regular subsample of large volumes
        double[] v = new double[(volume.length + stride - 1) / stride];
        int n = 0;
        for (int i = 0; i < volume.length; i += stride) if (volume[i] != 0 && Double.isFinite(volume[i])) v[n++] = volume[i];
        if (n == 0) return new double[] {0, 1};
        Arrays.sort(v, 0, n);
        double a = v[(int) Math.floor(0.02 * (n - 1))];
        double b = v[(int) Math.ceil(0.98 * (n - 1))];
        if (b > a) return new double[] {a, b};
        return a > 0 ? new double[] {0, a} : new double[] {a, a + 1};
    }

    /** At most about this many voxels are sorted for a window (every k-th voxel of a larger volume). */
    static final int WINDOW_SAMPLE = 1 << 18;

    /** Colours where |value| >= threshold, full colour at |value| = max. */
    public SliceImage overlay(View.Slice s, double thr, double max) {
        this.stat = s;
        this.threshold = thr;
        this.statMax = Math.max(max, thr + 1e-12);
        return this;
    }

    /** Replaces the grey background with an RGB image (channels in [0, 1]). */
    public SliceImage rgb(View.Slice r, View.Slice g, View.Slice b) {
        this.rgb = new View.Slice[] {r, g, b};
        return this;
    }

    public SliceImage outline(String name, int rgbColour, View.Slice mask) {
        outlines.add(new Outline(name, rgbColour, mask));
        return this;
    }

    public List<Outline> outlines() {
        return outlines;
    }

    /** Whole blow-up factors for {@code pxPerMm}: at least 1 pixel per voxel. */
    public static int[] factors(View.Slice s, double pxPerMm) {
        return new int[] {Math.max(1, (int) Math.round(pxPerMm * s.colMm())), Math.max(1, (int) Math.round(pxPerMm * s.rowMm()))};
    }

    public Rendered render(double pxPerMm) {
        int[] f = factors(base, pxPerMm);
        int w = base.width();
        int h = base.height();
        ColorProcessor cp = new ColorProcessor(w, h);
        if (rgb != null) {
            byte[][] ch = new byte[3][];
            for (int c = 0; c < 3; c++) ch[c] = bytes(rgb[c].values(), 0, 1);
            cp.setRGB(ch[0], ch[1], ch[2]);
        } else {
            byte[] g = bytes(base.values(), lo, hi);
            cp.setRGB(g, g, g);
        }
        if (stat != null) {
            IndexColorModel fire = LutLoader.getLut("fire");
            IndexColorModel ice = LutLoader.getLut("ice");
            for (int i = 0; i < w * h; i++) {
                double v = stat.values()[i];
                if (!(Math.abs(v) >= threshold)) continue;
                int level = (int) Math.round(255 * Math.min(1, 0.25 + 0.75 * (Math.abs(v) - threshold) / (statMax - threshold)));
                IndexColorModel lut = v > 0 ? fire : ice;
                cp.set(i, (lut.getRed(level) << 16) | (lut.getGreen(level) << 8) | lut.getBlue(level));
            }
        }
        int[] px = upscale((int[]) cp.getPixels(), w, h, f[0], f[1]);
        int bw = w * f[0];
        int bh = h * f[1];
        for (Outline o : outlines) {
            boolean[] m = boundary(o.mask(), f[0], f[1]);
            for (int i = 0; i < m.length; i++) if (m[i]) px[i] = o.rgb();
        }
        ColorProcessor big = new ColorProcessor(bw, bh, px);
        return new Rendered(png(big.getBufferedImage()), bw, bh, f[0], f[1]);
    }

    /** Values windowed to 0..255 with ImageJ (linear between lo and hi, clipped). */
    static byte[] bytes(double[] values, double lo, double hi) {
        float[] fl = new float[values.length];
        for (int i = 0; i < fl.length; i++) fl[i] = Double.isFinite(values[i]) ? (float) values[i] : (float) lo;
        FloatProcessor fp = new FloatProcessor(values.length, 1, fl);
        fp.setMinAndMax(lo, hi);
        ByteProcessor bp = fp.convertToByteProcessor(true);
        return (byte[]) bp.getPixels();
    }

    static int[] upscale(int[] px, int w, int h, int sx, int sy) {
        int bw = w * sx;
        int[] out = new int[bw * h * sy];
        for (int y = 0; y < h * sy; y++) {
            for (int x = 0; x < bw; x++) out[y * bw + x] = px[(y / sy) * w + x / sx];
        }
        return out;
    }

    /** The inner boundary of a mask slice blown up by sx x sy, as a pixel mask of the rendered image. */
    public static boolean[] boundary(View.Slice mask, int sx, int sy) {
        int w = mask.width() * sx;
        int h = mask.height() * sy;
        boolean[] in = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) in[y * w + x] = mask.values()[(y / sy) * mask.width() + x / sx] > 0;
        }
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!in[y * w + x]) continue;
                out[y * w + x] = x == 0 || y == 0 || x == w - 1 || y == h - 1 || !in[y * w + x - 1] || !in[y * w + x + 1]
                    || !in[(y - 1) * w + x] || !in[(y + 1) * w + x];
            }
        }
        return out;
    }

    static byte[] png(java.awt.image.BufferedImage img) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", bo);
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
