package io.trainsight.data.format.idx;

import java.nio.ByteBuffer;

/** The element types of the IDX format, by the type code in byte 2 of the magic number. */
enum IdxType {
    UNSIGNED_BYTE(0x08, 1, true),
    SIGNED_BYTE(0x09, 1, true),
    SHORT(0x0B, 2, true),
    INT(0x0C, 4, true),
    FLOAT(0x0D, 4, false),
    DOUBLE(0x0E, 8, false);

    private final int code;
    private final int bytes;
    private final boolean integral;

    IdxType(int code, int bytes, boolean integral) {
        this.code = code;
        this.bytes = bytes;
        this.integral = integral;
    }

    /** Returns the type of a code, or {@code null} if the code is not an IDX type. */
    static IdxType of(int code) {
        for (IdxType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }

    /** Returns the size of one element in bytes. */
    int bytes() {
        return bytes;
    }

    /** Returns whether the elements are whole numbers (and so may be labels). */
    boolean integral() {
        return integral;
    }

    /** Reads the element at a byte offset of big-endian data. */
    double read(ByteBuffer data, int offset) {
        return switch (this) {
            case UNSIGNED_BYTE -> data.get(offset) & 0xFF;
            case SIGNED_BYTE -> data.get(offset);
            case SHORT -> data.getShort(offset);
            case INT -> data.getInt(offset);
            case FLOAT -> data.getFloat(offset);
            case DOUBLE -> data.getDouble(offset);
        };
    }
}
