package org.ketaprint.spaces;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** MATLAB v4 .mat reader (numeric full real matrices), the format ANTs writes affine .mat files in. */
final class MatV4 {
    private MatV4() {
    }

    /** True when the bytes start like a MATLAB v4 matrix header. */
    static boolean looksLike(byte[] b) {
        if (b.length < 20) return false;
        return header(b, ByteOrder.LITTLE_ENDIAN) != null || header(b, ByteOrder.BIG_ENDIAN) != null;
    }

    private static int[] header(byte[] b, ByteOrder o) {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, 20).order(o);
        int type = bb.getInt(), rows = bb.getInt(), cols = bb.getInt(), imag = bb.getInt(), namlen = bb.getInt();
        int m = type / 1000, p = (type / 10) % 10, t = type % 10;
        boolean okM = o == ByteOrder.LITTLE_ENDIAN ? m == 0 : m == 1;
        if (type < 0 || type > 4999 || !okM || (type / 100) % 10 != 0 || p > 5 || t != 0) return null;
        if (rows < 0 || cols < 0 || (imag != 0 && imag != 1) || namlen < 1 || namlen > 4096) return null;
        return new int[] {type, rows, cols, imag, namlen};
    }

    /** Variables by name, each as its values in MATLAB's column-major order. */
    static Map<String, double[]> read(byte[] b, String file) {
        Map<String, double[]> out = new LinkedHashMap<>();
        int pos = 0;
        while (pos < b.length) {
            if (b.length - pos < 20) throw new TransformException(file, "truncated MATLAB v4 header at byte " + pos);
            byte[] h = java.util.Arrays.copyOfRange(b, pos, pos + 20);
            ByteOrder o = header(h, ByteOrder.LITTLE_ENDIAN) != null ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int[] hd = header(h, o);
            if (hd == null) throw new TransformException(file, "not a MATLAB v4 matrix at byte " + pos);
            int p = (hd[0] / 10) % 10;
            int bytes = switch (p) {
                case 0 -> 8;
                case 1, 2 -> 4;
                case 3, 4 -> 2;
                default -> 1;
            };
            pos += 20;
            if (pos + hd[4] > b.length) throw new TransformException(file, "truncated MATLAB v4 variable name");
            int nameEnd = pos;
            while (nameEnd < pos + hd[4] && b[nameEnd] != 0) nameEnd++;
            String name = new String(b, pos, nameEnd - pos, StandardCharsets.US_ASCII);
            pos += hd[4];
            long n = (long) hd[1] * hd[2];
            long need = n * bytes * (hd[3] == 1 ? 2 : 1);
            if (pos + need > b.length) throw new TransformException(file, "truncated MATLAB v4 data for '" + name + "'");
            ByteBuffer bb = ByteBuffer.wrap(b, pos, (int) need).order(o);
            double[] v = new double[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (p) {
                    case 0 -> bb.getDouble();
                    case 1 -> bb.getFloat();
                    case 2 -> bb.getInt();
                    case 3 -> bb.getShort();
                    case 4 -> bb.getShort() & 0xffff;
                    default -> bb.get() & 0xff;
                };
            }
            pos += (int) need;
            out.put(name, v);
        }
        return out;
    }
}
