package org.ketaprint.mrs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.NiftiException;
import org.ketaprint.nifti.NiftiHeader;

/**
 * The voxel of a single-voxel NIfTI-MRS file: its affine (sform, else qform, as every NIfTI), its size (pixdim 1-3)
 * and the acquisition's JSON header extension (ecode 44: SpectrometerFrequency, EchoTime, RepetitionTime). Only the
 * header and the extensions are read, so complex64/complex128 data are fine; MRSI (dims 1-3 not 1) is refused.
 */
public record MrsVoxel(Path file, Affine affine, double[] sizeMm, JsonNode header, Double echoTime, Double repetitionTime,
                       Double spectrometerMhz) {
    static final int MRS_ECODE = 44;

    public static MrsVoxel read(Path file) {
        byte[] head;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw) {
            head = in.readNBytes(1 << 20);   // header + extensions (NIfTI-MRS extensions are small)
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KetaprintException(file + ": no such NIfTI-MRS file");
        } catch (IOException e) {
            throw new KetaprintException(file + ": cannot read: " + e.getMessage());
        }
        if (head.length < 348) throw new KetaprintException(file + ": not a NIfTI-MRS file (" + head.length + " bytes)");
        ByteOrder order = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() == 540
            || ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() == 348 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer bb = ByteBuffer.wrap(head).order(order);
        int size = bb.getInt(0);
        if (size != 348 && size != 540) throw new KetaprintException(file + ": not a NIfTI file (sizeof_hdr " + size + ")");
        if (head.length < size + 4) throw new KetaprintException(file + ": truncated header");
        boolean two = size == 540;
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) dim[i] = two ? bb.getLong(16 + 8 * i) : bb.getShort(40 + 2 * i);
        if (dim[1] != 1 || dim[2] != 1 || dim[3] != 1) {
            throw new KetaprintException(file + ": dims 1-3 are " + dim[1] + "x" + dim[2] + "x" + dim[3]
                + ", an MRSI grid; only single-voxel NIfTI-MRS (1x1x1) is supported");
        }
        int datatype = two ? bb.getShort(12) : bb.getShort(70);
        if (datatype != 32 && datatype != 1792) {
            throw new KetaprintException(file + ": datatype " + datatype + " is not complex64 (32) or complex128 (1792): "
                + "not a NIfTI-MRS file");
        }
        // the geometry through the project's NIfTI header code, the datatype field set to float32 (the data are not read)
        byte[] copy = java.util.Arrays.copyOf(head, size);
        ByteBuffer cb = ByteBuffer.wrap(copy).order(order);
        cb.putShort(two ? 12 : 70, (short) 16);
        cb.putShort(two ? 14 : 72, (short) 32);
        NiftiHeader h;
        try {
            h = NiftiHeader.parse(copy, copy.length, file.toString());
        } catch (NiftiException e) {
            throw new KetaprintException(e.getMessage());
        }
        Affine a = h.affine();
        double[] vs = a.voxelSizes();
        JsonNode json = extension(file, head, size, two ? bb.getLong(168) : (long) bb.getFloat(108), order);
        Double te = number(json, "EchoTime");
        Double tr = number(json, "RepetitionTime");
        Double mhz = null;
        JsonNode sf = json == null ? null : json.get("SpectrometerFrequency");
        if (sf != null && sf.isArray() && !sf.isEmpty() && sf.get(0).isNumber()) mhz = sf.get(0).asDouble();
        else if (sf != null && sf.isNumber()) mhz = sf.asDouble();
        return new MrsVoxel(file, a, vs, json, te, tr, mhz);
    }

    private static Double number(JsonNode j, String k) {
        JsonNode n = j == null ? null : j.get(k);
        return n != null && n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
    }

    /** The JSON of the ecode-44 extension, or null when there is none. */
    static JsonNode extension(Path file, byte[] head, int size, long voxOffset, ByteOrder order) {
        if (head.length < size + 4 || head[size] == 0) return null;
        ByteBuffer bb = ByteBuffer.wrap(head).order(order);
        long end = voxOffset > size ? Math.min(voxOffset, head.length) : head.length;
        int at = size + 4;
        while (at + 8 <= end) {
            int esize = bb.getInt(at);
            int ecode = bb.getInt(at + 4);
            if (esize < 8 || at + esize > head.length) break;
            if (ecode == MRS_ECODE) {
                String text = new String(head, at + 8, esize - 8, StandardCharsets.UTF_8).replace("\0", "").trim();
                try {
                    return new ObjectMapper().readTree(text);
                } catch (IOException e) {
                    throw new KetaprintException(file + ": the NIfTI-MRS header extension is not JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            at += esize;
        }
        return null;
    }

    /** The voxel's centre in world mm (affine applied to voxel 0, 0, 0). */
    public double[] centre() {
        return affine.apply(0, 0, 0);
    }
}
