package dev.kinema.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.io.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file: its validated header and, on request, any tensor converted to floats.
 *
 * <p>The header is read with a bounded read and checked completely before anything else: its
 * length against the file's size, the JSON, every tensor's dtype, shape and byte range (in range,
 * the size the dtype and shape need, no gaps or overlaps, the data region covered exactly) and the
 * {@code __metadata__} strings. Tensors are then read by memory-mapping just their bytes. Errors
 * are {@link IOException}s naming the file and the reason. Nothing is ever unpickled: safetensors
 * holds only a JSON header and raw little-endian numbers.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The largest header Kinema reads (the safetensors library's own limit). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * One tensor's header entry.
     *
     * @param name its key
     * @param dtype element type
     * @param shape dimensions, outermost first
     * @param begin first byte, relative to the end of the header
     * @param end one past the last byte
     */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The shape as {@code 2x3x4}. */
        public String dims() {
            return FloatTensor.dims(shape);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens and validates {@code file}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such safetensors file");
        }
        try {
            return read(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafetensorsFile read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw bad(file, "only " + size + " bytes, too short for a safetensors file (8-byte header length first)");
        }
        ByteBuffer lengthBytes = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = lengthBytes.getLong();
        if (headerLength < 2 || Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
            throw bad(file, "header length " + Long.toUnsignedString(headerLength) + " is not between 2 and "
                    + MAX_HEADER_BYTES + " bytes; not a safetensors file?");
        }
        if (headerLength > size - 8) {
            throw bad(file, "header length " + headerLength + " exceeds the file's " + (size - 8)
                    + " bytes after the length field; the file is cut short or not safetensors");
        }
        ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
        String header;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes);
            header = chars.toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "the header is not UTF-8");
        }
        if (!header.startsWith("{")) {
            throw bad(file, "the header does not start with '{'; not a safetensors file?");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad(file, "the header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "the header is not a JSON object");
        }
        long dataLength = size - 8 - headerLength;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                Entry e = entry(file, field.getKey(), field.getValue());
                entries.put(e.name(), e);
            }
        }
        checkLayout(file, entries.values(), dataLength);
        return new SafetensorsFile(file, channel, 8 + headerLength, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws IOException {
        if (!node.isObject()) {
            throw bad(file, METADATA + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw bad(file, METADATA + "." + m.getKey() + " is not a string");
            }
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node) throws IOException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw bad(file, where + ": not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw bad(file, where + ": no dtype");
        }
        DType dtype = DType.parse(dtypeNode.asText()).orElseThrow(() -> bad(file, where + ": unknown dtype '"
                + dtypeNode.asText() + "'; known: " + Arrays.toString(DType.values())));
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw bad(file, where + ": no shape array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
                throw bad(file, where + ": shape " + shapeNode + " is not a list of non-negative integers");
            }
            shape[i] = d.asLong();
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw bad(file, where + ": data_offsets must be [begin, end]");
        }
        for (JsonNode o : offsets) {
            if (!o.canConvertToExactIntegral() || !o.canConvertToLong() || o.asLong() < 0) {
                throw bad(file, where + ": data_offsets " + offsets + " are not non-negative integers");
            }
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (end < begin) {
            throw bad(file, where + ": data_offsets " + offsets + " end before they begin");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(FloatTensor.elements(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            throw bad(file, where + ": shape " + shapeNode + " is too large");
        }
        if (end - begin != bytes) {
            throw bad(file, where + ": " + dtype + " " + shapeNode + " needs " + bytes + " bytes but data_offsets "
                    + offsets + " span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Tensors must tile the data region exactly: no gap, no overlap, nothing past the end. */
    private static void checkLayout(Path file, Iterable<Entry> entries, long dataLength) throws IOException {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.end() > dataLength) {
                throw bad(file, "tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                        + "] run past the " + dataLength + " data bytes; the file is cut short or the header is wrong");
            }
            if (e.begin() < expected) {
                throw bad(file, "tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap the previous tensor, which ends at " + expected);
            }
            if (e.begin() > expected) {
                throw bad(file, "tensor '" + e.name() + "': data_offsets begin at " + e.begin()
                        + " leaving a gap after byte " + expected + "; tensors must be contiguous");
            }
            expected = e.end();
        }
        if (expected != dataLength) {
            throw bad(file, "the tensors cover " + expected + " of the " + dataLength + " data bytes; extra bytes"
                    + " at the end");
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return file;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** Every tensor's header entry by name, in header order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The header entry of {@code name}. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "'");
        }
        return e;
    }

    /** The {@code __metadata__} strings (empty if the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor {@code name} as floats (F16 and BF16 widen exactly, F64 and integers round to
     * nearest float).
     *
     * @throws IOException naming the file, for an unreadable file or a dtype Kinema does not convert
     */
    public FloatTensor read(String name) throws IOException {
        Entry e = entry(name);
        if (!e.dtype().convertsToFloat()) {
            throw bad(file, "tensor '" + name + "' is " + e.dtype() + ", which Kinema does not convert to float");
        }
        long bytes = e.end() - e.begin();
        if (bytes / e.dtype().bytes() > Integer.MAX_VALUE - 8) {
            throw bad(file, "tensor '" + name + "' has " + bytes / e.dtype().bytes() + " elements, more than a"
                    + " Java array holds");
        }
        int n = (int) (bytes / e.dtype().bytes());
        float[] out = new float[n];
        if (n > 0) {
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), bytes)
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (e.dtype() == DType.F32) {
                data.asFloatBuffer().get(out);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = e.dtype().readFloat(data);
                }
            }
        }
        return new FloatTensor(e.shape(), out);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + file + ", " + entries.size() + " tensors]";
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip();
    }

    static IOException bad(Path file, String reason) {
        return new IOException(file + ": " + reason);
    }
}
