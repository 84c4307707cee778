package dev.kinema.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void float32RoundTripsWithAnAlignedVersion1Header() throws IOException {
        for (long[] shape : new long[][] {{2, 3, 4}, {5}, {}, {0, 2}}) {
            int n = (int) FloatTensor.elements(shape);
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = i * 0.5f - 1;
            }
            FloatTensor t = new FloatTensor(shape, data);
            Path file = Npy.write(tmp.resolve("t" + shape.length + ".npy"), t);
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(1, bytes[6]);
            int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLength) % 64);
            assertEquals(t, Npy.read(file));
        }
    }

    @Test
    void readsNumpyWrittenFiles() throws IOException, URISyntaxException {
        FloatTensor x = Npy.read(Path.of(getClass().getResource("/golden/weights/tiny3d_input.npy").toURI()));
        assertArrayEquals(new long[] {2, 3, 4, 18, 18}, x.shape());
    }

    @Test
    void readsFloat64AndVersion2Headers() throws IOException {
        Path file = tmp.resolve("f8.npy");
        Files.write(file, npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                doubles(1.5, -2.25, 1e300)));
        FloatTensor t = Npy.read(file);
        assertArrayEquals(new long[] {3}, t.shape());
        assertArrayEquals(new float[] {1.5f, -2.25f, Float.POSITIVE_INFINITY}, t.data());
    }

    @Test
    void refusesWhatItCannotReadNamingTheFileAndTheReason() throws IOException {
        byte[] four = new byte[16];
        refused("fortran", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", four), "Fortran order");
        refused("object", npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", four), "object array");
        refused("int", npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", four), "'<i8' is not float32");
        refused("short", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", four), "needs 24 data bytes");
        refused("magic", "hello world, not numpy".getBytes(StandardCharsets.US_ASCII), "magic");
        byte[] good = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", four);
        refused("cut", Arrays.copyOf(good, 20), "does not fit");
        refused("tiny", new byte[3], "too short");
    }

    private void refused(String name, byte[] bytes, String reason) throws IOException {
        Path file = Files.write(tmp.resolve(name + ".npy"), bytes);
        IOException e = assertThrows(IOException.class, () -> Npy.read(file), name);
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(reason), e.getMessage());
    }

    private static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private static byte[] npy(int version, String header, byte[] data) {
        byte[] h = (header + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            out.writeBytes(new byte[] {(byte) h.length, (byte) (h.length >> 8)});
        } else {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }
}
