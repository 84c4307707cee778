package dev.kinema.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The element types a safetensors header names. Kinema reads every one of them into floats except
 * the 8-bit floats (and writes F32, F16 and BF16); integer tensors appear in PyTorch state dicts as
 * BatchNorm's {@code num_batches_tracked}.
 */
public enum DType {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U64(8),
    U32(4),
    U16(2),
    U8(1),
    BOOL(1),
    F8_E4M3(1),
    F8_E5M2(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type a header spells {@code name}, if it is one. */
    public static Optional<DType> parse(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }

    /** True if {@link #readFloat} can convert it. */
    public boolean convertsToFloat() {
        return this != F8_E4M3 && this != F8_E5M2;
    }

    /** True for the types {@link Safetensors#write} writes. */
    public boolean writable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The element at {@code buffer}'s position (little-endian order set by the caller) as a float. */
    float readFloat(ByteBuffer buffer) {
        return switch (this) {
            case F64 -> (float) buffer.getDouble();
            case F32 -> buffer.getFloat();
            case F16 -> HalfFloats.halfToFloat(buffer.getShort());
            case BF16 -> HalfFloats.bfloat16ToFloat(buffer.getShort());
            case I64 -> (float) buffer.getLong();
            case I32 -> (float) buffer.getInt();
            case I16 -> buffer.getShort();
            case I8 -> buffer.get();
            case U64 -> unsignedLong(buffer.getLong());
            case U32 -> (float) Integer.toUnsignedLong(buffer.getInt());
            case U16 -> Short.toUnsignedInt(buffer.getShort());
            case U8, BOOL -> Byte.toUnsignedInt(buffer.get());
            case F8_E4M3, F8_E5M2 -> throw new UnsupportedOperationException(this + " is not converted");
        };
    }

    /** Appends {@code value} in this type (F32, F16 or BF16). */
    void writeFloat(ByteBuffer buffer, float value) {
        switch (this) {
            case F32 -> buffer.putFloat(value);
            case F16 -> buffer.putShort(HalfFloats.floatToHalf(value));
            case BF16 -> buffer.putShort(HalfFloats.floatToBfloat16(value));
            default -> throw new UnsupportedOperationException("Kinema writes F32, F16 and BF16, not " + this);
        }
    }

    private static float unsignedLong(long v) {
        return v >= 0 ? (float) v : new java.math.BigInteger(Long.toUnsignedString(v)).floatValue();
    }
}
