package org.ketaprint.nifti;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes little-endian NIfTI-1 .nii or .nii.gz (uint8, int16, int32, float32, float64). Output goes to a
 * temporary file in the same folder that is renamed into place, so readers never see half a file. The file name
 * decides whether it is gzipped; the spec's {@link Compression} gives the level (the default's for none), and
 * {@link ParallelGzip} deflates it on all cores.
 */
public final class NiftiWriter {
    /** The datatypes the writer can store. */
    public static final java.util.List<DataType> TYPES = java.util.List.of(
        DataType.UINT8, DataType.INT16, DataType.INT32, DataType.FLOAT32, DataType.FLOAT64);

    private NiftiWriter() {
    }

    /** What to write besides the data: shape, type, geometry and units. */
    public static final class Spec {
        long[] shape;
        DataType datatype = DataType.FLOAT32;
        double[] zooms;
        Affine sform;
        int sformCode = 2;
        int qformCode = 2;
        double[] quatern;     // b, c, d, qoffset x, y, z, qfac — null: derived from the sform
        double tr = Double.NaN;
        int xyztUnits = 2 | 8;
        int intentCode;
        String descrip = "ketaprint";
        Compression compression = Compression.DEFAULT;

        /**
         * A spec on the geometry of {@code like}, with its own shape and type. A NIfTI source keeps its sform and
         * qform codes and values, units and pixdim (so TR); an Analyze source (or a NIfTI one with neither
         * transform whose spatial shape changes) gets its affine as sform and qform with code 2 (aligned).
         */
        public static Spec like(NiftiImage like, long[] shape, DataType type) {
            NiftiHeader h = like.header();
            Spec s = new Spec();
            s.shape = shape.clone();
            s.datatype = type;
            s.zooms = new double[shape.length];
            for (int i = 0; i < shape.length; i++) s.zooms[i] = i < 7 ? h.pixdim(i + 1) : 1;
            s.sform = like.affine();
            boolean sameSpace = true;
            long[] in = h.shape();
            for (int i = 0; i < 3; i++) {
                long a = i < in.length ? in[i] : 1, b = i < shape.length ? shape[i] : 1;
                if (a != b) sameSpace = false;
            }
            if (h.version > 0 && (h.sformCode > 0 || h.qformCode > 0 || sameSpace)) {
                s.sformCode = h.sformCode;
                s.qformCode = h.qformCode;
                if (h.sformCode > 0 || h.qformCode > 0) s.sform = h.sform();
                if (h.qformCode > 0) {
                    s.quatern = new double[] {h.quatern[0], h.quatern[1], h.quatern[2],
                        h.qoffset[0], h.qoffset[1], h.qoffset[2], h.pixdim(0)};
                }
                s.xyztUnits = h.xyztUnits;
            } else {
                s.sformCode = 2;
                s.qformCode = 2;
                if (h.version > 0) s.xyztUnits = h.xyztUnits;
            }
            return s;
        }

        /** A spec from an affine alone (sform and qform both set from it, code 2 = aligned). */
        public static Spec of(long[] shape, Affine affine, DataType type) {
            Spec s = new Spec();
            s.shape = shape.clone();
            s.datatype = type;
            double[] vs = affine.voxelSizes();
            s.zooms = new double[shape.length];
            for (int i = 0; i < shape.length; i++) s.zooms[i] = i < 3 ? vs[i] : 1;
            s.sform = affine;
            return s;
        }

        public Spec shape(long... shape) {
            double[] z = new double[shape.length];
            for (int i = 0; i < shape.length; i++) z[i] = i < zooms.length ? zooms[i] : 1;
            this.shape = shape.clone();
            this.zooms = z;
            return this;
        }

        public Spec datatype(DataType t) {
            this.datatype = t;
            return this;
        }

        /** Repetition time in seconds (stored in pixdim[4] with seconds as the time unit). */
        public Spec tr(double seconds) {
            this.tr = seconds;
            return this;
        }

        public Spec codes(int sform, int qform) {
            this.sformCode = sform;
            this.qformCode = qform;
            return this;
        }

        public Spec intent(int code) {
            this.intentCode = code;
            return this;
        }

        public Spec descrip(String d) {
            this.descrip = d;
            return this;
        }

        /** The gzip level of a .nii.gz (default 1; none: the default level; the file name decides whether to gzip). */
        public Spec compression(Compression c) {
            this.compression = c;
            return this;
        }
    }

    /** Threads that deflate .nii.gz outputs: {@code -Dketaprint.gzip.threads=N}, default the available processors. */
    public static int gzipThreads() {
        return ParallelGzip.poolThreads();
    }

    /** Writes float32 values (converted to the spec's type: rounded and clamped for integer types). */
    public static void write(Path out, Spec spec, float[] data) {
        write(out, spec, new Floats(data), data.length);
    }

    public static void write(Path out, Spec spec, double[] data) {
        write(out, spec, i -> data[(int) i], data.length);
    }

    /**
     * Writes the scaled data of {@code src}, streamed (any size), converted to the spec's type; the spec's shape
     * must hold as many voxels as {@code src}. This is {@code fslmaths IN OUT -odt TYPE}.
     */
    public static void write(Path out, Spec spec, NiftiImage src) {
        long n = src.header().totalVoxels();
        try (ElementReader r = new ElementReader(src, 0)) {
            double[] buf = new double[(int) Math.min(n, 1 << 16)];
            long[] start = {0, 0};  // first index in buf, valid count
            write(out, spec, i -> {
                if (i >= start[0] + start[1]) {
                    int k = (int) Math.min(buf.length, n - i);
                    r.readDouble(buf, 0, k);
                    start[0] = i;
                    start[1] = k;
                }
                return buf[(int) (i - start[0])];
            }, n);
        }
    }

    /**
     * Writes the data of any image, a volume at a time (x fastest, volumes slowest, as NIfTI stores them),
     * converted to the spec's type; the spec's shape must hold as many voxels as {@code src}.
     */
    public static void write(Path out, Spec spec, Image src) {
        if (src instanceof NiftiImage n) {
            write(out, spec, n);
            return;
        }
        try (Image.VolumeCursor c = src.volumeCursor()) {
            writeVolumes(out, spec, v -> c.next(), src.volumes());
        }
    }

    /** Gives the volumes to write, in order (0, 1, ...), each once; the array may be reused for the next. */
    @FunctionalInterface
    public interface VolumeSource {
        double[] volume(long v);
    }

    /**
     * Writes {@code volumes} 3D volumes of the spec's first three dims, asking {@code src} for each in order, so that
     * only one volume is in memory (e.g. a 4D series resampled volume by volume).
     */
    public static void writeVolumes(Path out, Spec spec, VolumeSource src, long volumes) {
        long perVolume = spec.shape[0] * (spec.shape.length > 1 ? spec.shape[1] : 1) * (spec.shape.length > 2 ? spec.shape[2] : 1);
        long n = perVolume * volumes;
        double[][] vol = {null};
        long[] t = {-1};
        write(out, spec, i -> {
            long v = i / perVolume;
            if (v != t[0]) {
                vol[0] = src.volume(v);
                if (vol[0].length != perVolume) {
                    throw new IllegalArgumentException("volume " + v + " has " + vol[0].length + " values, expected " + perVolume);
                }
                t[0] = v;
            }
            return vol[0][(int) (i - v * perVolume)];
        }, n);
    }

    /**
     * Rewrites {@code in} (any image {@link Images#open} reads: NIfTI-1/2, Analyze, MGH/MGZ) as NIfTI-1 {@code out}
     * (.nii or .nii.gz) in {@code type}. A NIfTI/Analyze source keeps its geometry and TR via {@link Spec#like}; an
     * MGH source gets its vox2ras affine (as nibabel's {@code MGHImage.affine}) as sform and qform with code 1
     * (scanner anatomical, as FreeSurfer's mri_convert writes them; qform code 0 when the affine shears, which no
     * qform can hold), the affine's voxel sizes, and for several frames the footer's TR in seconds.
     */
    public static void convert(Path in, Path out, DataType type) {
        convert(in, out, type, Compression.DEFAULT);
    }

    /** {@link #convert(Path, Path, DataType)}, a .nii.gz gzipped at {@code c}'s level. */
    public static void convert(Path in, Path out, DataType type, Compression c) {
        String name = out.getFileName().toString().toLowerCase();
        if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
            throw new NiftiException(out.toString(), "output must end in .nii or .nii.gz");
        }
        Image img = Images.open(in);
        write(out, specFor(img, type).compression(c), img);
    }

    /** The spec {@link #convert} writes {@code img} with: its shape and geometry in {@code type}. */
    public static Spec specFor(Image img, DataType type) {
        if (img instanceof NiftiImage n) return Spec.like(n, n.shape(), type);
        Spec s = Spec.of(img.shape(), img.affine(), type).codes(1, orthogonal(img.affine()) ? 1 : 0);
        if (!Double.isNaN(img.repetitionTime())) s.tr(img.repetitionTime());
        return s;
    }

    /** True when the 3x3 part's columns are orthogonal, i.e. a qform (rotation, zooms, flip) can hold it. */
    static boolean orthogonal(Affine a) {
        double[] vs = a.voxelSizes();
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double dot = 0;
                for (int r = 0; r < 3; r++) dot += a.get(r, i) * a.get(r, j);
                if (Math.abs(dot) > 1e-6 * vs[i] * vs[j]) return false;
            }
        }
        return true;
    }

    /** Values in file order; the writer asks for them once each, in order. */
    interface Values {
        double get(long i);
    }

    /** A float array: stored as float32 in bulk, without a call per value. */
    private record Floats(float[] a) implements Values {
        @Override
        public double get(long i) {
            return a[(int) i];
        }
    }

    private static void write(Path out, Spec spec, Values v, long n) {
        long total = 1;
        for (long d : spec.shape) total *= d;
        if (total != n) {
            throw new IllegalArgumentException("data length " + n + " does not match shape product " + total);
        }
        if (spec.shape.length < 1 || spec.shape.length > 7) {
            throw new NiftiException(out.toString(), "cannot write " + spec.shape.length + " dimensions (NIfTI has 1 to 7)");
        }
        for (long d : spec.shape) {
            if (d < 1 || d > Short.MAX_VALUE) {
                throw new NiftiException(out.toString(), "dimension " + d + " does not fit a NIfTI-1 header (1..32767)");
            }
        }
        DataType t = spec.datatype;
        if (t != DataType.UINT8 && t != DataType.INT16 && t != DataType.INT32 && t != DataType.FLOAT32
            && t != DataType.FLOAT64) {
            throw new IllegalArgumentException("the writer supports uint8, int16, int32, float32, float64, not " + t.label);
        }
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = newTemp(dir, out);
            boolean gz = out.getFileName().toString().toLowerCase().endsWith(".gz");
            int level = (spec.compression.gzip() ? spec.compression : Compression.DEFAULT).level();
            try (OutputStream fo = Files.newOutputStream(tmp);
                 OutputStream os = gz ? new ParallelGzip(fo, level) : new BufferedOutputStream(fo, 1 << 16)) {
                os.write(header(spec));
                writeData(os, t, v, n);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new NiftiException(out.toString(), "cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort clean-up
                }
            }
        }
    }

    /**
     * A new temporary file beside {@code out}, rw-r--r-- like a normally created file (not the 0600 of
     * createTempFile) so that outputs can be shared with a group. Same rule as table.AtomicFile, kept here so
     * that nifti does not depend on table.
     */
    private static Path newTemp(Path dir, Path out) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: keep its defaults
        }
        return tmp;
    }

    private static void writeData(OutputStream os, DataType t, Values v, long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        if (v instanceof Floats f && t == DataType.FLOAT32) {
            java.nio.FloatBuffer fb = b.asFloatBuffer();
            for (int i = 0; i < n; i += fb.capacity()) {
                int k = (int) Math.min(fb.capacity(), n - i);
                fb.clear();
                fb.put(f.a(), i, k);
                os.write(b.array(), 0, 4 * k);
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            if (b.remaining() < 8) {
                os.write(b.array(), 0, b.position());
                b.clear();
            }
            double x = v.get(i);
            switch (t) {
                case UINT8 -> b.put((byte) clampRound(x, 0, 255));
                case INT16 -> b.putShort((short) clampRound(x, Short.MIN_VALUE, Short.MAX_VALUE));
                case INT32 -> b.putInt((int) clampRound(x, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case FLOAT32 -> b.putFloat((float) x);
                default -> b.putDouble(x);
            }
        }
        os.write(b.array(), 0, b.position());
    }

    private static long clampRound(double x, long lo, long hi) {
        if (Double.isNaN(x)) return 0;
        double r = Math.rint(x);
        return (long) Math.max(lo, Math.min(hi, r));
    }

    static byte[] header(Spec s) {
        ByteBuffer b = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 348);
        b.put(38, (byte) 'r');
        b.putShort(40, (short) s.shape.length);
        for (int i = 0; i < 7; i++) {
            long d = i < s.shape.length ? s.shape[i] : 1;
            if (d > Short.MAX_VALUE) throw new IllegalArgumentException("dimension " + d + " too large for NIfTI-1");
            b.putShort(42 + 2 * i, (short) d);
        }
        b.putShort(68, (short) s.intentCode);
        b.putShort(70, (short) s.datatype.code);
        b.putShort(72, (short) (s.datatype.bytes * 8));
        double[] q = s.quatern != null ? s.quatern : Quaternion.fromAffine(s.sform);
        b.putFloat(76, (float) q[6]);
        for (int i = 0; i < 7; i++) {
            double z = i < s.zooms.length ? s.zooms[i] : 1;
            if (i == 3 && !Double.isNaN(s.tr)) z = s.tr;
            b.putFloat(80 + 4 * i, (float) z);
        }
        b.putFloat(108, 352);
        b.putFloat(112, 1);
        b.putFloat(116, 0);
        int units = s.xyztUnits;
        if (!Double.isNaN(s.tr)) units = (units & 0x07) | 8;
        b.put(123, (byte) units);
        byte[] d = s.descrip.getBytes(StandardCharsets.US_ASCII);
        b.put(148, d, 0, Math.min(d.length, 79));
        b.putShort(252, (short) s.qformCode);
        b.putShort(254, (short) s.sformCode);
        for (int i = 0; i < 3; i++) {
            b.putFloat(256 + 4 * i, (float) q[i]);
            b.putFloat(268 + 4 * i, (float) q[3 + i]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) b.putFloat(280 + 16 * r + 4 * c, (float) s.sform.get(r, c));
        }
        b.put(344, new byte[] {'n', '+', '1', 0});
        return b.array();
    }
}
