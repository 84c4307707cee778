package dev.kinema.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.io.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void everyWrittenDtypeRoundTrips() throws IOException {
        Random random = new Random(1);
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
        }
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
            Map<String, FloatTensor> tensors = new LinkedHashMap<>();
            tensors.put("a.weight", new FloatTensor(new long[] {10, 100}, values));
            tensors.put("empty", new FloatTensor(new long[] {0, 3}, new float[0]));
            tensors.put("scalar", new FloatTensor(new long[0], new float[] {2.5f}));
            Path file = Safetensors.write(tmp.resolve(dtype + ".safetensors"), tensors, dtype, Map.of("format", "pt"));
            long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLength % 8, "data must start 8-byte aligned");
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertEquals(List.of("a.weight", "empty", "scalar"), List.copyOf(f.names()));
                assertEquals(Map.of("format", "pt"), f.metadata());
                assertEquals(dtype, f.entry("a.weight").dtype());
                FloatTensor back = f.read("a.weight");
                assertArrayEquals(new long[] {10, 100}, back.shape());
                for (int i = 0; i < values.length; i++) {
                    float expected = switch (dtype) {
                        case F16 -> HalfFloats.halfToFloat(HalfFloats.floatToHalf(values[i]));
                        case BF16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(values[i]));
                        default -> values[i];
                    };
                    assertEquals(expected, back.data()[i], 0f, dtype + " value " + i);
                    float tolerance = dtype == DType.F16 ? 1e-3f : dtype == DType.BF16 ? 8e-3f : 0f;
                    if (Math.abs(values[i]) > 1e-4 && Math.abs(values[i]) < 6e4) {
                        assertEquals(values[i], back.data()[i], Math.abs(values[i]) * tolerance, dtype + " value " + i);
                    }
                }
                assertEquals(0, f.read("empty").data().length);
                assertEquals(2.5f, f.read("scalar").data()[0]);
            }
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(3, left.count(), "no temporary files are left behind");
        }
    }

    @Test
    void everyHalfSurvivesWideningAndNarrowing() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.halfToFloat(HalfFloats.floatToHalf(f))));
            } else {
                assertEquals((short) h, HalfFloats.floatToHalf(f), "half 0x" + Integer.toHexString(h));
            }
        }
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bfloat16ToFloat((short) b);
            if (!Float.isNaN(f)) {
                assertEquals((short) b, HalfFloats.floatToBfloat16(f), "bf16 0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void conversionsMatchPytorchBitForBit() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Golden.file("dtypes.safetensors"))) {
            assertEquals("tools/golden/weights_e2e.py", f.metadata().get("made_by"));
            float[] values = f.read("values").data();
            float[] f16 = f.read("values_f16").data();
            float[] bf16 = f.read("values_bf16").data();
            float[] f16Torch = f.read("values_f16_as_f32").data();
            float[] bf16Torch = f.read("values_bf16_as_f32").data();
            assertEquals(DType.F16, f.entry("values_f16").dtype());
            assertEquals(DType.BF16, f.entry("values_bf16").dtype());
            for (int i = 0; i < values.length; i++) {
                String what = "value " + i + " = " + values[i];
                assertSame(f16Torch[i], f16[i], "F16 read, " + what);
                assertSame(bf16Torch[i], bf16[i], "BF16 read, " + what);
                assertSame(f16Torch[i], HalfFloats.halfToFloat(HalfFloats.floatToHalf(values[i])), "F16 write, " + what);
                assertSame(bf16Torch[i], HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(values[i])),
                        "BF16 write, " + what);
            }
        }
    }

    private static void assertSame(float expected, float actual, String message) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), message + ": expected NaN, got " + actual);
        } else {
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                    message + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void aPytorchWrittenStateDictParses() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Golden.file("tiny3d.safetensors"))) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(14, f.names().size());
            assertEquals("conv1.conv.weight", f.names().iterator().next());
            assertArrayEquals(new long[] {8, 3, 3, 3, 3}, f.entry("conv1.conv.weight").shape());
            assertEquals(DType.I64, f.entry("conv1.norm.num_batches_tracked").dtype());
            assertEquals(7f, f.read("conv1.norm.num_batches_tracked").data()[0]);
            assertArrayEquals(new long[] {5, 16}, f.entry("fc.weight").shape());
        }
    }

    @Test
    void malformedFilesAreRefusedWithTheFileAndTheReason() throws IOException {
        byte[] good = Files.readAllBytes(Golden.file("tiny3d.safetensors"));
        int headerLength = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(good, 8, headerLength, StandardCharsets.UTF_8);

        assertRefused("empty", new byte[0], "too short");
        assertRefused("cut", Arrays.copyOf(good, good.length - 10), "run past");
        assertRefused("cut-header", Arrays.copyOf(good, 8 + headerLength / 2), "exceeds");
        assertRefused("huge-header", withLength(Long.MAX_VALUE, new byte[16]), "header length");
        assertRefused("extra", Arrays.copyOf(good, good.length + 4), "extra bytes");
        assertRefused("json", file(header.replaceFirst("\\{", "{\"x\":").replace("\"format\"", "format")), "not valid JSON");
        assertRefused("not-object", file("[1, 2]   "), "does not start with '{'");
        assertRefused("dtype", file(header.replace("\"F32\"", "\"Q7\"")), "unknown dtype 'Q7'");
        assertRefused("length", file(header.replace("[8,3,3,3,3]", "[8,3,3,3,2]")), "needs 1728 bytes");
        assertRefused("range", file(header.replace("\"data_offsets\":[0,2592]", "\"data_offsets\":[-1,2591]")),
                "non-negative");
        assertRefused("backwards", file(header.replace("[2592,2624]", "[2624,2592]")), "end before they begin");
        assertRefused("duplicate", file(header.replaceFirst("\"conv1.norm.weight\"", "\"conv1.conv.weight\"")),
                "not valid JSON");
        assertRefused("metadata", file(header.replace("{\"format\":\"pt\"}", "{\"format\":1}   ")), "not a string");
        // Two tensors sharing bytes (and so leaving others' bytes unused) are refused.
        String overlapping = header.replace("\"data_offsets\":[2592,2624]", "\"data_offsets\":[2560,2592]");
        assertRefused("overlap", file(overlapping), "overlap");
    }

    /** {@code header} (same length as the original, so the data still fits) before the golden data. */
    private byte[] file(String header) throws IOException {
        byte[] good = Files.readAllBytes(Golden.file("tiny3d.safetensors"));
        int oldLength = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] padded = h;
        if (h.length < oldLength) {
            padded = Arrays.copyOf(h, oldLength);
            Arrays.fill(padded, h.length, oldLength, (byte) ' ');
        }
        byte[] withHeader = withLength(padded.length, padded);
        byte[] out = Arrays.copyOf(withHeader, withHeader.length + good.length - 8 - oldLength);
        System.arraycopy(good, 8 + oldLength, out, withHeader.length, good.length - 8 - oldLength);
        return out;
    }

    private static byte[] withLength(long length, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(length).put(rest).array();
    }

    private void assertRefused(String name, byte[] bytes, String reason) throws IOException {
        Path file = Files.write(tmp.resolve(name + ".safetensors"), bytes);
        IOException e = assertThrows(IOException.class, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                f.names();
            }
        }, name);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(reason), name + ": " + e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nope.safetensors");
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
