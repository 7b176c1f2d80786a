package org.ketaprint.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * FreeSurfer MGH image, plain (.mgh) or gzipped (.mgz, .mgh.gz). A big-endian 284-byte header, then
 * the data with x fastest and frames slowest, then an optional footer (TR, flip angle, TE, TI in ms).
 * The vox2ras affine is built as nibabel's {@code MGHHeader.get_affine} does.
 */
public final class MghImage implements Image {
    /** Where the data start. */
    public static final int DATA_OFFSET = 284;
    private static final int HEADER_BYTES = 90;

    private final Path path;
    private final boolean compressed;
    private final int[] dims;
    private final int type;
    private final int dof;
    private final short goodRasFlag;
    private final double[] delta;
    private final double[][] mdc;
    private final double[] pxyzC;
    private final Affine affine;
    private final long dataBytes;
    private double[] footer;

    private MghImage(Path path, boolean compressed, ByteBuffer h) {
        this.path = path;
        this.compressed = compressed;
        String name = path.toString();
        int version = h.getInt(0);
        if (version != 1) throw new NiftiException(name, "not an MGH file (version " + version + ", expected 1)");
        dims = new int[] {h.getInt(4), h.getInt(8), h.getInt(12), h.getInt(16)};
        for (int d : dims) {
            if (d <= 0) throw new NiftiException(name, "bad MGH dimensions " + java.util.Arrays.toString(dims));
        }
        type = h.getInt(20);
        dataBytes = dataBytes(dims, bytesPer(type, name), name) - DATA_OFFSET;
        dof = h.getInt(24);
        goodRasFlag = h.getShort(28);
        delta = new double[3];
        mdc = new double[3][3];
        pxyzC = new double[3];
        if (goodRasFlag != 0) {
            for (int i = 0; i < 3; i++) delta[i] = h.getFloat(30 + 4 * i);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) mdc[r][c] = h.getFloat(42 + 4 * (3 * r + c));
            }
            for (int i = 0; i < 3; i++) pxyzC[i] = h.getFloat(78 + 4 * i);
        } else {
            // nibabel's _set_affine_default: unit zooms, fixed direction cosines, centre at 0
            java.util.Arrays.fill(delta, 1);
            mdc[0][0] = -1;
            mdc[1][2] = 1;
            mdc[2][1] = -1;
        }
        affine = vox2ras();
        String bad = affine.problem();   // NaN or zero voxel sizes or direction cosines: nibabel reads them, we cannot
        if (bad != null) throw new NiftiException(name, "the affine (vox2ras) " + bad);
    }

    /** Reads the header of an .mgh, .mgz or .mgh.gz file and checks the data size. */
    public static MghImage load(Path p) {
        String name = p.toString();
        ImageFiles.requireRegular(p);
        boolean gz = ImageFiles.isGzip(p);
        byte[] head = new byte[HEADER_BYTES];
        int n;
        try (InputStream in = ImageFiles.open(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw ImageFiles.readError(p, e);
        }
        if (n < HEADER_BYTES) throw new NiftiException(name, "too short for an MGH header (" + n + " bytes)");
        MghImage img = new MghImage(p, gz, ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN));
        img.checkDataSize();
        return img;
    }

    private static int bytesPer(int type, String name) {
        return switch (type) {
            case 0 -> 1;
            case 1, 3 -> 4;
            case 4 -> 2;
            default -> throw new NiftiException(name, "unsupported MGH data type " + type
                + " (known: 0 uchar, 1 int, 3 float, 4 short)");
        };
    }

    /** Bytes of data the header promises; a product beyond 2^63 is refused when the header is read. */
    private long dataBytes() {
        return dataBytes;
    }

    private static long dataBytes(int[] dims, int bytes, String name) {
        try {
            long n = bytes;
            for (int d : dims) n = Math.multiplyExact(n, d);
            return Math.addExact(n, DATA_OFFSET);
        } catch (ArithmeticException e) {
            throw new NiftiException(name, "image size overflows: " + dims[0] + "x" + dims[1] + "x" + dims[2] + "x"
                + dims[3] + " voxels of " + bytes + " bytes need more than 2^63 bytes");
        }
    }

    private void checkDataSize() {
        long need = DATA_OFFSET + dataBytes();
        String name = path.toString();
        if (compressed) {
            ImageFiles.checkGzipHolds(path, need);
            return;
        }
        try {
            long size = Files.size(path);
            if (size < need) {
                throw new NiftiException(name, "data shorter than the header promises: file has " + size
                    + " bytes, header needs " + need);
            }
        } catch (IOException e) {
            throw ImageFiles.readError(path, e);
        }
    }

    /** nibabel: MdcD = Mdc.T * delta; translation = Pxyz_c - MdcD . dims/2. */
    private Affine vox2ras() {
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            double centre = 0;
            for (int c = 0; c < 3; c++) {
                a[r][c] = mdc[c][r] * delta[c];
                centre += a[r][c] * dims[c] / 2.0;
            }
            a[r][3] = pxyzC[r] - centre;
        }
        a[3][3] = 1;
        return new Affine(a);
    }

    @Override
    public Path path() {
        return path;
    }

    /** (width, height, depth) or, with several frames, (width, height, depth, nframes), like nibabel. */
    @Override
    public long[] shape() {
        if (dims[3] == 1) return new long[] {dims[0], dims[1], dims[2]};
        return new long[] {dims[0], dims[1], dims[2], dims[3]};
    }

    @Override
    public Affine affine() {
        return affine;
    }

    @Override
    public Grid grid() {
        return new Grid(new int[] {dims[0], dims[1], dims[2]}, affine);
    }

    @Override
    public long volumes() {
        return dims[3];
    }

    /** The MGH type code: 0 uchar, 1 int, 3 float, 4 short. */
    public int typeCode() {
        return type;
    }

    public int dof() {
        return dof;
    }

    public short goodRasFlag() {
        return goodRasFlag;
    }

    /** Voxel sizes (mm) as stored in the header. */
    public double[] delta() {
        return delta.clone();
    }

    @Override
    public String datatypeName() {
        return switch (type) {
            case 0 -> "uint8";
            case 1 -> "int32";
            case 3 -> "float32";
            default -> "int16";
        };
    }

    @Override
    public boolean floatingPoint() {
        return type == 3;
    }

    /** TR in seconds for multi-frame images (the footer stores ms), NaN for 3D or when absent. */
    @Override
    public double repetitionTime() {
        if (dims[3] == 1) return Double.NaN;
        double tr = footer()[0];
        return tr > 0 ? tr / 1000.0 : Double.NaN;
    }

    /**
     * The footer's TR, flip angle, TE, TI (ms; flip angle in radians), zeros when the file has none. Reading it reads
     * the whole file, so for .mgz every gzip member is checked on the way.
     */
    public synchronized double[] footer() {
        if (footer == null) {
            double[] f = new double[4];
            try (InputStream in = ImageFiles.open(path)) {
                ImageFiles.skipFully(in, DATA_OFFSET + dataBytes());
                byte[] b = in.readNBytes(16);
                ImageFiles.verifyRest(in);
                ByteBuffer bb = ByteBuffer.wrap(java.util.Arrays.copyOf(b, 16)).order(ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < 4; i++) f[i] = bb.getFloat(4 * i);
            } catch (EOFException e) {
                throw shortData();
            } catch (IOException e) {
                throw ImageFiles.readError(path, e);
            }
            footer = f;
        }
        return footer.clone();
    }

    private NiftiException shortData() {
        return new NiftiException(path.toString(), "data shorter than the header promises ("
            + dataBytes() + " bytes of data from offset " + DATA_OFFSET + ")");
    }

    private long voxelsPerVolume() {
        return (long) dims[0] * dims[1] * dims[2];
    }

    /** Checks the memory budget for one volume as float64 and returns its voxel count. */
    private int volumeAllocation() {
        return MemoryBudget.check(path.toString(), "one volume (" + dims[0] + "x" + dims[1] + "x" + dims[2] + " "
            + datatypeName() + " voxels, as float64)", voxelsPerVolume(), Double.BYTES);
    }

    @Override
    public float[] readVolume(long t) {
        double[] d = readVolumeDouble(t);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /**
     * One frame as float64. Reading the last frame (the only one of a 3D image) reads on to the end of the file, so
     * that for .mgz it is a full read with every gzip member checked; an earlier frame of a 4D .mgz is not checked.
     */
    @Override
    public double[] readVolumeDouble(long t) {
        if (t < 0 || t >= dims[3]) throw new IndexOutOfBoundsException("volume " + t + " of " + dims[3]);
        double[] out = new double[volumeAllocation()];
        try (Reader r = new Reader(t)) {
            r.next(out);
        }
        return out;
    }

    /** All frames in order through one stream; the last one completes a full, checked read. */
    @Override
    public VolumeCursor volumeCursor() {
        double[] vol = new double[volumeAllocation()];
        Reader r = new Reader(0);
        return new VolumeCursor() {
            @Override
            public double[] next() {
                r.next(vol);
                return vol;
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }

    /** Decodes frames in order from a given one, through a 1 MB buffer. */
    private final class Reader implements AutoCloseable {
        private final InputStream in;
        private final int bpv = bytesPer(type, path.toString());
        private final byte[] chunk;
        private long t;

        Reader(long first) {
            long start = DATA_OFFSET + first * voxelsPerVolume() * bpv;
            chunk = new byte[(int) Math.min(1 << 20, Math.max(bpv, voxelsPerVolume() * bpv))];
            InputStream s = null;
            try {
                s = ImageFiles.open(path);
                ImageFiles.skipFully(s, start);
            } catch (IOException e) {
                closeQuietly(s);
                throw e instanceof EOFException ? shortData() : ImageFiles.readError(path, e);
            }
            in = s;
            t = first;
        }

        void next(double[] out) {
            if (t >= dims[3]) throw new java.util.NoSuchElementException("volume " + t + " of " + dims[3]);
            int per = chunk.length / bpv;
            ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
            try {
                for (int off = 0; off < out.length; off += per) {
                    int k = Math.min(per, out.length - off);
                    if (in.readNBytes(chunk, 0, k * bpv) < k * bpv) throw shortData();
                    switch (type) {
                        case 0 -> { for (int i = 0; i < k; i++) out[off + i] = chunk[i] & 0xff; }
                        case 1 -> { for (int i = 0; i < k; i++) out[off + i] = b.getInt(4 * i); }
                        case 3 -> { for (int i = 0; i < k; i++) out[off + i] = b.getFloat(4 * i); }
                        default -> { for (int i = 0; i < k; i++) out[off + i] = b.getShort(2 * i); }
                    }
                }
                if (++t == dims[3]) ImageFiles.verifyRest(in);   // footer and tags: small; checks every member
            } catch (EOFException e) {
                throw shortData();
            } catch (IOException e) {
                throw ImageFiles.readError(path, e);
            }
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only file; nothing to recover
        }
    }
}
