package org.ketaprint.nifti;

/** NIfTI/Analyze datatype codes (nifti1.h) with the element size in bytes. */
public enum DataType {
    UINT8(2, 1, "uint8"), INT16(4, 2, "int16"), INT32(8, 4, "int32"), FLOAT32(16, 4, "float32"),
    FLOAT64(64, 8, "float64"), INT8(256, 1, "int8"), UINT16(512, 2, "uint16"), UINT32(768, 4, "uint32"),
    INT64(1024, 8, "int64"), UINT64(1280, 8, "uint64");

    public final int code;
    public final int bytes;
    public final String label;

    DataType(int code, int bytes, String label) {
        this.code = code;
        this.bytes = bytes;
        this.label = label;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The datatype for a code, or a clear error naming codes we know but do not read. */
    public static DataType fromCode(int code, String file) {
        for (DataType t : values()) {
            if (t.code == code) return t;
        }
        String known = switch (code) {
            case 1 -> "binary (1 bit)";
            case 32 -> "complex64";
            case 128 -> "RGB24";
            case 1536 -> "float128";
            case 1792 -> "complex128";
            case 2048 -> "complex256";
            case 2304 -> "RGBA32";
            default -> null;
        };
        if (known != null) throw new NiftiException(file, "unsupported datatype " + known + " (code " + code + ")");
        throw new NiftiException(file, "unknown datatype code " + code);
    }

    public static DataType fromLabel(String label) {
        for (DataType t : values()) {
            if (t.label.equalsIgnoreCase(label)) return t;
        }
        throw new IllegalArgumentException("unknown datatype '" + label + "'");
    }
}
