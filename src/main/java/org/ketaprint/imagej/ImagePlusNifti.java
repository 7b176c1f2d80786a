package org.ketaprint.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import java.nio.file.Path;
import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.NiftiHeader;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.nifti.NiftiWriter;

/**
 * NIfTI/Analyze/MGH images to ImageJ ImagePlus and back.
 *
 * <p>Voxel (i, j, k, t) is ImageJ pixel (x = i, y = ny-1-j) of slice k+1, frame t+1: rows are flipped so
 * that j (anterior/superior in usual scans) points up on screen, as radiologists and FSLeyes show it. Save
 * undoes the flip, so save(open(f)) writes the same voxels. Values are scaled (scl_slope/inter applied):
 * uint8 images without scaling open as 8-bit, all others as 32-bit float. The voxel-to-world affine is
 * kept as the image property {@code ketaprint.affine} (16 numbers, row by row); save writes it back as the
 * sform (and the qform derived from it). Images without it (made in ImageJ) get an affine from their
 * calibration: diag(pixel width, height, depth), with the calibration origin pixel at world (0,0,0).
 */
public final class ImagePlusNifti {
    public static final String AFFINE = "ketaprint.affine";
    public static final String SHAPE = "ketaprint.shape";
    public static final String DATATYPE = "ketaprint.datatype";
    public static final String CODES = "ketaprint.sform_qform_codes";
    public static final String SOURCE = "ketaprint.source";

    private ImagePlusNifti() {
    }

    /** Opens a .nii, .nii.gz, .hdr/.img or .mgz file as an ImagePlus (hyperstack when 4D). */
    public static ImagePlus open(Path file) {
        Image img = Images.open(file);
        ImagePlus imp = toImagePlus(img);
        FileInfo fi = new FileInfo();
        Path abs = file.toAbsolutePath();
        fi.fileName = abs.getFileName().toString();
        fi.directory = abs.getParent() == null ? "" : abs.getParent().toString() + java.io.File.separator;
        imp.setFileInfo(fi);
        return imp;
    }

    /** Makes {@code to} the same image as {@code from}: stack, dimensions, calibration, properties, file info. */
    public static void copyInto(ImagePlus from, ImagePlus to) {
        to.setStack(from.getTitle(), from.getStack());
        to.setDimensions(from.getNChannels(), from.getNSlices(), from.getNFrames());
        if (from.getNFrames() > 1) to.setOpenAsHyperStack(true);
        to.setCalibration(from.getCalibration());
        to.setDisplayRange(from.getDisplayRangeMin(), from.getDisplayRangeMax());
        for (String k : new String[] {AFFINE, SHAPE, DATATYPE, CODES, SOURCE}) {
            if (from.getProp(k) != null) to.setProp(k, from.getProp(k));
        }
        to.setProperty("Info", from.getProperty("Info"));
        to.setFileInfo(from.getOriginalFileInfo());
    }

    /** The image as an ImagePlus: all volumes read, scaled, rows flipped (see the class comment). */
    public static ImagePlus toImagePlus(Image img) {
        long[] shape = img.shape();
        int nx = (int) shape[0];
        int ny = shape.length > 1 ? (int) shape[1] : 1;
        int nz = shape.length > 2 ? (int) shape[2] : 1;
        long nt = img.volumes();
        if ((long) nz * nt > Integer.MAX_VALUE) throw new KetaprintException(img.path() + ": too many slices for ImageJ");
        boolean bytes = img.datatypeName().equals("uint8") && !img.floatingPoint();
        ImageStack stack = new ImageStack(nx, ny);
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        VolumeSink sink = (t, v) -> addVolume(stack, v, nx, ny, nz, t, nt, bytes, range);
        if (img instanceof NiftiImage n) {
            n.forEachVolume(sink::accept);   // one pass through the (gzip) stream
        } else {
            for (long t = 0; t < nt; t++) sink.accept(t, img.readVolume(t));
        }
        String title = img.path().getFileName().toString();
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(1, nz, (int) nt);
        if (nt > 1) imp.setOpenAsHyperStack(true);
        if (range[0] <= range[1]) imp.setDisplayRange(range[0], range[1]);
        calibrate(imp, img);
        imp.setProp(AFFINE, affineString(img.affine()));
        imp.setProp(SHAPE, nx + " " + ny + " " + nz + " " + nt);
        imp.setProp(DATATYPE, img.datatypeName());
        imp.setProp(SOURCE, img.path().toAbsolutePath().toString());
        if (img instanceof NiftiImage n) {
            NiftiHeader h = n.header();
            int s = h.sformCode > 0 ? h.sformCode : (h.qformCode > 0 ? h.qformCode : 2);
            imp.setProp(CODES, s + " " + (h.qformCode > 0 ? h.qformCode : s));
        }
        imp.setProperty("Info", info(img, nx, ny, nz, nt));
        return imp;
    }

    private interface VolumeSink {
        void accept(long t, float[] volume);
    }

    /** Adds the nz slices of one volume, rows flipped, and widens the finite value range. */
    private static void addVolume(ImageStack stack, float[] v, int nx, int ny, int nz, long t, long nt, boolean bytes,
                                  double[] range) {
        for (int k = 0; k < nz; k++) {
            float[] pix = new float[nx * ny];
            int base = k * nx * ny;
            for (int j = 0; j < ny; j++) System.arraycopy(v, base + j * nx, pix, (ny - 1 - j) * nx, nx);
            for (float f : pix) {
                if (f < range[0] && f > Float.NEGATIVE_INFINITY) range[0] = f;   // finite values only
                if (f > range[1] && f < Float.POSITIVE_INFINITY) range[1] = f;
            }
            ImageProcessor ip = bytes ? toBytes(pix, nx, ny) : new FloatProcessor(nx, ny, pix);
            stack.addSlice("z=" + k + (nt > 1 ? " t=" + t : ""), ip);
        }
    }

    private static ByteProcessor toBytes(float[] pix, int nx, int ny) {
        byte[] b = new byte[pix.length];
        for (int p = 0; p < pix.length; p++) b[p] = (byte) (int) pix[p];
        return new ByteProcessor(nx, ny, b);
    }

    private static void calibrate(ImagePlus imp, Image img) {
        Affine a = img.affine();
        double[] vs = a.voxelSizes();
        Calibration cal = new Calibration(imp);
        cal.pixelWidth = vs[0];
        cal.pixelHeight = vs[1];
        cal.pixelDepth = vs[2];
        cal.setUnit("mm");
        double tr = img.repetitionTime();
        if (img.volumes() > 1 && Double.isFinite(tr) && tr > 0) {
            cal.frameInterval = tr;
            cal.setTimeUnit("sec");
        }
        // Axis-aligned, positive-diagonal affines: calibrated coordinates are world mm (y increasing up).
        if (axisAligned(a) && a.get(0, 0) > 0 && a.get(1, 1) > 0 && a.get(2, 2) > 0) {
            cal.xOrigin = -a.get(0, 3) / a.get(0, 0);
            cal.yOrigin = imp.getHeight() - 1 + a.get(1, 3) / a.get(1, 1);
            cal.zOrigin = -a.get(2, 3) / a.get(2, 2);
            cal.setInvertY(true);
        }
        imp.setCalibration(cal);
    }

    private static boolean axisAligned(Affine a) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c && Math.abs(a.get(r, c)) > 1e-6) return false;
            }
        }
        return true;
    }

    private static String info(Image img, int nx, int ny, int nz, long nt) {
        StringBuilder sb = new StringBuilder("ketaprint NIfTI import\n");
        sb.append("file: ").append(img.path()).append('\n');
        sb.append("shape: ").append(nx).append(' ').append(ny).append(' ').append(nz);
        if (nt > 1) sb.append(' ').append(nt);
        sb.append("\ndatatype: ").append(img.datatypeName()).append('\n');
        if (Double.isFinite(img.repetitionTime())) sb.append("TR (s): ").append(img.repetitionTime()).append('\n');
        sb.append("affine (voxel i,j,k -> mm):\n").append(img.affine());
        sb.append("ImageJ pixel (x, y, slice, frame) = voxel (i, ny-1-j, k+1, t+1)\n");
        return sb.toString();
    }

    /** The 16 numbers of an affine, row by row, round-trip exact. */
    static String affineString(Affine a) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(Double.toString(a.get(r, c)));
            }
        }
        return sb.toString();
    }

    static Affine parseAffine(String s, String title) {
        String[] f = s.trim().split("\\s+");
        if (f.length != 16) throw new KetaprintException(title + ": property " + AFFINE + " needs 16 numbers, has " + f.length);
        double[][] m = new double[4][4];
        try {
            for (int p = 0; p < 16; p++) m[p / 4][p % 4] = Double.parseDouble(f[p]);
        } catch (NumberFormatException e) {
            throw new KetaprintException(title + ": property " + AFFINE + " is not numeric: " + e.getMessage());
        }
        return new Affine(m);
    }

    /**
     * The image's voxel-to-world affine: the stored one when it still fits (same width, height, slices and
     * pixel sizes), else one built from the calibration.
     */
    public static Affine affine(ImagePlus imp) {
        String s = imp.getProp(AFFINE);
        if (s != null && !s.isBlank()) {
            Affine a = parseAffine(s, imp.getTitle());
            if (storedStillFits(imp, a)) return a;
        }
        return fromCalibration(imp);
    }

    /** True when the image has a stored affine that still fits it (not cropped, scaled or recalibrated). */
    public static boolean hasStoredAffine(ImagePlus imp) {
        String s = imp.getProp(AFFINE);
        return s != null && !s.isBlank() && storedStillFits(imp, parseAffine(s, imp.getTitle()));
    }

    private static boolean storedStillFits(ImagePlus imp, Affine a) {
        String sh = imp.getProp(SHAPE);
        if (sh == null) return false;
        String[] f = sh.trim().split("\\s+");
        if (f.length < 3 || !f[0].equals(Integer.toString(imp.getWidth())) || !f[1].equals(Integer.toString(imp.getHeight()))
            || !f[2].equals(Integer.toString(imp.getNSlices()))) {
            return false;
        }
        double[] vs = a.voxelSizes();
        double[] cal = calibratedSizes(imp);
        for (int d = 0; d < 3; d++) {
            if (Math.abs(vs[d] - cal[d]) > 1e-5 * Math.max(1, vs[d])) return false;
        }
        return true;
    }

    /** Pixel width, height, depth in mm (cm, m, micron converted; other units taken as mm). */
    static double[] calibratedSizes(ImagePlus imp) {
        Calibration c = imp.getCalibration();
        double f = switch (c.getUnit().toLowerCase(Locale.ROOT)) {
            case "cm" -> 10;
            case "m", "meter", "metre" -> 1000;
            case "um", "micron", "microns", "\u00b5m" -> 0.001;
            default -> 1;
        };
        return new double[] {c.pixelWidth * f, c.pixelHeight * f, c.pixelDepth * f};
    }

    /** diag(pixel sizes); the calibration origin pixel (x0, y0, z0) is world (0,0,0), j = height-1-y. */
    public static Affine fromCalibration(ImagePlus imp) {
        Calibration c = imp.getCalibration();
        double[] s = calibratedSizes(imp);
        double j0 = imp.getHeight() - 1 - c.yOrigin;
        return new Affine(new double[][] {
            {s[0], 0, 0, -c.xOrigin * s[0]},
            {0, s[1], 0, -j0 * s[1]},
            {0, 0, s[2], -c.zOrigin * s[2]},
            {0, 0, 0, 1}});
    }

    /** Volume {@code t} (frame t+1) of channel {@code c} in NIfTI order (x fastest, rows un-flipped). */
    public static float[] volume(ImagePlus imp, int c, int t) {
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        int nz = imp.getNSlices();
        ImageStack st = imp.getStack();
        Calibration cal = imp.getCalibration();
        boolean table = imp.getBitDepth() != 32 && cal.calibrated();
        float[] out = new float[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            ImageProcessor ip = st.getProcessor(imp.getStackIndex(c + 1, k + 1, t + 1));
            int base = k * nx * ny;
            for (int j = 0; j < ny; j++) {
                int y = ny - 1 - j;
                for (int i = 0; i < nx; i++) {
                    float v = ip.getf(i, y);
                    out[base + j * nx + i] = table ? (float) cal.getCValue(v) : v;
                }
            }
        }
        return out;
    }

    /** Writes the image as NIfTI-1 (.nii or .nii.gz), with its stored or calibration-built affine. */
    public static void save(ImagePlus imp, Path out) {
        String title = imp.getTitle();
        if (imp.getBitDepth() == 24) {
            throw new KetaprintException(title + ": RGB images cannot be saved as NIfTI; convert to 8-bit, 16-bit or 32-bit first");
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
            throw new KetaprintException(out + ": a NIfTI file name must end in .nii or .nii.gz");
        }
        int nx = imp.getWidth();
        int ny = imp.getHeight();
        int nz = imp.getNSlices();
        int nt = imp.getNFrames();
        int nc = imp.getNChannels();
        long n = (long) nx * ny * nz * nt * nc;
        if (n > Integer.MAX_VALUE - 8) throw new KetaprintException(title + ": too large to save in one piece (" + n + " voxels)");
        float[] data = new float[(int) n];
        int vol = nx * ny * nz;
        for (int c = 0; c < nc; c++) {
            for (int t = 0; t < nt; t++) {
                System.arraycopy(volume(imp, c, t), 0, data, (c * nt + t) * vol, vol);
            }
        }
        long[] shape = nc > 1 ? new long[] {nx, ny, nz, nt, nc}
            : nt > 1 ? new long[] {nx, ny, nz, nt} : new long[] {nx, ny, nz};
        boolean stored = hasStoredAffine(imp);
        NiftiWriter.Spec spec = NiftiWriter.Spec.of(shape, affine(imp), datatype(imp, data));
        String codes = imp.getProp(CODES);
        if (stored && codes != null) {
            String[] f = codes.trim().split("\\s+");
            spec.codes(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
        }
        Calibration cal = imp.getCalibration();
        if (nt > 1 && cal.frameInterval > 0) {
            double tr = cal.frameInterval;
            String tu = cal.getTimeUnit().toLowerCase(Locale.ROOT);
            if (tu.equals("ms") || tu.equals("msec")) tr /= 1000;
            if (tu.equals("min")) tr *= 60;
            spec.tr(tr);
        }
        NiftiWriter.write(out, spec, data);
    }

    /**
     * The datatype to write: the one the image was read from when every value fits it exactly (uint8, int16,
     * int32), else uint8 for 8-bit images, int16/int32 for integer 16-bit images, float32 otherwise.
     */
    static DataType datatype(ImagePlus imp, float[] data) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean integral = true;
        for (float v : data) {
            if (v != Math.rint(v)) {
                integral = false;
                break;
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!integral) return DataType.FLOAT32;
        if (data.length == 0) return DataType.FLOAT32;
        String orig = imp.getProp(DATATYPE);
        if (orig != null) {
            if (orig.equals("uint8") && lo >= 0 && hi <= 255) return DataType.UINT8;
            if (orig.equals("int16") && lo >= Short.MIN_VALUE && hi <= Short.MAX_VALUE) return DataType.INT16;
            if (orig.equals("int32") && hi <= (1 << 24) && lo >= -(1 << 24)) return DataType.INT32;
            return DataType.FLOAT32;
        }
        if (imp.getBitDepth() == 8 && lo >= 0 && hi <= 255) return DataType.UINT8;
        if (imp.getBitDepth() == 16) return lo >= Short.MIN_VALUE && hi <= Short.MAX_VALUE ? DataType.INT16 : DataType.INT32;
        return DataType.FLOAT32;
    }
}
