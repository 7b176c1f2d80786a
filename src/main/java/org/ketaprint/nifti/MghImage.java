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
        bytesPer(type, name);
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
    }

    /** Reads the header of an .mgh, .mgz or .mgh.gz file and checks the data size. */
    public static MghImage load(Path p) {
        String name = p.toString();
        if (!Files.exists(p)) throw new NiftiException(name, "no such file");
        if (Files.isDirectory(p)) throw new NiftiException(name, "is a directory, not an image file");
        boolean gz = ImageFiles.isGzip(p);
        byte[] head = new byte[HEADER_BYTES];
        int n;
        try (InputStream in = ImageFiles.open(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (java.util.zip.ZipException e) {
            throw new NiftiException(name, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new NiftiException(name, "cannot read: " + e.getMessage(), e);
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

    private long dataBytes() {
        return (long) bytesPer(type, path.toString()) * dims[0] * dims[1] * dims[2] * dims[3];
    }

    private void checkDataSize() {
        long need = DATA_OFFSET + dataBytes();
        String name = path.toString();
        try {
            if (!compressed) {
                long size = Files.size(path);
                if (size < need) {
                    throw new NiftiException(name, "data shorter than the header promises: file has " + size
                        + " bytes, header needs " + need);
                }
            } else if (need < (1L << 32)) {
                long isize = ImageFiles.gzipIsize(path);
                if (isize >= 0 && isize < need) {
                    throw new NiftiException(name, "data shorter than the header promises: file holds " + isize
                        + " bytes uncompressed, header needs " + need);
                }
            }
        } catch (IOException e) {
            throw new NiftiException(name, "cannot read: " + e.getMessage(), e);
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

    /** The footer's TR, flip angle, TE, TI (ms; flip angle in radians), zeros when the file has none. */
    public synchronized double[] footer() {
        if (footer == null) {
            double[] f = new double[4];
            try (InputStream in = ImageFiles.open(path)) {
                ImageFiles.skipFully(in, DATA_OFFSET + dataBytes());
                byte[] b = in.readNBytes(16);
                ByteBuffer bb = ByteBuffer.wrap(java.util.Arrays.copyOf(b, 16)).order(ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < 4; i++) f[i] = bb.getFloat(4 * i);
            } catch (EOFException e) {
                throw shortData();
            } catch (IOException e) {
                throw new NiftiException(path.toString(), "cannot read: " + e.getMessage(), e);
            }
            footer = f;
        }
        return footer.clone();
    }

    private NiftiException shortData() {
        return new NiftiException(path.toString(), "data shorter than the header promises ("
            + dataBytes() + " bytes of data from offset " + DATA_OFFSET + ")");
    }

    @Override
    public float[] readVolume(long t) {
        double[] d = readVolumeDouble(t);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    @Override
    public double[] readVolumeDouble(long t) {
        if (t < 0 || t >= dims[3]) throw new IndexOutOfBoundsException("volume " + t + " of " + dims[3]);
        int bpv = bytesPer(type, path.toString());
        long nv = (long) dims[0] * dims[1] * dims[2];
        if (nv * bpv > Integer.MAX_VALUE - 8) {
            throw new NiftiException(path.toString(), "too large to hold in one array (" + nv + " voxels)");
        }
        byte[] raw = new byte[(int) (nv * bpv)];
        try (InputStream in = ImageFiles.open(path)) {
            ImageFiles.skipFully(in, DATA_OFFSET + t * nv * bpv);
            if (in.readNBytes(raw, 0, raw.length) < raw.length) throw shortData();
        } catch (EOFException e) {
            throw shortData();
        } catch (java.util.zip.ZipException e) {
            throw new NiftiException(path.toString(), "corrupt gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new NiftiException(path.toString(), "cannot read data: " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        double[] out = new double[(int) nv];
        switch (type) {
            case 0 -> { for (int i = 0; i < out.length; i++) out[i] = raw[i] & 0xff; }
            case 1 -> { for (int i = 0; i < out.length; i++) out[i] = b.getInt(4 * i); }
            case 3 -> { for (int i = 0; i < out.length; i++) out[i] = b.getFloat(4 * i); }
            default -> { for (int i = 0; i < out.length; i++) out[i] = b.getShort(2 * i); }
        }
        return out;
    }
}
