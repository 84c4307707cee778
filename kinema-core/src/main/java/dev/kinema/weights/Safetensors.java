package dev.kinema.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes safetensors files (reading is {@link SafetensorsFile#open}): an 8-byte little-endian
 * header length, the JSON header padded with spaces so the data starts 8-byte aligned, then every
 * tensor's little-endian bytes back to back in the order given.
 *
 * <pre>{@code
 * Safetensors.write(Path.of("w.safetensors"), Map.of("fc.weight", tensor), DType.F32, Map.of("format", "pt"));
 * }</pre>
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 16;

    private Safetensors() {}

    /** Opens and validates a safetensors file; see {@link SafetensorsFile}. */
    public static SafetensorsFile open(Path file) throws IOException {
        return SafetensorsFile.open(file);
    }

    /**
     * Writes {@code tensors} (in iteration order) atomically as {@code dtype} (F32, F16 or BF16;
     * narrowing rounds to nearest even) with {@code metadata} as {@code __metadata__}.
     *
     * @return the file's absolute path
     */
    public static Path write(Path file, Map<String, FloatTensor> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        if (!dtype.writable()) {
            throw new IllegalArgumentException("Kinema writes F32, F16 and BF16 safetensors, not " + dtype);
        }
        byte[] header = header(tensors, dtype, metadata);
        return AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (FloatTensor t : tensors.values()) {
                for (float v : t.data()) {
                    if (chunk.remaining() < dtype.bytes()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    dtype.writeFloat(chunk, v);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    private static byte[] header(Map<String, FloatTensor> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafetensorsFile.METADATA);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
            if (e.getKey().equals(SafetensorsFile.METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be called " + SafetensorsFile.METADATA);
            }
            ObjectNode t = root.putObject(e.getKey());
            t.put("dtype", dtype.name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + (long) e.getValue().data().length * dtype.bytes();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }
}
