package dev.kinema.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format for float tensors: reads float32 and float64 (converted to float)
 * C-order arrays with version 1, 2 or 3 headers, and writes float32 version 1.0 files atomically.
 * Fortran-order, object and non-float arrays are rejected with the file and the reason; the header
 * is a bounded read and the data must be exactly the size the shape says.
 *
 * <pre>{@code
 * FloatTensor x = Npy.read(Path.of("x.npy"));          // np.save("x.npy", a.astype(np.float32))
 * Npy.write(Path.of("y.npy"), new FloatTensor(new long[] {2, 5}, logits));
 * }</pre>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Reads a float32 or float64 array.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static FloatTensor read(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such .npy file");
        }
        try (channel) {
            long size = channel.size();
            if (size < 10) {
                throw bad(file, "only " + size + " bytes, too short for a .npy file");
            }
            ByteBuffer start = readFully(file, channel, 0, 12 <= size ? 12 : 10).order(ByteOrder.LITTLE_ENDIAN);
            for (byte m : MAGIC) {
                if (start.get() != m) {
                    throw bad(file, "no .npy magic string; not a NumPy .npy file");
                }
            }
            int major = start.get() & 0xFF;
            start.get();
            long headerLength;
            int prefix;
            if (major == 1) {
                headerLength = start.getShort() & 0xFFFF;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                if (size < 12) {
                    throw bad(file, "cut short inside the header");
                }
                headerLength = start.getInt() & 0xFFFFFFFFL;
                prefix = 12;
            } else {
                throw bad(file, ".npy format version " + major + " is not 1, 2 or 3");
            }
            if (headerLength > MAX_HEADER || prefix + headerLength > size) {
                throw bad(file, "header length " + headerLength + " does not fit the file's " + size + " bytes");
            }
            String header = StandardCharsets.UTF_8.decode(readFully(file, channel, prefix, (int) headerLength)).toString();
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shapeMatch = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
                throw bad(file, "the header " + header.strip() + " lacks descr, fortran_order or shape");
            }
            if (fortran.group(1).equals("True")) {
                throw bad(file, "the array is in Fortran order; save a C-order array (np.ascontiguousarray)");
            }
            String type = descr.group(1);
            ByteOrder order = type.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String kind = type.isEmpty() ? "" : "<>=|".indexOf(type.charAt(0)) >= 0 ? type.substring(1) : type;
            int itemSize;
            if (kind.equals("f4")) {
                itemSize = 4;
            } else if (kind.equals("f8")) {
                itemSize = 8;
            } else if (kind.equals("O")) {
                throw bad(file, "an object array cannot be read (it would need unpickling); save float32");
            } else {
                throw bad(file, "dtype '" + type + "' is not float32 or float64; save with .astype(np.float32)");
            }
            long[] shape = shape(file, shapeMatch.group(1));
            long count;
            try {
                count = FloatTensor.elements(shape);
            } catch (ArithmeticException e) {
                throw bad(file, "shape " + FloatTensor.dims(shape) + " is too large");
            }
            long dataStart = prefix + headerLength;
            if (count > Integer.MAX_VALUE - 8 || count * itemSize != size - dataStart) {
                throw bad(file, "shape " + FloatTensor.dims(shape) + " of " + type + " needs " + count * itemSize
                        + " data bytes, the file has " + (size - dataStart));
            }
            float[] data = new float[(int) count];
            if (count > 0) {
                ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, count * itemSize).order(order);
                if (itemSize == 4) {
                    bytes.asFloatBuffer().get(data);
                } else {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) bytes.getDouble();
                    }
                }
            }
            return new FloatTensor(shape, data);
        }
    }

    /** Writes a float32 C-order array atomically (format version 1.0) and returns the absolute path. */
    public static Path write(Path file, FloatTensor tensor) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        long[] dims = tensor.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        shape.append(dims.length == 1 ? ",)" : ")");
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(shape).append(", }");
        int total = MAGIC.length + 4 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        return AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) headerBytes.length, (byte) (headerBytes.length >>> 8)});
            out.write(headerBytes);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : tensor.data()) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(v);
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    private static long[] shape(Path file, String tuple) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw bad(file, "shape (" + tuple + ") is not a tuple of non-negative integers");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw bad(file, "cut short inside the header");
            }
        }
        return b.flip();
    }

    private static IOException bad(Path file, String reason) {
        return new IOException(file + ": " + reason);
    }
}
