package org.ketaprint.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MATLAB v4 .mat files (issue 15), written byte by byte from the format definition: a 20-byte header of five
 * int32 (type MOPT = 1000 M + 100 O + 10 P + T with M the byte order, 0 little / 1 big endian, O = 0, P the element
 * type 0 double, 1 float, 2 int32, 3 int16, 4 uint16, 5 uint8, T = 0 full numeric; rows; cols; imagf; namlen
 * including the NUL), the name, then rows x cols values column-major (and as many imaginary ones when imagf = 1).
 */
class MatV4FormatTest {
    static byte[] header(ByteOrder o, int type, int rows, int cols, int imag, int namlen) {
        return ByteBuffer.allocate(20).order(o).putInt(type).putInt(rows).putInt(cols).putInt(imag).putInt(namlen).array();
    }

    /** One matrix: header, the name bytes as given (namlen = their count), then the data bytes as given. */
    static byte[] matrix(ByteOrder o, int type, int rows, int cols, int imag, byte[] name, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(o, type, rows, cols, imag, name.length));
        out.writeBytes(name);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] cName(String s) {
        return (s + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] doubles(ByteOrder o, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(o);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    @Test
    void doublesLittleAndBigEndianColumnMajor() {
        double[] v = {1.5, -2, 3.25, 4, 5, -6.5};   // a 2 x 3 matrix, stored column by column
        for (ByteOrder o : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            int type = o == ByteOrder.LITTLE_ENDIAN ? 0 : 1000;
            byte[] b = matrix(o, type, 2, 3, 0, cName("M"), doubles(o, v));
            assertTrue(MatV4.looksLike(b));
            Map<String, double[]> m = MatV4.read(b, "f.mat");
            assertEquals(List.of("M"), List.copyOf(m.keySet()));
            assertArrayEquals(v, m.get("M"), 0);
        }
    }

    @Test
    void everyElementType() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        byte[] f = ByteBuffer.allocate(8).order(le).putFloat(1.25f).putFloat(-3.5f).array();
        byte[] i32 = ByteBuffer.allocate(8).order(le).putInt(-70000).putInt(123456).array();
        byte[] i16 = ByteBuffer.allocate(4).order(le).putShort((short) -300).putShort((short) 32767).array();
        byte[] u16 = ByteBuffer.allocate(4).order(le).putShort((short) 65535).putShort((short) 40000).array();
        byte[] u8 = {(byte) 255, (byte) 128, 7};
        byte[] b = cat(
            matrix(le, 10, 1, 2, 0, cName("f"), f),
            matrix(le, 20, 2, 1, 0, cName("i"), i32),
            matrix(le, 30, 1, 2, 0, cName("s"), i16),
            matrix(le, 40, 1, 2, 0, cName("u"), u16),
            matrix(le, 50, 3, 1, 0, cName("b"), u8));
        Map<String, double[]> m = MatV4.read(b, "f.mat");
        assertEquals(List.of("f", "i", "s", "u", "b"), List.copyOf(m.keySet()));
        assertArrayEquals(new double[] {1.25, -3.5}, m.get("f"), 0);
        assertArrayEquals(new double[] {-70000, 123456}, m.get("i"), 0);
        assertArrayEquals(new double[] {-300, 32767}, m.get("s"), 0);
        assertArrayEquals(new double[] {65535, 40000}, m.get("u"), 0);
        assertArrayEquals(new double[] {255, 128, 7}, m.get("b"), 0);
        assertTrue(MatV4.looksLike(matrix(le, 50, 3, 1, 0, cName("b"), u8)));
    }

    @Test
    void edgeCasesOfAValidHeader() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        // empty matrices (0 rows, 0 cols), a one-byte name (just the NUL), the longest name, a complex matrix
        byte[] empty = matrix(le, 0, 0, 0, 0, cName("e"), new byte[0]);
        assertTrue(MatV4.looksLike(empty));
        assertEquals(0, MatV4.read(empty, "f.mat").get("e").length);
        byte[] noRows = matrix(le, 0, 0, 3, 0, cName("r"), new byte[0]);
        assertEquals(0, MatV4.read(noRows, "f.mat").get("r").length);
        byte[] noCols = matrix(le, 0, 3, 0, 0, cName("c"), new byte[0]);
        assertEquals(0, MatV4.read(noCols, "f.mat").get("c").length);
        byte[] unnamed = matrix(le, 0, 1, 1, 0, new byte[1], doubles(le, 9));
        assertArrayEquals(new double[] {9}, MatV4.read(unnamed, "f.mat").get(""), 0);
        byte[] longName = new byte[4096];
        java.util.Arrays.fill(longName, 0, 4095, (byte) 'x');
        byte[] longest = matrix(le, 0, 1, 1, 0, longName, doubles(le, 2));
        assertTrue(MatV4.looksLike(longest));
        assertArrayEquals(new double[] {2}, MatV4.read(longest, "f.mat").get("x".repeat(4095)), 0);
        byte[] complex = matrix(le, 0, 1, 2, 1, cName("z"), doubles(le, 1, 2, 10, 20));
        assertTrue(MatV4.looksLike(complex));
        assertArrayEquals(new double[] {1, 2}, MatV4.read(complex, "f.mat").get("z"), 0);
        // a header of exactly 20 bytes is long enough to look like one
        assertTrue(MatV4.looksLike(header(le, 0, 1, 1, 0, 1)));
        assertTrue(MatV4.looksLike(header(ByteOrder.BIG_ENDIAN, 1000, 1, 1, 0, 1)));
    }

    @Test
    void nameWithoutNulEndsAtNamlen() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        // name "AB" given with namlen 2 and no NUL, followed by a value whose first byte is 'C' (0x43)
        byte[] data = ByteBuffer.allocate(8).order(le).putLong(0x43L).array();
        byte[] b = matrix(le, 0, 1, 1, 0, "AB".getBytes(StandardCharsets.US_ASCII), data);
        Map<String, double[]> m = MatV4.read(b, "f.mat");
        assertEquals(List.of("AB"), List.copyOf(m.keySet()));
        assertEquals(Double.longBitsToDouble(0x43L), m.get("AB")[0], 0);
    }

    @Test
    void notAHeader() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN, be = ByteOrder.BIG_ENDIAN;
        assertFalse(MatV4.looksLike(new byte[19]));
        assertFalse(MatV4.looksLike(java.util.Arrays.copyOf(header(le, 0, 1, 1, 0, 1), 19)));
        for (byte[] h : List.of(
                header(le, 100, 1, 1, 0, 2),       // O digit must be 0
                header(le, 1000, 1, 1, 0, 2),      // M = 1 says big endian, but the bytes are little endian
                header(be, 0, 1, 1, 0, 2),         // and the other way round
                header(le, 60, 1, 1, 0, 2),        // no element type 6
                header(le, 1, 1, 1, 0, 2),         // T = 1: text, not numeric
                header(le, -10, 1, 1, 0, 2),
                header(le, 5000, 1, 1, 0, 2),
                header(le, 0, -1, 1, 0, 2),
                header(le, 0, 1, -1, 0, 2),
                header(le, 0, 1, 1, 2, 2),         // imagf is 0 or 1
                header(le, 0, 1, 1, -1, 2),
                header(le, 0, 1, 1, 0, 0),         // the name has at least its NUL
                header(le, 0, 1, 1, 0, 4097))) {
            assertFalse(MatV4.looksLike(cat(h, new byte[16])), () -> java.util.Arrays.toString(h));
            TransformException e = assertThrows(TransformException.class, () -> MatV4.read(cat(h, new byte[16]), "f.mat"));
            assertTrue(e.getMessage().contains("not a MATLAB v4 matrix at byte 0"), e.getMessage());
        }
    }

    @Test
    void truncations() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        byte[] one = matrix(le, 0, 1, 1, 0, cName("a"), doubles(le, 1));
        // a second header cut short
        TransformException e = assertThrows(TransformException.class,
            () -> MatV4.read(cat(one, new byte[5]), "f.mat"));
        assertTrue(e.getMessage().contains("truncated MATLAB v4 header at byte " + one.length), e.getMessage());
        // exactly a header and no name
        e = assertThrows(TransformException.class, () -> MatV4.read(header(le, 0, 1, 1, 0, 1), "f.mat"));
        assertTrue(e.getMessage().contains("truncated MATLAB v4 variable name"), e.getMessage());
        // the name cut short
        e = assertThrows(TransformException.class,
            () -> MatV4.read(cat(header(le, 0, 1, 1, 0, 6), "ab".getBytes(StandardCharsets.US_ASCII)), "f.mat"));
        assertTrue(e.getMessage().contains("truncated MATLAB v4 variable name"), e.getMessage());
        // the data cut short by one byte
        byte[] cut = java.util.Arrays.copyOf(matrix(le, 0, 2, 3, 0, cName("a"), doubles(le, 1, 2, 3, 4, 5, 6)), 20 + 2 + 47);
        e = assertThrows(TransformException.class, () -> MatV4.read(cut, "f.mat"));
        assertTrue(e.getMessage().contains("truncated MATLAB v4 data for 'a'"), e.getMessage());
        // a name that runs exactly to the end of the file, for an empty matrix, is complete
        assertEquals(0, MatV4.read(matrix(le, 0, 0, 0, 0, cName("end"), new byte[0]), "f.mat").get("end").length);
    }
}
