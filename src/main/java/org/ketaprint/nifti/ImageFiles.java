package org.ketaprint.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ketaprint.InputFiles;

/** Where an image's header and data live: .nii[.gz], or .hdr[.gz] + .img[.gz]; how they are opened and checked. */
final class ImageFiles {
    final Path header;
    final Path data;

    private ImageFiles(Path header, Path data) {
        this.header = header;
        this.data = data;
    }

    static ImageFiles resolve(Path p) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase();
        String gz = lower.endsWith(".gz") ? name.substring(name.length() - 3) : "";
        String base = name.substring(0, name.length() - gz.length());
        String lb = base.toLowerCase();
        if (lb.endsWith(".hdr") || lb.endsWith(".img")) {
            String stem = base.substring(0, base.length() - 4);
            boolean upper = base.endsWith(".HDR") || base.endsWith(".IMG");
            Path hdr = p.resolveSibling(stem + (upper ? ".HDR" : ".hdr") + gz);
            Path img = p.resolveSibling(stem + (upper ? ".IMG" : ".img") + gz);
            if (!Files.exists(hdr)) throw new NiftiException(p.toString(), "missing header file " + hdr.getFileName());
            if (!Files.exists(img)) throw new NiftiException(p.toString(), "missing image file " + img.getFileName());
            requireRegular(hdr);
            requireRegular(img);
            return new ImageFiles(hdr, img);
        }
        requireRegular(p);
        return new ImageFiles(p, p);
    }

    /**
     * Refuses, before anything opens it, a path that is not a regular file (links followed): missing, a directory, a
     * FIFO (which would block, or lose the bytes a first look took), a device or a socket.
     */
    static void requireRegular(Path p) {
        String why = InputFiles.problem(p, "an image file");
        if (why != null) throw new NiftiException(p.toString(), why);
    }

    boolean singleFile() {
        return header.equals(data);
    }

    /** True when the file starts with the gzip magic; a .gz name without it is an error. */
    static boolean isGzip(Path p) {
        byte[] m = new byte[2];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(m, 0, 2);
        } catch (IOException e) {
            throw new NiftiException(p.toString(), "cannot read: " + e.getMessage(), e);
        }
        boolean gz = n == 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b;
        if (!gz && p.getFileName().toString().toLowerCase().endsWith(".gz")) {
            throw new NiftiException(p.toString(), "named .gz but is not gzip-compressed");
        }
        return gz;
    }

    /**
     * Opens a file for reading from byte 0, decompressing gzip with every member's CRC32 and ISIZE checked as it is
     * finished ({@link GzipInput}).
     */
    static InputStream open(Path p) throws IOException {
        InputStream raw = Files.newInputStream(p);
        if (isGzip(p)) {
            try {
                return new GzipInput(raw);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }
        return new BufferedInputStream(raw, 1 << 16);
    }

    /**
     * Reads on to the end of a stream from {@link #open}: for gzip, every member still unread is inflated and checked,
     * so a read that took all the data it needed becomes a full, verified read.
     */
    static void verifyRest(InputStream in) throws IOException {
        if (in instanceof GzipInput g) g.verifyRest();
    }

    /** Skips exactly n bytes or fails with an EOF. */
    static void skipFully(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException();
                s = 1;
            }
            n -= s;
        }
    }

    /**
     * The one-line error for an IOException reading {@code p}: a corrupt gzip stream says what is wrong ("corrupt gzip:
     * CRC mismatch"), any other ZipException is corrupt gzip too, anything else "cannot read".
     */
    static NiftiException readError(Path p, IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof GzipInput.Corrupt) return new NiftiException(p.toString(), msg, e);
        if (e instanceof java.util.zip.ZipException) return new NiftiException(p.toString(), "corrupt gzip: " + msg, e);
        return new NiftiException(p.toString(), "cannot read: " + msg, e);
    }

    /**
     * Checks, without inflating more than it must, that a gzip file can hold {@code need} bytes: fewer than deflate's
     * ~1032:1 bound allows is an error; a trailer whose ISIZE (the last member's size mod 2^32) is {@code need} or, for
     * an image under 4 GB, at least {@code need}, is taken as it is (the full read checks it); otherwise the bytes are
     * counted by inflating up to {@code need}. Fewer is "data shorter than the header promises".
     */
    static void checkGzipHolds(Path p, long need) {
        String name = p.toString();
        try {
            long size = Files.size(p);
            if (need > size * 1100L + (1 << 20)) {
                throw new NiftiException(name, "data shorter than the header promises: " + need
                    + " bytes cannot come from a " + size + "-byte gzip file");
            }
            long isize = gzipIsize(p);
            if (isize == (need & 0xffffffffL) || (need < (1L << 32) && isize >= need)) return;
            long got = decompressedLength(p, need);
            if (got < need) {
                throw new NiftiException(name, "data shorter than the header promises: file has " + got
                    + " bytes uncompressed, header needs " + need);
            }
        } catch (IOException e) {
            throw readError(p, e);
        }
    }

    /** Decompressed length of a gzip file, counting no further than {@code limit} bytes. */
    static long decompressedLength(Path p, long limit) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (InputStream in = open(p)) {
            while (n < limit) {
                int k = in.read(buf, 0, (int) Math.min(buf.length, limit - n));
                if (k < 0) break;
                n += k;
            }
        }
        return n;
    }

    /** The ISIZE field of a gzip file: uncompressed length of the last member, modulo 2^32. */
    static long gzipIsize(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            if (f.length() < 18) return -1;
            f.seek(f.length() - 4);
            long v = 0;
            for (int i = 0; i < 4; i++) v |= (long) (f.read() & 0xff) << (8 * i);
            return v;
        }
    }
}
