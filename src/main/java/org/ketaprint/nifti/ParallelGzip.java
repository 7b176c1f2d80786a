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
 * 2 x threads blocks are in flight per stream, and their buffers are reused (memory stays bounded, a few MB,
 * whatever the file's size). The output is the same for any thread count.
 */
final class ParallelGzip extends OutputStream {
    /** Uncompressed bytes per block. */
    static final int BLOCK = 256 << 10;
    private static final int DICT = 32 << 10;

    /** Threads of the shared pool: {@code -Dketaprint.gzip.threads=N}, default the available processors. */
    static int threads() {
        return Math.max(1, Integer.getInteger("ketaprint.gzip.threads", Runtime.getRuntime().availableProcessors()));
    }

    /** The shared pool's threads (it is sized on first use). */
    static int poolThreads() {
        return Pool.THREADS;
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
    private final ArrayDeque<Future<Deflated>> pending = new ArrayDeque<>();
    /** Input, output and dictionary buffers of blocks written, for the next blocks. */
    private final ArrayDeque<byte[]> freeIn = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeOut = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeDict = new ArrayDeque<>();
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
        dict = freeDict.isEmpty() ? new byte[DICT] : freeDict.pop();
        System.arraycopy(in, BLOCK - DICT, dict, 0, DICT);
        byte[] o = freeOut.isEmpty() ? new byte[outSize(BLOCK)] : freeOut.pop();
        if (pool == null) {
            emit(deflate(in, BLOCK, d, level, false, o));
        } else {
            while (pending.size() >= maxInFlight) emit(take());
            pending.add(pool.submit(() -> deflate(in, BLOCK, d, level, false, o)));
        }
        block = freeIn.isEmpty() ? new byte[BLOCK] : freeIn.pop();
        fill = 0;
    }

    /** Writes a deflated block and keeps its buffers for reuse. */
    private void emit(Deflated r) throws IOException {
        out.write(r.out, 0, r.n);
        freeIn.push(r.in);
        freeOut.push(r.out);
        if (r.dict != null) freeDict.push(r.dict);
    }

    private Deflated take() throws IOException {
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
            Deflated last = deflate(block, fill, dict, level, true, new byte[outSize(fill)]);
            while (!pending.isEmpty()) emit(take());
            o.write(last.out, 0, last.n);
            long c = crc.getValue();
            o.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)});
        } finally {
            pending.forEach(f -> f.cancel(false));
            pending.clear();
            block = null;
            freeIn.clear();
            freeOut.clear();
            freeDict.clear();
        }
    }

    /** A block's input and dictionary buffers, and its deflated bytes: {@code out[0, n)}. */
    record Deflated(byte[] in, byte[] dict, byte[] out, int n) {
    }

    /** Room for a deflated block of {@code len} bytes (grown if ever too small). */
    private static int outSize(int len) {
        return len + (len >> 7) + 64;
    }

    /**
     * Raw deflate of {@code in[0, len)} primed with {@code dict} (or none) into {@code buf}: ended by a sync flush
     * (byte-aligned, not final), or for the last block finished (final block).
     */
    static Deflated deflate(byte[] in, int len, byte[] dict, int level, boolean last, byte[] buf) {
        Deflater d = new Deflater(level, true);
        try {
            if (dict != null) d.setDictionary(dict);
            d.setInput(in, 0, len);
            if (last) d.finish();
            int n = 0;
            while (true) {
                if (n == buf.length) buf = Arrays.copyOf(buf, 2 * buf.length);
                int space = buf.length - n;
                int k = d.deflate(buf, n, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                n += k;
                if (last ? d.finished() : k < space) break;
            }
            return new Deflated(in, dict, buf, n);
        } finally {
            d.end();
        }
    }
}
