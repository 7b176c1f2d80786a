package org.ketaprint.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image as nibabel models it: a header, an affine, and data read lazily from the file on request.
 * Loading reads only the header; each data accessor streams the file in chunks.
 */
public final class NiftiImage implements Image {
    private final ImageFiles files;
    private final NiftiHeader header;
    private final Affine affine;
    private final boolean compressed;

    private NiftiImage(ImageFiles files, NiftiHeader header, boolean compressed) {
        this.files = files;
        this.header = header;
        this.compressed = compressed;
        this.affine = header.affine();
    }

    /** Reads the header of a .nii, .nii.gz, .hdr/.img or .hdr.gz/.img.gz image and checks its data size. */
    public static NiftiImage load(Path path) {
        ImageFiles f = ImageFiles.resolve(path);
        String name = f.header.toString();
        byte[] head = new byte[NiftiHeader.NIFTI2_SIZE];
        int n;
        try (InputStream in = ImageFiles.open(f.header)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw ImageFiles.readError(f.header, e);
        }
        NiftiHeader h = NiftiHeader.parse(head, n, name);
        if (h.singleFile != f.singleFile()) {
            if (h.singleFile) throw new NiftiException(name, "single-file NIfTI magic in a .hdr/.img pair");
            if (h.version > 0) throw new NiftiException(name, "NIfTI pair magic (ni" + h.version + ") in a single file");
            throw new NiftiException(name, "no NIfTI magic: an Analyze header must be a .hdr with an .img");
        }
        h.scaling();  // fails now, as nibabel does, on a valid slope with an invalid intercept
        String bad = h.affine().problem();   // nibabel reads such a header; no measure can use it
        if (bad != null) {
            String which = h.version == 0 ? "Analyze" : h.sformCode > 0 ? "sform" : h.qformCode > 0 ? "qform" : "pixdim";
            throw new NiftiException(name, "the affine (" + which + ") " + bad);
        }
        boolean gz = ImageFiles.isGzip(f.data);
        NiftiImage img = new NiftiImage(f, h, gz);
        img.checkDataSize();
        return img;
    }

    public static NiftiImage load(String path) {
        return load(Path.of(path));
    }

    /**
     * The data the header promises must be in the file before any array is made: for a plain file against its size;
     * for gzip against deflate's bound and the trailer, counting the bytes when the trailer disagrees
     * ({@link ImageFiles#checkGzipHolds}). Reading the data checks again: fewer bytes than promised is an error.
     */
    private void checkDataSize() {
        long need = dataOffset() + header.dataBytes();
        String name = files.data.toString();
        if (compressed) {
            ImageFiles.checkGzipHolds(files.data, need);
            return;
        }
        try {
            long size = Files.size(files.data);
            if (size < need) {
                throw new NiftiException(name, "data shorter than the header promises: file has " + size
                    + " bytes, header needs " + need);
            }
        } catch (IOException e) {
            throw ImageFiles.readError(files.data, e);
        }
    }

    public NiftiHeader header() {
        return header;
    }

    public Affine affine() {
        return affine;
    }

    @Override
    public long volumes() {
        return header.volumes();
    }

    @Override
    public String datatypeName() {
        return header.datatype.label;
    }

    @Override
    public boolean floatingPoint() {
        return header.datatype.isFloat() || header.scaling() != null;
    }

    public Path path() {
        return files.header;
    }

    ImageFiles files() {
        return files;
    }

    boolean compressed() {
        return compressed;
    }

    long dataOffset() {
        return header.voxOffset;
    }

    public long[] shape() {
        return header.shape();
    }

    /** The spatial grid (first three dims and the affine). */
    public Grid grid() {
        long[] s = shape();
        int[] g = {1, 1, 1};
        for (int i = 0; i < Math.min(3, s.length); i++) g[i] = (int) s[i];
        return new Grid(g, affine);
    }

    /** Repetition time in seconds, NaN for 3D. */
    public double repetitionTime() {
        return header.repetitionTime();
    }

    /**
     * Checks, before it is made, an array of {@code n} values of {@code bytes} bytes for {@code what} against one Java
     * array's limit and the {@link MemoryBudget}; returns n.
     */
    private int allocation(String what, long n, int bytes) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape()) dims.append(dims.length() == 0 ? "" : "x").append(d);
        return MemoryBudget.check(path().toString(), what + " (" + dims + " " + header.datatype.label + " voxels, as "
            + (bytes == Float.BYTES ? "float32" : "float64") + ")", n, bytes);
    }

    /** All data, scaled, as float32 in file order (x fastest); a full read (gzip: every member checked). */
    public float[] readFloat() {
        float[] out = new float[allocation("all data", header.totalVoxels(), Float.BYTES)];
        try (ElementReader r = new ElementReader(this, 0)) {
            r.readFloat(out, 0, out.length);
        }
        return out;
    }

    /** All data, scaled, as float64 in file order; a full read (gzip: every member checked). */
    public double[] readDouble() {
        double[] out = new double[allocation("all data", header.totalVoxels(), Double.BYTES)];
        try (ElementReader r = new ElementReader(this, 0)) {
            r.readDouble(out, 0, out.length);
        }
        return out;
    }

    /**
     * One 3D volume (index over dims 4..7), scaled, as float32. The last volume (the only one of a 3D image) is read
     * on to the end of the file, a full read: for gzip every member's CRC32 and ISIZE are checked. An earlier volume of
     * a 4D gzip image is a partial read: the stream stops after it, unchecked.
     */
    public float[] readVolume(long t) {
        checkVolume(t);
        int nv = allocation("one volume", header.voxelsPerVolume(), Float.BYTES);
        float[] out = new float[nv];
        try (ElementReader r = new ElementReader(this, t * nv)) {
            r.readFloat(out, 0, nv);
        }
        return out;
    }

    /** One 3D volume as float64 (exact for integer labels); full or partial read as {@link #readVolume}. */
    public double[] readVolumeDouble(long t) {
        checkVolume(t);
        int nv = allocation("one volume", header.voxelsPerVolume(), Double.BYTES);
        double[] out = new double[nv];
        try (ElementReader r = new ElementReader(this, t * nv)) {
            r.readDouble(out, 0, nv);
        }
        return out;
    }

    /** All volumes in order through one stream, as float64 (see {@link Image#volumeCursor}). */
    @Override
    public VolumeCursor volumeCursor() {
        int nv = allocation("one volume", header.voxelsPerVolume(), Double.BYTES);
        double[] vol = new double[nv];
        ElementReader r = new ElementReader(this, 0);
        return new VolumeCursor() {
            private long t;

            @Override
            public double[] next() {
                if (t >= header.volumes()) throw new java.util.NoSuchElementException("volume " + t + " of " + header.volumes());
                r.readDouble(vol, 0, nv);
                t++;
                return vol;
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }

    private void checkVolume(long t) {
        if (t < 0 || t >= header.volumes()) {
            throw new IndexOutOfBoundsException("volume " + t + " of " + header.volumes());
        }
    }

    /** Receives volumes in order; the array is reused between calls. */
    @FunctionalInterface
    public interface VolumeVisitor {
        void visit(long t, float[] volume);
    }

    /** Streams every volume in order through one reusable buffer: a full read (gzip: every member checked). */
    public void forEachVolume(VolumeVisitor v) {
        int nv = allocation("one volume", header.voxelsPerVolume(), Float.BYTES);
        float[] vol = new float[nv];
        try (ElementReader r = new ElementReader(this, 0)) {
            for (long t = 0; t < header.volumes(); t++) {
                r.readFloat(vol, 0, nv);
                v.visit(t, vol);
            }
        }
    }

    /**
     * The voxel-by-time matrix of the given voxels (indices into a volume): row i holds voxel
     * {@code voxels[i]}'s series, i.e. element [i * T + t]. Streams volumes, so only the matrix and one
     * volume are in memory.
     */
    public float[] readMasked(int[] voxels) {
        long nv = header.voxelsPerVolume();
        for (int v : voxels) {
            if (v < 0 || v >= nv) throw new IndexOutOfBoundsException("voxel index " + v + " outside 0.." + (nv - 1));
        }
        if (header.volumes() > MemoryBudget.MAX_ARRAY) {
            throw new NiftiException(path().toString(), header.volumes() + " volumes are too many for one series");
        }
        int nt = (int) header.volumes();
        float[] out = new float[allocation("the series of " + voxels.length + " voxels", (long) voxels.length * header.volumes(),
            Float.BYTES)];
        forEachVolume((t, vol) -> {
            int tt = (int) t;
            for (int i = 0; i < voxels.length; i++) out[i * nt + tt] = vol[voxels[i]];
        });
        return out;
    }

    /** Min, max, mean, sum over finite scaled values, and the count of non-finite ones; a full read. */
    public Stats stats() {
        Stats s = new Stats();
        long total = header.totalVoxels();
        double[] chunk = new double[(int) Math.min(total, 1 << 20)];
        try (ElementReader r = new ElementReader(this, 0)) {
            long done = 0;
            while (done < total) {
                int k = (int) Math.min(chunk.length, total - done);
                r.readDouble(chunk, 0, k);
                s.add(chunk, k);
                done += k;
            }
        }
        return s;
    }

    /** Summary statistics accumulated in double precision (Kahan-summed). */
    public static final class Stats {
        public double min = Double.NaN;
        public double max = Double.NaN;
        public long finite;
        public long nonfinite;
        private double sum;
        private double comp;

        /** Adds the first {@code k} values of {@code v}. */
        public void add(double[] v, int k) {
            double lo = min, hi = max;
            for (int i = 0; i < k; i++) {
                double x = v[i];
                if (!Double.isFinite(x)) {
                    nonfinite++;
                    continue;
                }
                if (finite == 0 || x < lo) lo = x;
                if (finite == 0 || x > hi) hi = x;
                finite++;
                double y = x - comp;
                double t = sum + y;
                comp = (t - sum) - y;
                sum = t;
            }
            min = lo;
            max = hi;
        }

        public double sum() {
            return sum;
        }

        public double mean() {
            return finite == 0 ? Double.NaN : sum / finite;
        }
    }
}
