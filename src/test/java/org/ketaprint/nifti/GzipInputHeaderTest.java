package org.ketaprint.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * GzipInput on members built here byte by byte from RFC 1952 (header, raw deflate, CRC32 and ISIZE trailer):
 * FEXTRA lengths of two bytes, header CRCs per member, the member number in messages, available(), close() of the
 * underlying stream, and verifyRest's count. Issue 15.
 */
class GzipInputHeaderTest {

    private static byte[] data(int n) {
        byte[] raw = new byte[n];
        for (int i = 0; i < n; i++) raw[i] = (byte) (i * 7 % 253);
        return raw;
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(6, true);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        while (!d.finished()) bo.write(b, 0, d.deflate(b));
        d.end();
        return bo.toByteArray();
    }

    private static void le32(ByteArrayOutputStream o, long v) {
        for (int i = 0; i < 4; i++) o.write((int) (v >>> (8 * i)) & 0xff);
    }

    /** One member: header with FLG = {@code flg} (FEXTRA: {@code extra}; FHCRC: the CRC16 of the header), data. */
    static byte[] member(byte[] raw, int flg, byte[] extra) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flg, 1, 2, 3, 4, 0, 3});
        if ((flg & 4) != 0) {
            h.write(extra.length & 0xff);
            h.write(extra.length >>> 8);
            h.writeBytes(extra);
        }
        if ((flg & 2) != 0) {
            CRC32 c = new CRC32();
            c.update(h.toByteArray());
            long v = c.getValue() & 0xffff;
            h.write((int) (v & 0xff));
            h.write((int) (v >>> 8));
        }
        h.writeBytes(deflate(raw));
        CRC32 c = new CRC32();
        c.update(raw);
        le32(h, c.getValue());
        le32(h, raw.length);
        return h.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    private static byte[] readAll(byte[] gz) throws IOException {
        try (GzipInput in = new GzipInput(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** XLEN is two bytes, low first: 300 = 44 + 1 * 256 extra bytes are skipped, no more, no fewer. */
    @Test
    void extraFieldLengthIsTwoBytesLowFirst() throws IOException {
        byte[] raw = data(5000);
        for (int xlen : new int[] {1, 44, 300, 513}) {
            byte[] extra = new byte[xlen];
            Arrays.fill(extra, (byte) 0x5a);
            assertArrayEquals(raw, readAll(member(raw, 4, extra)), "xlen " + xlen);
        }
    }

    /** Each member's header CRC covers that member's header only (the CRC starts again at every member). */
    @Test
    void headerCrcOfASecondMemberCoversOnlyItsHeader() throws IOException {
        byte[] a = data(3000), b = Arrays.copyOfRange(data(7000), 3000, 7000);
        byte[] gz = cat(member(a, 2, null), member(b, 2 | 4, new byte[] {9, 8, 7}));
        assertArrayEquals(data(7000), readAll(gz));
    }

    /** One member: no member number in the message; the second member is named; the ISIZE message has no "mod 2^32". */
    @Test
    void messagesNameTheMemberOnlyWhenThereAreSeveral() throws IOException {
        byte[] raw = data(2000);
        byte[] one = member(raw, 0, null);
        one[one.length - 4] ^= 1;   // ISIZE
        IOException e = assertThrows(IOException.class, () -> readAll(one));
        assertEquals("corrupt gzip: ISIZE mismatch (trailer says " + (2000 ^ 1) + " bytes, the data inflate to 2000)",
            e.getMessage());
        byte[] two = cat(member(raw, 0, null), member(raw, 0, null));
        two[two.length - 8] ^= 1;   // CRC of member 2
        IOException f = assertThrows(IOException.class, () -> readAll(two));
        assertTrue(f.getMessage().startsWith("corrupt gzip: CRC mismatch in member 2 (trailer "), f.getMessage());
        byte[] bad = member(raw, 0, null);
        bad[bad.length - 8] ^= 1;
        IOException g = assertThrows(IOException.class, () -> readAll(bad));
        assertTrue(g.getMessage().startsWith("corrupt gzip: CRC mismatch (trailer "), g.getMessage());
    }

    /** verifyRest inflates what is left of every member and returns how many bytes that was. */
    @Test
    void verifyRestCountsTheRemainingBytes() throws IOException {
        byte[] gz = cat(member(data(3000), 0, null), member(data(4000), 0, null));
        try (GzipInput in = new GzipInput(new ByteArrayInputStream(gz))) {
            assertEquals(1, in.available(), "data ahead");
            assertEquals(100, in.readNBytes(100).length);
            assertEquals(6900, in.verifyRest());
            assertEquals(0, in.available(), "at the end");
            assertEquals(0, in.verifyRest());
        }
        GzipInput in = new GzipInput(new ByteArrayInputStream(gz));
        in.close();
        assertEquals(0, in.available(), "closed");
        assertThrows(IOException.class, in::read);
    }

    /** A stream that counts its close() calls. */
    static final class Counted extends ByteArrayInputStream {
        int closes;

        Counted(byte[] b) {
            super(b);
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void closeClosesTheUnderlyingStreamOnceAndABadHeaderClosesItToo() throws IOException {
        Counted raw = new Counted(member(data(10), 0, null));
        GzipInput in = new GzipInput(raw);
        assertEquals(0, raw.closes);
        in.close();
        assertEquals(1, raw.closes);
        in.close();
        assertEquals(1, raw.closes, "a second close does nothing");
        byte[] badMethod = member(data(10), 0, null);
        badMethod[2] = 7;
        Counted bad = new Counted(badMethod);
        IOException e = assertThrows(IOException.class, () -> new GzipInput(bad));
        assertEquals("corrupt gzip: unknown compression method 7", e.getMessage());
        assertEquals(1, bad.closes, "the constructor closes what it cannot read");
    }
}
