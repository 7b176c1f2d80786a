package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;

/**
 * Property test of the header parser and loader on thousands of mutated and random files (seeded): load, stats
 * and reads may only succeed or throw KetaprintException (one line, naming the file); never hang, never throw
 * anything else, and a successful load guarantees the data it promises are in the file, so no array is sized
 * beyond what the file holds (a header claiming huge dims fails in load(), before any data array exists).
 */
class NiftiFuzzTest {
    private static final long SEED = 0x6b657461L;
    private static final int ITERATIONS = 4000;

    @TempDir
    Path tmp;

    /** A valid image to mutate: header-file bytes, .img bytes for pairs (else null), NIfTI version. */
    record Base(String name, byte[] head, byte[] img, int version) {
    }

    private static byte[] raw(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                    return in.readAllBytes();
                }
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Base> bases() {
        List<Base> out = new ArrayList<>();
        for (String n : new String[] {"dtype_int16", "dtype_uint8", "bigendian_float64", "scaled_int16_be",
            "with_extension", "fmri_4d_tr_ms", "five_d", "seven_d", "two_d", "nan_inf_float32", "qform_only",
            "nifti2_single", "nifti2_be_gz", "gz_int16", "pair_nifti1", "pair_nifti1_gz", "nifti2_pair",
            "analyze_spm_origin", "analyze_scaled_be", "analyze_4d_uint8"}) {
            String file = NiftiReference.image(n).get("file").asText();
            Path p = NiftiReference.DIR.resolve(file);
            int v = NiftiReference.image(n).get("nifti_version").asInt();
            byte[] img = file.contains(".hdr") ? raw(NiftiReference.DIR.resolve(file.replace(".hdr", ".img"))) : null;
            out.add(new Base(n, raw(p), img, v));
        }
        return out;
    }

    // header fields worth hitting: {offset, size} for NIfTI-1/Analyze and NIfTI-2
    private static final int[][] FIELDS1 = {{0, 4}, {40, 2}, {42, 2}, {44, 2}, {46, 2}, {48, 2}, {50, 2}, {52, 2},
        {54, 2}, {68, 2}, {70, 2}, {72, 2}, {76, 4}, {80, 4}, {84, 4}, {88, 4}, {92, 4}, {108, 4}, {112, 4},
        {116, 4}, {123, 1}, {124, 4}, {128, 4}, {140, 4}, {144, 4}, {252, 2}, {253, 2}, {254, 2}, {256, 4},
        {260, 4}, {264, 4}, {268, 4}, {280, 4}, {300, 4}, {320, 4}, {344, 4}};
    private static final int[][] FIELDS2 = {{0, 4}, {4, 8}, {12, 2}, {14, 2}, {16, 8}, {24, 8}, {32, 8}, {40, 8},
        {48, 8}, {72, 8}, {104, 8}, {112, 8}, {128, 8}, {136, 8}, {168, 8}, {176, 8}, {184, 8}, {344, 4},
        {348, 4}, {352, 8}, {360, 8}, {368, 8}, {400, 8}, {500, 4}};
    private static final long[] INTS = {0, 1, -1, 2, 3, 4, 7, 8, 16, 128, 255, 348, 352, 540, 544, 1024, 32767, -32768,
        65535, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final double[] REALS = {0, -0.0, 1, -1, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1e30, -1e30, 1e-30, 3.4e38, 1e300, 352, 2.5e9};

    private static void setField(byte[] b, int off, int size, ByteOrder order, Random r) {
        if (off + size > b.length) return;
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        boolean real = r.nextBoolean();
        long iv = r.nextInt(4) == 0 ? r.nextLong() : INTS[r.nextInt(INTS.length)];
        double dv = r.nextInt(4) == 0 ? r.nextGaussian() * 1e3 : REALS[r.nextInt(REALS.length)];
        switch (size) {
            case 1 -> bb.put(off, (byte) iv);
            case 2 -> bb.putShort(off, (short) iv);
            case 4 -> {
                if (real) bb.putFloat(off, (float) dv);
                else bb.putInt(off, (int) iv);
            }
            default -> {
                if (real) bb.putDouble(off, dv);
                else bb.putLong(off, iv);
            }
        }
    }

    private static byte[] mutate(byte[] in, int version, int hsize, Random r, StringBuilder how) {
        byte[] b = in.clone();
        ByteOrder order = NiftiHeader.detectOrder(b);
        if (order == null) order = ByteOrder.LITTLE_ENDIAN;
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                int[] f = (version == 2 ? FIELDS2 : FIELDS1)[r.nextInt(version == 2 ? FIELDS2.length : FIELDS1.length)];
                setField(b, f[0], f[1], r.nextInt(5) == 0 ? (order == ByteOrder.BIG_ENDIAN
                    ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN) : order, r);
                how.append(" field@").append(f[0]);
            } else {
                int at = r.nextInt(Math.min(b.length, hsize + 16));
                b[at] ^= (byte) (1 + r.nextInt(255));
                how.append(" flip@").append(at);
            }
        }
        return b;
    }

    private static byte[] truncate(byte[] b, Random r, StringBuilder how) {
        int at = r.nextInt(b.length + 1);
        how.append(" cut@").append(at);
        return Arrays.copyOf(b, at);
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    /** Decompressed length, or -1 when the gzip stream itself is broken. */
    private static long available(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        if (b.length < 2 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b) return b.length;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            return -1;
        }
    }

    /** The property: load and read either work within the file's bytes or fail with a one-line KetaprintException. */
    private static void exercise(Path p, Path dataFile, String how) {
        try {
            NiftiImage img = NiftiImage.load(p);
            NiftiHeader h = img.header();
            long avail = available(dataFile);
            long need = h.voxOffset + h.dataBytes();
            assertTrue(h.voxOffset >= 0 && need >= h.voxOffset, how + ": offset + data size overflow: " + h.voxOffset);
            if (avail >= 0) {
                assertTrue(need <= avail, how + ": load accepted " + need + " bytes of data from a file holding " + avail);
            } else {
                assertTrue(need <= Files.size(dataFile) * 1100L + (1 << 20),
                    how + ": corrupt gzip with a promise beyond the deflate bound");
            }
            img.affine();
            img.grid();
            img.stats();
            img.readVolume(img.volumes() - 1);
            img.readMasked(new int[] {0, (int) h.voxelsPerVolume() - 1});
        } catch (KetaprintException e) {
            String m = e.getMessage();
            assertFalse(m == null || m.isBlank() || m.contains("\n"), how + ": message not one line: " + m);
            assertTrue(m.contains(p.getFileName().toString().replaceAll("\\.(hdr|img|nii)(\\.gz)?$", "")),
                how + ": message does not name the file: " + m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mutatedAndRandomFilesOnlyFailCleanly() throws IOException {
        Random r = new Random(SEED);
        List<Base> bases = bases();
        int loaded = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            Base base = bases.get(r.nextInt(bases.size()));
            StringBuilder how = new StringBuilder("iteration " + it + " (seed " + SEED + ") " + base.name);
            int hsize = base.version == 2 ? 540 : 348;
            byte[] head = base.head;
            byte[] img = base.img;
            int kind = r.nextInt(10);
            if (kind < 5) {
                head = mutate(head, base.version, hsize, r, how);
            } else if (kind < 7) {
                head = truncate(mutate(head, base.version, hsize, r, how), r, how);
            } else if (kind == 7) {
                if (img != null) img = truncate(img, r, how);
                else head = truncate(head, r, how);
            } else if (kind == 8) {
                head = new byte[r.nextInt(1200)];
                r.nextBytes(head);
                if (head.length >= 4 && r.nextBoolean()) ByteBuffer.wrap(head).putInt(0, r.nextBoolean() ? 348 : 540);
                how.append(" random ").append(head.length);
            } else {
                head = Arrays.copyOf(head, head.length + r.nextInt(300));
                how.append(" grown");
            }
            boolean gz = r.nextInt(3) == 0;
            String sfx = gz ? ".gz" : "";
            byte[] hb = gz ? gzip(head) : head;
            byte[] ib = img == null ? null : gz ? gzip(img) : img;
            if (gz && r.nextInt(4) == 0) {
                // damage the compressed stream itself (body or trailer)
                hb = hb.clone();
                hb[r.nextInt(hb.length)] ^= (byte) (1 + r.nextInt(255));
                how.append(" gzflip");
            }
            how.append(gz ? " gz" : "");
            Path dir = Files.createDirectories(tmp.resolve("f" + (it % 50)));
            try (var s = Files.list(dir)) {
                for (Path old : s.toList()) Files.delete(old);
            }
            Path p;
            Path data;
            if (ib == null) {
                p = Files.write(dir.resolve("img" + it + ".nii" + sfx), hb);
                data = p;
            } else {
                p = Files.write(dir.resolve("img" + it + ".hdr" + sfx), hb);
                data = Files.write(dir.resolve("img" + it + ".img" + sfx), ib);
            }
            String what = how.toString();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> exercise(p, data, what), what + ": hung");
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                fail(what + ": threw " + t, t);
            }
            try {
                NiftiImage.load(p);
                loaded++;
            } catch (KetaprintException expected) {
                // counted below: the fuzz must exercise both outcomes
            }
        }
        System.out.println("nifti fuzz: " + ITERATIONS + " files, " + loaded + " loaded, "
            + (ITERATIONS - loaded) + " rejected with KetaprintException");
        assertTrue(loaded > ITERATIONS / 20 && loaded < ITERATIONS * 19 / 20,
            "fuzz should hit both accepted and rejected files; accepted " + loaded + " of " + ITERATIONS);
    }

    @Test
    void hugeDimsFailInLoadBeforeAnyDataArray() throws IOException {
        for (Base base : bases()) {
            for (boolean gz : new boolean[] {false, true}) {
                byte[] h = base.head.clone();
                ByteBuffer bb = ByteBuffer.wrap(h).order(NiftiHeader.detectOrder(h));
                if (base.version == 2) {
                    bb.putLong(16, 3).putLong(24, 1L << 16).putLong(32, 1L << 16).putLong(40, 1L << 16);
                } else {
                    bb.putShort(40, (short) 3).putShort(42, (short) 32767).putShort(44, (short) 32767)
                        .putShort(46, (short) 32767);
                }
                String sfx = gz ? ".gz" : "";
                Path p = tmp.resolve("huge_" + base.name + (base.img == null ? ".nii" : ".hdr") + sfx);
                Files.write(p, gz ? gzip(h) : h);
                if (base.img != null) {
                    Files.write(tmp.resolve("huge_" + base.name + ".img" + sfx), gz ? gzip(base.img) : base.img);
                }
                NiftiException e = assertThrows(NiftiException.class, () -> NiftiImage.load(p), p.toString());
                assertTrue(e.getMessage().contains("shorter than the header promises"), e.getMessage());
            }
        }
    }

    @Test
    void hugeVoxOffsetCannotOverflowTheSizeCheck() throws IOException {
        for (Base base : bases()) {
            if (base.version != 2 || base.img != null) continue;
            for (long off : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 100, 1L << 62, -544}) {
                byte[] h = base.head.clone();
                ByteBuffer.wrap(h).order(NiftiHeader.detectOrder(h)).putLong(168, off);
                Path p = Files.write(tmp.resolve("off_" + base.name + ".nii"), h);
                NiftiException e = assertThrows(NiftiException.class, () -> NiftiImage.load(p), "vox_offset " + off);
                assertTrue(e.getMessage().contains("vox_offset"), e.getMessage());
            }
        }
    }

    @Test
    void gzipWithWrongTrailerIsCountedNotTrusted() throws IOException {
        // ISIZE claims the full length but the stream holds less: load must count and refuse
        Base b = bases().get(0);
        byte[] gz = gzip(Arrays.copyOf(b.head, b.head.length - 7));
        ByteBuffer.wrap(gz).order(ByteOrder.LITTLE_ENDIAN).putInt(gz.length - 4, b.head.length);
        Path p = Files.write(tmp.resolve("trailer.nii.gz"), gz);
        KetaprintException e = assertThrows(KetaprintException.class, () -> NiftiImage.load(p).stats());
        assertTrue(e.getMessage().contains("trailer.nii.gz"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
