package org.ketaprint.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parsed NIfTI-1, NIfTI-2 or Analyze 7.5 header (nifti1.h, nifti2.h, SPM2 Analyze). Immutable.
 * On parsing, pixdim is fixed the way nibabel fixes it on load: pixdim[1..3] of 0 become 1,
 * negative ones their absolute value, and a qfac (pixdim[0]) other than -1 or 1 becomes 1.
 */
public final class NiftiHeader {
    public static final int NIFTI1_SIZE = 348;
    public static final int NIFTI2_SIZE = 540;

    /** 0 = Analyze 7.5, 1 = NIfTI-1, 2 = NIfTI-2. */
    public final int version;
    /** The file the header was read from (for messages). */
    public final String source;
    public final ByteOrder order;
    /** true for a single-file .nii (magic n+1 / n+2); false for .hdr/.img pairs. */
    public final boolean singleFile;
    /** dim[0..7] as in the header: dim[0] is the number of dimensions. */
    final long[] dim;
    public final DataType datatype;
    final double[] pixdim;
    public final long voxOffset;
    public final double sclSlope;
    public final double sclInter;
    public final int xyztUnits;
    public final int qformCode;
    public final int sformCode;
    final double[] quatern;   // b, c, d
    final double[] qoffset;   // x, y, z
    final double[][] srow;    // 3 rows of 4
    public final int intentCode;
    public final String descrip;
    // Analyze (SPM2) fields
    final short[] origin;
    final double calMin;
    final double calMax;
    final long glMin;
    final long glMax;

    private NiftiHeader(Builder b) {
        version = b.version;
        source = b.source;
        order = b.order;
        singleFile = b.singleFile;
        dim = b.dim;
        datatype = b.datatype;
        pixdim = b.pixdim;
        voxOffset = b.voxOffset;
        sclSlope = b.sclSlope;
        sclInter = b.sclInter;
        xyztUnits = b.xyztUnits;
        qformCode = b.qformCode;
        sformCode = b.sformCode;
        quatern = b.quatern;
        qoffset = b.qoffset;
        srow = b.srow;
        intentCode = b.intentCode;
        descrip = b.descrip;
        origin = b.origin;
        calMin = b.calMin;
        calMax = b.calMax;
        glMin = b.glMin;
        glMax = b.glMax;
    }


    public int ndim() {
        return (int) dim[0];
    }

    /** The shape: dim[1..ndim]. */
    public long[] shape() {
        return Arrays.copyOfRange(dim, 1, ndim() + 1);
    }

    /** pixdim[1..ndim], as nibabel's get_zooms. */
    public double[] zooms() {
        return Arrays.copyOfRange(pixdim, 1, ndim() + 1);
    }

    public double pixdim(int i) {
        return pixdim[i];
    }

    /** Number of voxels in one 3D volume (dims 1..3; missing dims count as 1). */
    public long voxelsPerVolume() {
        long n = 1;
        for (int i = 1; i <= Math.min(3, ndim()); i++) n *= dim[i];
        return n;
    }

    /** Number of 3D volumes (product of dims 4..7). */
    public long volumes() {
        long n = 1;
        for (int i = 4; i <= ndim(); i++) n *= dim[i];
        return n;
    }

    public long totalVoxels() {
        return voxelsPerVolume() * volumes();
    }

    public long dataBytes() {
        return totalVoxels() * datatype.bytes;
    }

    public String spaceUnit() {
        return switch (xyztUnits & 0x07) {
            case 1 -> "m";
            case 2 -> "mm";
            case 3 -> "um";
            default -> "unknown";
        };
    }

    public String timeUnit() {
        return switch (xyztUnits & 0x38) {
            case 8 -> "s";
            case 16 -> "ms";
            case 24 -> "us";
            case 32 -> "Hz";
            case 40 -> "ppm";
            case 48 -> "rad/s";
            default -> "unknown";
        };
    }

    /** Repetition time in seconds from pixdim[4] and xyzt_units, or NaN for images with fewer than 4 dims. */
    public double repetitionTime() {
        if (ndim() < 4) return Double.NaN;
        double t = pixdim[4];
        return switch (xyztUnits & 0x38) {
            case 16 -> t / 1000.0;
            case 24 -> t / 1e6;
            default -> t;
        };
    }

    /**
     * Effective scaling {slope, intercept}, or null when the data are used as stored.
     * NIfTI: slope 0 or non-finite means no scaling; a valid slope with a non-finite intercept is an error.
     * Analyze (SPM2): funused1/funused2, else the glmin/glmax-cal_min/cal_max ranges, as nibabel.
     */
    public double[] scaling() {
        String file = source;
        if (version == 0) {
            if (Double.isFinite(sclSlope) && sclSlope != 0) {
                return new double[] {sclSlope, Double.isFinite(sclInter) ? sclInter : 0.0};
            }
            double unscaled = glMax - glMin;
            double scaled = calMax - calMin;
            if (unscaled != 0 && scaled != 0) {
                double slope = scaled / unscaled;
                return new double[] {slope, calMin - slope * glMin};
            }
            return null;
        }
        if (sclSlope == 0 || !Double.isFinite(sclSlope)) return null;
        if (!Double.isFinite(sclInter)) throw new NiftiException(file, "valid scl_slope but invalid scl_inter " + sclInter);
        if (sclSlope == 1 && sclInter == 0) return null;
        return new double[] {sclSlope, sclInter};
    }

    /** The affine chosen as nibabel does: sform, else qform, else from pixdim (Analyze: SPM origin). */
    public Affine affine() {
        if (version == 0) return analyzeAffine();
        if (sformCode > 0) return sform();
        if (qformCode > 0) return qform();
        return baseAffine();
    }

    public Affine sform() {
        double[][] m = new double[4][4];
        for (int r = 0; r < 3; r++) m[r] = srow[r].clone();
        m[3] = new double[] {0, 0, 0, 1};
        return new Affine(m);
    }

    /** The qform from the quaternion, as nibabel's get_qform (quaternion normalised, qfac from pixdim[0]). */
    public Affine qform() {
        double b = quatern[0], c = quatern[1], d = quatern[2];
        double w2 = 1.0 - (b * b + c * c + d * d);
        double a;
        if (w2 < 0) {
            if (w2 < -3 * Math.ulp(1.0f)) {
                throw new NiftiException(source, "qform quaternion (" + b + ", " + c + ", " + d + ") has norm > 1");
            }
            a = 0;
        } else {
            a = Math.sqrt(w2);
        }
        double nq = a * a + b * b + c * c + d * d;
        double[][] r;
        if (nq < Math.ulp(1.0)) {
            r = new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        } else {
            double s = 2.0 / nq;
            double x = b * s, y = c * s, z = d * s;
            double wx = a * x, wy = a * y, wz = a * z;
            double xx = b * x, xy = b * y, xz = b * z;
            double yy = c * y, yz = c * z, zz = d * z;
            r = new double[][] {
                {1.0 - (yy + zz), xy - wz, xz + wy},
                {xy + wz, 1.0 - (xx + zz), yz - wx},
                {xz - wy, yz + wx, 1.0 - (xx + yy)}};
        }
        double[] vox = {pixdim[1], pixdim[2], pixdim[3] * (pixdim[0] == -1 ? -1 : 1)};
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) m[i][j] = r[i][j] * vox[j];
            m[i][3] = qoffset[i];
        }
        m[3][3] = 1;
        return new Affine(m);
    }

    /** nibabel's shape_zoom_affine with x flipped: centre of the image at the origin. */
    public Affine baseAffine() {
        double[] shape = {1, 1, 1};
        double[] zooms = {1, 1, 1};
        for (int i = 0; i < Math.min(3, ndim()); i++) {
            shape[i] = dim[i + 1];
            zooms[i] = pixdim[i + 1];
        }
        zooms[0] = -zooms[0];
        double[] o = {(shape[0] - 1) / 2.0, (shape[1] - 1) / 2.0, (shape[2] - 1) / 2.0};
        return Affine.diagonal(zooms, o);
    }

    private Affine analyzeAffine() {
        double[] zooms = {-pixdim[1], pixdim[2], pixdim[3]};
        double[] dims = {dim[1], dim[2], dim[3]};
        boolean any = false, inRange = true;
        for (int i = 0; i < 3; i++) {
            if (origin[i] != 0) any = true;
            if (!(origin[i] > -dims[i] && origin[i] < dims[i] * 2)) inRange = false;
        }
        double[] o = new double[3];
        for (int i = 0; i < 3; i++) o[i] = any && inRange ? origin[i] - 1 : (dims[i] - 1) / 2.0;
        return Affine.diagonal(zooms, o);
    }

    // ---------------------------------------------------------------- parsing

    /** The byte order of a header from its sizeof_hdr field, or null if it is neither 348 nor 540. */
    static ByteOrder detectOrder(byte[] head) {
        if (head.length < 4) return null;
        int le = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (le == NIFTI1_SIZE || le == NIFTI2_SIZE) return ByteOrder.LITTLE_ENDIAN;
        int be = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (be == NIFTI1_SIZE || be == NIFTI2_SIZE) return ByteOrder.BIG_ENDIAN;
        return null;
    }

    /** Parses a header from its first bytes (at least 348, or 540 for NIfTI-2). */
    public static NiftiHeader parse(byte[] head, int length, String file) {
        if (length < 4) throw new NiftiException(file, "truncated file: " + length + " bytes, no header");
        ByteOrder order = detectOrder(head);
        if (order == null) {
            int le = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            throw new NiftiException(file, "not a NIfTI/Analyze header: sizeof_hdr is " + le + " (expected 348 or 540)");
        }
        ByteBuffer bb = ByteBuffer.wrap(head, 0, length).order(order);
        int size = bb.getInt(0);
        if (length < size) {
            throw new NiftiException(file, "truncated header: " + length + " of " + size + " bytes");
        }
        return size == NIFTI2_SIZE ? parse2(bb, file) : parse1(bb, file);
    }

    private static NiftiHeader parse1(ByteBuffer bb, String file) {
        Builder b = new Builder();
        b.order = bb.order();
        b.singleFile = false;
        String magic = ascii(bb, 344, 4);
        if (magic.equals("n+1")) {
            b.version = 1;
            b.singleFile = true;
        } else if (magic.equals("ni1")) {
            b.version = 1;
        } else {
            b.version = 0;
        }
        for (int i = 0; i < 8; i++) b.dim[i] = bb.getShort(40 + 2 * i);
        for (int i = 0; i < 8; i++) b.pixdim[i] = bb.getFloat(76 + 4 * i);
        b.datatype = DataType.fromCode(bb.getShort(70), file);
        float vo = bb.getFloat(108);
        if (!Float.isFinite(vo) || vo < 0 || vo > Integer.MAX_VALUE) {
            throw new NiftiException(file, "invalid vox_offset " + vo);
        }
        b.voxOffset = (long) vo;
        if (b.singleFile && b.voxOffset < 352) b.voxOffset = 352;
        b.sclSlope = bb.getFloat(112);
        b.sclInter = bb.getFloat(116);
        b.xyztUnits = bb.get(123) & 0xff;
        b.calMax = bb.getFloat(124);
        b.calMin = bb.getFloat(128);
        b.glMax = bb.getInt(140);
        b.glMin = bb.getInt(144);
        b.descrip = ascii(bb, 148, 80);
        if (b.version == 0) {
            for (int i = 0; i < 3; i++) b.origin[i] = bb.getShort(253 + 2 * i);
            b.xyztUnits = 0;
        } else {
            b.intentCode = bb.getShort(68);
            b.qformCode = bb.getShort(252);
            b.sformCode = bb.getShort(254);
            for (int i = 0; i < 3; i++) {
                b.quatern[i] = bb.getFloat(256 + 4 * i);
                b.qoffset[i] = bb.getFloat(268 + 4 * i);
            }
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) b.srow[r][c] = bb.getFloat(280 + 16 * r + 4 * c);
            }
        }
        return b.build(file);
    }

    private static NiftiHeader parse2(ByteBuffer bb, String file) {
        Builder b = new Builder();
        b.order = bb.order();
        b.singleFile = false;
        String magic = ascii(bb, 4, 4);
        if (magic.equals("n+2")) {
            b.singleFile = true;
        } else if (!magic.equals("ni2")) {
            throw new NiftiException(file, "sizeof_hdr is 540 but the NIfTI-2 magic is missing");
        }
        b.version = 2;
        b.datatype = DataType.fromCode(bb.getShort(12), file);
        for (int i = 0; i < 8; i++) b.dim[i] = bb.getLong(16 + 8 * i);
        for (int i = 0; i < 8; i++) b.pixdim[i] = bb.getDouble(104 + 8 * i);
        b.voxOffset = bb.getLong(168);
        if (b.voxOffset < 0 || b.voxOffset > (1L << 56)) throw new NiftiException(file, "invalid vox_offset " + b.voxOffset);
        if (b.singleFile && b.voxOffset < 544) b.voxOffset = 544;
        b.sclSlope = bb.getDouble(176);
        b.sclInter = bb.getDouble(184);
        b.calMax = bb.getDouble(192);
        b.calMin = bb.getDouble(200);
        b.descrip = ascii(bb, 240, 80);
        b.qformCode = bb.getInt(344);
        b.sformCode = bb.getInt(348);
        for (int i = 0; i < 3; i++) {
            b.quatern[i] = bb.getDouble(352 + 8 * i);
            b.qoffset[i] = bb.getDouble(376 + 8 * i);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) b.srow[r][c] = bb.getDouble(400 + 32 * r + 8 * c);
        }
        b.xyztUnits = bb.getInt(500);
        b.intentCode = bb.getInt(504);
        return b.build(file);
    }

    private static String ascii(ByteBuffer bb, int off, int len) {
        byte[] s = new byte[len];
        bb.get(off, s);
        int n = 0;
        while (n < len && s[n] != 0) n++;
        return new String(s, 0, n, StandardCharsets.ISO_8859_1).trim();
    }

    /** Mutable fields for parsing and for the writer. */
    static final class Builder {
        int version = 1;
        String source = "";
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        boolean singleFile = true;
        long[] dim = new long[8];
        DataType datatype = DataType.FLOAT32;
        double[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
        long voxOffset = 352;
        double sclSlope = 1;
        double sclInter = 0;
        int xyztUnits = 2 | 8;
        int qformCode;
        int sformCode;
        double[] quatern = new double[3];
        double[] qoffset = new double[3];
        double[][] srow = new double[3][4];
        int intentCode;
        String descrip = "";
        short[] origin = new short[3];
        double calMin;
        double calMax;
        long glMin;
        long glMax;

        NiftiHeader build(String file) {
            source = file;
            long n = dim[0];
            if (n < 1 || n > 7) throw new NiftiException(file, "dim[0] = " + n + " is outside 1..7");
            for (int i = 1; i <= n; i++) {
                if (dim[i] < 1) throw new NiftiException(file, "dim[" + i + "] = " + dim[i] + " is not positive");
            }
            for (int i = (int) n + 1; i < 8; i++) dim[i] = 1;
            // voxels x element size + offset must fit a long (NIfTI-2 dims are 64-bit): refuse, never wrap around
            try {
                long total = 1;
                for (int i = 1; i <= n; i++) total = Math.multiplyExact(total, dim[i]);
                Math.addExact(voxOffset, Math.multiplyExact(total, (long) datatype.bytes));
            } catch (ArithmeticException e) {
                StringBuilder d = new StringBuilder();
                for (int i = 1; i <= n; i++) d.append(i == 1 ? "" : "x").append(dim[i]);
                throw new NiftiException(file, "image dimensions overflow: " + d + " voxels of " + datatype.label
                    + " need more than 2^63 bytes");
            }
            for (int i = 1; i <= 3; i++) {
                if (!Double.isFinite(pixdim[i])) throw new NiftiException(file, "pixdim[" + i + "] is not finite");
                if (pixdim[i] == 0) pixdim[i] = 1;
                if (pixdim[i] < 0) pixdim[i] = -pixdim[i];
            }
            if (pixdim[0] != 1 && pixdim[0] != -1) pixdim[0] = 1;
            // nibabel resets transform codes outside NIFTI_XFORM_* (0..5) to 0 (unknown)
            if (qformCode < 0 || qformCode > 5) qformCode = 0;
            if (sformCode < 0 || sformCode > 5) sformCode = 0;
            return new NiftiHeader(this);
        }
    }

    static Builder builder() {
        return new Builder();
    }
}
