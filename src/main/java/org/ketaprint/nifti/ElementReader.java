package org.ketaprint.nifti;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads an image's data sequentially from a given element on, decoding the stored type and applying
 * scl_slope/scl_inter. Works in chunks of a few MB, so it never holds more than the caller's arrays.
 * Plain files are read through a FileChannel into a direct buffer; gzip streams inflate straight into a
 * heap buffer (one copy fewer than a channel wrapper, which moves 8 KB at a time).
 * A reader that takes the image's last element reads the gzip stream on to its end, so every member's CRC32 and
 * ISIZE are checked (a full read); one that stops earlier (one volume of a 4D file) has checked only the members
 * it finished.
 */
final class ElementReader implements Closeable {
    private static final int CHUNK_BYTES = 4 << 20;
    private static final int STREAM_CHUNK_BYTES = 1 << 20;

    private final NiftiImage image;
    private final DataType type;
    private final double slope;
    private final double inter;
    private final boolean scaled;
    private final FileChannel channel;
    private final InputStream stream;
    private final ByteBuffer buf;
    private double[] tmp;
    private long remaining;

    ElementReader(NiftiImage image, long firstElement) {
        this.image = image;
        NiftiHeader h = image.header();
        this.type = h.datatype;
        double[] sc = h.scaling();
        this.scaled = sc != null;
        this.slope = scaled ? sc[0] : 1;
        this.inter = scaled ? sc[1] : 0;
        this.remaining = h.totalVoxels() - firstElement;
        long start = image.dataOffset() + firstElement * type.bytes;
        InputStream in = null;
        FileChannel fc = null;
        try {
            if (image.compressed()) {
                in = ImageFiles.open(image.files().data);
                ImageFiles.skipFully(in, start);
            } else {
                fc = FileChannel.open(image.files().data, StandardOpenOption.READ);
                fc.position(start);
            }
        } catch (EOFException e) {
            closeQuietly(in, fc);
            throw shortData();
        } catch (IOException e) {
            closeQuietly(in, fc);
            throw ImageFiles.readError(image.files().data, e);
        }
        stream = in;
        channel = fc;
        long elems = Math.max(1, Math.min((stream != null ? STREAM_CHUNK_BYTES : CHUNK_BYTES) / type.bytes, remaining));
        int cap = (int) elems * type.bytes;
        buf = (stream != null ? ByteBuffer.allocate(cap) : ByteBuffer.allocateDirect(cap)).order(h.order);
    }

    private NiftiException shortData() {
        NiftiHeader h = image.header();
        return new NiftiException(image.files().data.toString(), "data shorter than the header promises ("
            + h.totalVoxels() + " voxels of " + type.label + " from offset " + image.dataOffset() + ")");
    }

    /** Fills the buffer with exactly k elements. */
    private void fill(int k) {
        if (k > remaining) throw new IllegalStateException("read past the end of the data");
        buf.clear();
        int need = k * type.bytes;
        buf.limit(need);
        try {
            if (stream != null) {
                if (stream.readNBytes(buf.array(), buf.arrayOffset(), need) < need) throw shortData();
                buf.position(need);
                if (k == remaining) ImageFiles.verifyRest(stream);   // the last element: check the rest of the stream
            } else {
                while (buf.hasRemaining()) {
                    if (channel.read(buf) < 0) throw shortData();
                }
            }
        } catch (EOFException e) {
            throw shortData();
        } catch (IOException e) {
            throw ImageFiles.readError(image.files().data, e);
        }
        buf.flip();
        remaining -= k;
    }

    private int chunkElements() {
        return buf.capacity() / type.bytes;
    }

    void readFloat(float[] dst, int off, int n) {
        while (n > 0) {
            int k = Math.min(n, chunkElements());
            fill(k);
            if (type == DataType.FLOAT32 && !scaled) {
                buf.asFloatBuffer().get(dst, off, k);
            } else {
                if (tmp == null) tmp = new double[chunkElements()];
                decode(tmp, 0, k);
                if (scaled) {
                    for (int i = 0; i < k; i++) dst[off + i] = (float) (tmp[i] * slope + inter);
                } else {
                    for (int i = 0; i < k; i++) dst[off + i] = (float) tmp[i];
                }
            }
            off += k;
            n -= k;
        }
    }

    void readDouble(double[] dst, int off, int n) {
        while (n > 0) {
            int k = Math.min(n, chunkElements());
            fill(k);
            decode(dst, off, k);
            if (scaled) {
                for (int i = off; i < off + k; i++) dst[i] = dst[i] * slope + inter;
            }
            off += k;
            n -= k;
        }
    }

    /** Decodes k stored values from the buffer, unscaled. */
    private void decode(double[] d, int off, int k) {
        ByteBuffer b = buf;
        switch (type) {
            case UINT8 -> { for (int i = 0; i < k; i++) d[off + i] = b.get(i) & 0xff; }
            case INT8 -> { for (int i = 0; i < k; i++) d[off + i] = b.get(i); }
            case INT16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < k; i++) d[off + i] = s.get(i);
            }
            case UINT16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < k; i++) d[off + i] = s.get(i) & 0xffff;
            }
            case INT32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < k; i++) d[off + i] = s.get(i);
            }
            case UINT32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < k; i++) d[off + i] = s.get(i) & 0xffffffffL;
            }
            case INT64 -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < k; i++) d[off + i] = s.get(i);
            }
            case UINT64 -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < k; i++) {
                    long v = s.get(i);
                    d[off + i] = v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                }
            }
            case FLOAT32 -> {
                var s = b.asFloatBuffer();
                for (int i = 0; i < k; i++) d[off + i] = s.get(i);
            }
            case FLOAT64 -> b.asDoubleBuffer().get(d, off, k);
            default -> throw new IllegalStateException(type.toString());
        }
    }

    @Override
    public void close() {
        closeQuietly(stream, channel);
    }

    private static void closeQuietly(Closeable... cs) {
        for (Closeable c : cs) {
            if (c == null) continue;
            try {
                c.close();
            } catch (IOException ignored) {
                // read-only file; nothing to recover
            }
        }
    }
}
