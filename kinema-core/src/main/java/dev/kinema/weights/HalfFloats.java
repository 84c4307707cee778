package dev.kinema.weights;

/**
 * IEEE 754 half precision (F16) and bfloat16 (BF16) to and from float. Widening is exact; narrowing
 * rounds to nearest, ties to even, as PyTorch and NumPy do, so a value written here reads back in
 * Python as the same half or bfloat16 PyTorch would have made.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float an F16 bit pattern stands for (exact). */
    public static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = Math.scalb((float) mantissa, -24);
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** The F16 nearest to {@code value} (ties to even); beyond the range it is infinity, NaN stays NaN. */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // Subnormal: count units of 2^-24; the implicit leading one becomes explicit.
            return (short) (sign | roundShift(mantissa | 0x800000, 14 - e));
        }
        // Normal: a carry out of the mantissa moves into the exponent, up to infinity, as it should.
        int q = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (q & 1) == 1)) {
            q++;
        }
        return (short) (sign | q);
    }

    /** The float a BF16 bit pattern stands for (exact: BF16 is a float's upper half). */
    public static float bfloat16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }

    /** The BF16 nearest to {@code value} (ties to even); NaN stays a quiet NaN. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    private static int roundShift(int value, int shift) {
        int q = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (q & 1) == 1)) {
            q++;
        }
        return q;
    }
}
