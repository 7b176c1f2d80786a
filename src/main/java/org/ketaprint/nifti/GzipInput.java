package org.ketaprint.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * gzip (RFC 1952) decompression that checks every member it finishes: the CRC32 and ISIZE of its trailer against
 * the bytes inflated, and a complete trailer. Several members (pigz, bgzip, {@code cat a.gz b.gz}) read as one
 * stream, as {@code gzip -d} reads them; zero bytes after the last member are skipped (as gzip and Python do),
 * anything else after it is an error. Errors are {@link Corrupt} with a message starting "corrupt gzip: ".
 * A reader that stops before the end of the stream has checked only the members it finished; reading on until
 * {@code read} returns -1 checks them all ({@link #verifyRest}).
 * The checks cost one CRC32 per inflated byte, as {@code java.util.zip.GZIPInputStream} pays already.
 */
final class GzipInput extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    /** A corrupt or truncated gzip stream; the message says what ("corrupt gzip: CRC mismatch"). */
    static final class Corrupt extends ZipException {
        private static final long serialVersionUID = 1L;

        Corrupt(String problem) {
            super("corrupt gzip: " + problem);
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private final Inflater inf = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private byte[] scratch;
    private int member = 1;
    private boolean eof;
    private boolean closed;

    /** Starts at the first member's header, which must be there (the caller has seen the magic). */
    GzipInput(InputStream raw) throws IOException {
        in = raw;
        try {
            readHeader(rawByte(), rawByte());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** "corrupt gzip: {problem}[ in member N][ (detail)]": the member is named when there are several. */
    private Corrupt corrupt(String problem, String detail) {
        return new Corrupt(problem + (member > 1 ? " in member " + member : "") + (detail == null ? "" : " (" + detail + ")"));
    }

    private Corrupt corrupt(String problem) {
        return corrupt(problem, null);
    }

    /** Next compressed byte, or -1 at the end of the file. */
    private int rawByte() throws IOException {
        if (pos >= lim) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) return -1;
            pos = 0;
            lim = n;
        }
        return buf[pos++] & 0xff;
    }

    private int headerByte() throws IOException {
        int b = rawByte();
        if (b < 0) throw corrupt("truncated header");
        headerCrc.update(b);
        return b;
    }

    /** Reads a member header whose first two bytes are given. */
    private void readHeader(int id1, int id2) throws IOException {
        if (id1 != 0x1f || id2 != 0x8b) throw corrupt("bad magic (not a gzip member)");
        headerCrc.reset();
        headerCrc.update(id1);
        headerCrc.update(id2);
        int cm = headerByte();
        if (cm != 8) throw corrupt("unknown compression method " + cm);
        int flg = headerByte();
        if ((flg & 0xe0) != 0) throw corrupt("reserved header flags set", "FLG " + flg);
        for (int i = 0; i < 6; i++) headerByte();   // MTIME, XFL, OS
        if ((flg & FEXTRA) != 0) {
            int xlen = headerByte() | headerByte() << 8;
            for (int i = 0; i < xlen; i++) headerByte();
        }
        if ((flg & FNAME) != 0) {
            while (headerByte() != 0) {
                // skip the file name
            }
        }
        if ((flg & FCOMMENT) != 0) {
            while (headerByte() != 0) {
                // skip the comment
            }
        }
        if ((flg & FHCRC) != 0) {
            int want = (int) (headerCrc.getValue() & 0xffff);
            int got = headerByte() | headerByte() << 8;
            if (got != want) throw corrupt("header CRC mismatch");
        }
        inf.reset();
        crc.reset();
    }

    /** Reads the trailer of the member just inflated, checks it, and moves to the next member or the end. */
    private void endMember() throws IOException {
        pos = lim - inf.getRemaining();
        long wantCrc = trailerWord(true);
        long wantSize = trailerWord(false);
        if (wantCrc != crc.getValue()) {
            throw corrupt("CRC mismatch", String.format("trailer %08x, data %08x", wantCrc, crc.getValue()));
        }
        long size = inf.getBytesWritten() & 0xffffffffL;
        if (wantSize != size) {
            throw corrupt("ISIZE mismatch", "trailer says " + wantSize + " bytes, the data inflate to " + size
                + (inf.getBytesWritten() != size ? " mod 2^32" : ""));
        }
        int b = rawByte();
        while (b == 0) b = rawByte();   // zero padding after the last member
        if (b < 0) {
            eof = true;
            return;
        }
        int b2 = rawByte();
        if (b != 0x1f || b2 != 0x8b) {
            throw new Corrupt("bytes after the end of member " + member + " that are not a gzip member (trailing garbage)");
        }
        member++;
        readHeader(b, b2);
    }

    private long trailerWord(boolean first) throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = rawByte();
            if (b < 0 && first && i == 0) throw corrupt("missing trailer", "the file ends after the deflate data");
            if (b < 0) throw corrupt("truncated trailer", "the file ends inside it");
            v |= (long) b << (8 * i);
        }
        return v;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        while (!eof) {
            int n;
            try {
                n = inf.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw corrupt("invalid deflate data", e.getMessage());
            }
            if (n > 0) crc.update(b, off, n);
            if (inf.finished()) {
                endMember();   // checks the trailer now, even when the caller never asks for more
            } else if (n == 0) {
                if (inf.needsDictionary()) throw corrupt("invalid deflate data", "asks for a preset dictionary");
                if (inf.needsInput()) fillInflater();
            }
            if (n > 0) return n;
        }
        return -1;
    }

    private void fillInflater() throws IOException {
        if (pos >= lim) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) throw corrupt("truncated", "the file ends inside the deflate data");
            pos = 0;
            lim = n;
        }
        inf.setInput(buf, pos, lim - pos);
        pos = lim;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Skips by inflating (every byte still counts towards the CRC), in 64 KB steps. */
    @Override
    public long skip(long n) throws IOException {
        if (scratch == null) scratch = new byte[1 << 16];
        long done = 0;
        while (done < n) {
            int k = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (k < 0) break;
            done += k;
        }
        return done;
    }

    /** Inflates to the end of the stream, checking every remaining member; returns the bytes inflated. */
    long verifyRest() throws IOException {
        long n = 0;
        long k;
        while ((k = skip(Long.MAX_VALUE)) > 0) n += k;
        return n;
    }

    @Override
    public int available() {
        return eof || closed ? 0 : 1;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        inf.end();
        in.close();
    }
}
