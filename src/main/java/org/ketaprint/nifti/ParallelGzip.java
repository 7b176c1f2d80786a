package org.ketaprint.nifti;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member deflated on several cores, as pigz does. The input is cut into {@link #BLOCK}-byte blocks; each is
 * deflated alone on a shared pool, primed with the previous block's last 32 KiB as dictionary (so matches may reach
 * back across the cut) and ended with a sync flush, so the blocks join byte-aligned into one deflate stream; the
 * last block, deflated on the caller's thread, ends it. The CRC32 of all input and ISIZE close the member. At most
 * 2 x threads blocks are in flight per stream (memory stays bounded). The output is the same for any thread count.
 */
final class ParallelGzip extends OutputStream {
    /** Uncompressed bytes per block. */
    static final int BLOCK = 256 << 10;
    private static final int DICT = 32 << 10;

    /** Threads of the shared pool: {@code -Dketaprint.gzip.threads=N}, default the available processors. */
    static int threads() {
        return Math.max(1, Integer.getInteger("ketaprint.gzip.threads", Runtime.getRuntime().availableProcessors()));
    }

    /** The pool every stream shares (daemon threads, created on first use); null with one thread. */
    private static final class Pool {
        static final int THREADS = threads();
        static final ExecutorService POOL = THREADS < 2 ? null : Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ketaprint-gzip");
            t.setDaemon(true);
            return t;
        });
    }

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK];
    private int fill;
    private byte[] dict;
    private long total;
    private boolean closed;

    /** A stream on the shared pool. */
    ParallelGzip(OutputStream out, int level) throws IOException {
        this(out, level, Pool.POOL, Pool.THREADS);
    }

    /** A stream deflating on {@code pool} ({@code threads} of them), or on the caller's thread when null. */
    ParallelGzip(OutputStream out, int level, ExecutorService pool, int threads) throws IOException {
        if (level < 1 || level > 9) throw new IllegalArgumentException("gzip level " + level);
        this.out = out;
        this.level = level;
        this.pool = pool;
        this.maxInFlight = 2 * Math.max(1, threads);
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 (reproducible files) XFL (2: best, 4: fastest) OS=255 (unknown)
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) (level == 9 ? 2 : level == 1 ? 4 : 0), (byte) 255});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (fill == BLOCK) nextBlock();
            int k = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, fill, k);
            fill += k;
            off += k;
            len -= k;
        }
    }

    /** Hands the full block to the pool (or deflates it here) and starts the next. */
    private void nextBlock() throws IOException {
        byte[] in = block;
        byte[] d = dict;
        crc.update(in, 0, fill);
        total += fill;
        dict = Arrays.copyOfRange(in, BLOCK - DICT, BLOCK);
        if (pool == null) {
            out.write(deflate(in, BLOCK, d, level, false));
        } else {
            while (pending.size() >= maxInFlight) out.write(take());
            pending.add(pool.submit(() -> deflate(in, BLOCK, d, level, false)));
        }
        block = new byte[BLOCK];
        fill = 0;
    }

    private byte[] take() throws IOException {
        try {
            return pending.remove().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed: " + e.getCause(), e.getCause());
        }
    }

    /** Deflates the last block, writes the blocks in order and the trailer, and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try (OutputStream o = out) {
            crc.update(block, 0, fill);
            total += fill;
            byte[] last = deflate(block, fill, dict, level, true);
            while (!pending.isEmpty()) o.write(take());
            o.write(last);
            long c = crc.getValue();
            o.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)});
        } finally {
            pending.forEach(f -> f.cancel(false));
            pending.clear();
            block = null;
        }
    }

    /**
     * Raw deflate of {@code in[0, len)} primed with {@code dict} (or none): ended by a sync flush (byte-aligned, not
     * final), or for the last block finished (final block).
     */
    static byte[] deflate(byte[] in, int len, byte[] dict, int level, boolean last) {
        Deflater d = new Deflater(level, true);
        try {
            if (dict != null) d.setDictionary(dict);
            d.setInput(in, 0, len);
            if (last) d.finish();
            byte[] buf = new byte[len + (len >> 7) + 64];
            int n = 0;
            while (true) {
                if (n == buf.length) buf = Arrays.copyOf(buf, 2 * buf.length);
                int space = buf.length - n;
                int k = d.deflate(buf, n, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                n += k;
                if (last ? d.finished() : k < space) break;
            }
            return Arrays.copyOf(buf, n);
        } finally {
            d.end();
        }
    }
}
