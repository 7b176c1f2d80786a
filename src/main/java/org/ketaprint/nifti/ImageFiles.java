package org.ketaprint.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Where an image's header and data live: .nii[.gz], or .hdr[.gz] + .img[.gz]. */
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
            return new ImageFiles(hdr, img);
        }
        if (!Files.exists(p)) throw new NiftiException(p.toString(), "no such file");
        if (Files.isDirectory(p)) throw new NiftiException(p.toString(), "is a directory, not an image file");
        return new ImageFiles(p, p);
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

    /** Opens a file for reading, decompressing gzip; the stream starts at byte 0. */
    static InputStream open(Path p) throws IOException {
        InputStream raw = Files.newInputStream(p);
        if (isGzip(p)) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return new BufferedInputStream(raw, 1 << 16);
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

    /** Decompressed length of a gzip file, counting no further than {@code limit} bytes. */
    static long decompressedLength(Path p, long limit) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16)) {
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
