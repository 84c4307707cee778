package dev.kinema.flow;

import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FileFingerprint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One video's entry in a flow cache: a {@code .kflow} file.
 *
 * <pre>
 * magic    4 bytes  "KFLW"
 * version  int      {@value #VERSION}
 * method   UTF      e.g. "tvl1" (Java modified UTF-8: 2-byte length, then the bytes)
 * size     int      short side the flow was computed at, px
 * step     int      frames between the two ends of a field
 * bound    float    clipping bound, px (codes map [-bound, bound] onto 0..255)
 * fields   int
 * height   int
 * width    int
 * source   long     length of the video the flow was computed from (version 2)
 * sha256   32 bytes of that video's first and last MiB ({@link FileFingerprint}, version 2)
 * crc32    int      of the fields×2×H×W codes
 * length   long     bytes of the payload that follows
 * payload           deflate (zlib) of the codes, each row of each plane delta-coded left to right
 * </pre>
 *
 * All integers are big-endian. Delta coding (PNG's "Sub" filter) turns smooth flow into runs of
 * near-zero bytes, which deflate packs much tighter than the raw codes.
 */
public final class FlowCacheFile {
    public static final String EXTENSION = ".kflow";
    /** Version 2 added the source video's fingerprint, so a cache notices a replaced video. */
    public static final int VERSION = 2;
    private static final byte[] MAGIC = "KFLW".getBytes(StandardCharsets.US_ASCII);
    private static final int SHA256_BYTES = 32;

    /** An entry read whole: its header and its flow. */
    public record Entry(Header header, QuantizedFlow flow) {}

    /** What the header says. */
    public record Header(int version, String method, int size, int step, float bound, int fields, int height,
            int width, FileFingerprint source, int crc, long payloadBytes, long headerBytes) {}

    private FlowCacheFile() {}

    /**
     * Writes {@code flow}, quantised with {@code quantizer} and computed from the video whose
     * fingerprint is {@code source}, to {@code file} atomically; returns its byte count.
     */
    public static long write(Path file, FlowVideo flow, FlowSettings settings, FlowQuantizer quantizer,
            FileFingerprint source) throws IOException {
        byte[] codes = flow instanceof QuantizedFlow q && q.quantizer().bound() == quantizer.bound()
                ? q.codes() : QuantizedFlow.of(flow, quantizer).codes();
        CRC32 crc = new CRC32();
        crc.update(codes);
        byte[] payload = deflate(filter(codes, flow.width()));
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(settings.method().id());
            out.writeInt(settings.size());
            out.writeInt(settings.step());
            out.writeFloat(quantizer.bound());
            out.writeInt(flow.fields());
            out.writeInt(flow.height());
            out.writeInt(flow.width());
            out.writeLong(source.bytes());
            out.write(HexFormat.of().parseHex(source.sha256()));
            out.writeInt((int) crc.getValue());
            out.writeLong(payload.length);
            out.write(payload);
            out.flush();
        });
        return Files.size(file);
    }

    /** Reads the header of {@code file}, checking it against the file's length. */
    public static Header header(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readHeader(file, new DataInputStream(in), Files.size(file));
        }
    }

    /**
     * Why {@code file} must be (re)computed for the video whose fingerprint is {@code source}, or
     * empty if it is a whole, undamaged entry of that video. Reads and checks the whole entry (its
     * checksum included), so an entry damaged in the middle is caught on a rerun, not at training time.
     */
    public static Optional<String> whyNotCurrent(Path file, FileFingerprint source) {
        if (!Files.isRegularFile(file)) {
            return Optional.of("missing");
        }
        try {
            Header h = read(file).header();
            return h.source().equals(source) ? Optional.empty()
                    : Optional.of("computed from another video (" + h.source().describe() + ", now " + source.describe() + ")");
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /**
     * Reads {@code file} whole.
     *
     * @throws IOException naming the file and what is wrong with it (truncated, corrupted, not a flow file)
     */
    public static Entry read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        Header h = readHeader(file, in, bytes.length);
        long n = (long) h.fields() * 2 * h.height() * h.width();
        if (n > Integer.MAX_VALUE - 16) {
            throw corrupted(file, "its header declares " + n + " flow values, more than an array can hold");
        }
        byte[] codes;
        try {
            codes = inflate(bytes, (int) h.headerBytes(), (int) h.payloadBytes(), (int) n);
        } catch (DataFormatException e) {
            throw corrupted(file, "the compressed flow is damaged (" + e.getMessage() + ")");
        }
        if (codes == null) {
            throw corrupted(file, "the compressed flow does not hold the " + n + " values its header declares");
        }
        unfilter(codes, h.width());
        CRC32 crc = new CRC32();
        crc.update(codes);
        if ((int) crc.getValue() != h.crc()) {
            throw corrupted(file, "checksum mismatch");
        }
        return new Entry(h, new QuantizedFlow(codes, new FlowQuantizer(h.bound()), h.fields(), h.step(), h.height(), h.width()));
    }

    private static Header readHeader(Path file, DataInputStream in, long fileBytes) throws IOException {
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupted(file, "not a Kinema flow file (bad magic bytes)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": flow cache format version " + version + ", this Kinema reads version "
                        + VERSION + "; recompute the cache with kinema flow");
            }
            String method = in.readUTF();
            int size = in.readInt();
            int step = in.readInt();
            float bound = in.readFloat();
            int fields = in.readInt();
            int height = in.readInt();
            int width = in.readInt();
            long sourceBytes = in.readLong();
            byte[] sourceSha = new byte[SHA256_BYTES];
            in.readFully(sourceSha);
            int crc = in.readInt();
            long payload = in.readLong();
            // magic, version, method (length + bytes), 7 ints or floats from size to crc32, the source's
            // length and hash, payload length
            long headerBytes = MAGIC.length + 4 + 2 + method.getBytes(StandardCharsets.UTF_8).length + 7 * 4
                    + 8 + SHA256_BYTES + 8;
            if (fields < 0 || height < 1 || width < 1 || step < 1 || !(bound > 0) || payload < 0 || sourceBytes < 0) {
                throw corrupted(file, "its header is invalid");
            }
            if (headerBytes + payload != fileBytes) {
                throw corrupted(file, "it has " + fileBytes + " bytes, its header declares " + (headerBytes + payload)
                        + " (truncated or damaged)");
            }
            return new Header(version, method, size, step, bound, fields, height, width,
                    new FileFingerprint(sourceBytes, HexFormat.of().formatHex(sourceSha)), crc, payload, headerBytes);
        } catch (EOFException e) {
            throw corrupted(file, "it ends inside its header (truncated)");
        }
    }

    private static IOException corrupted(Path file, String reason) {
        return new IOException(file + ": corrupted flow cache file: " + reason + "; delete it and rerun kinema flow");
    }

    /** Each row of width {@code width}: keep the first byte, replace the others by the difference to the left one. */
    private static byte[] filter(byte[] codes, int width) {
        byte[] out = new byte[codes.length];
        for (int row = 0; row < codes.length; row += width) {
            out[row] = codes[row];
            for (int i = row + 1; i < row + width; i++) {
                out[i] = (byte) (codes[i] - codes[i - 1]);
            }
        }
        return out;
    }

    private static void unfilter(byte[] data, int width) {
        for (int row = 0; row < data.length; row += width) {
            for (int i = row + 1; i < row + width; i++) {
                data[i] = (byte) (data[i] + data[i - 1]);
            }
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 8));
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The {@code n} bytes inflated from {@code data[offset, offset + length)}, or null if they are not exactly n. */
    private static byte[] inflate(byte[] data, int offset, int length, int n) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, offset, length);
            byte[] out = new byte[n];
            int got = 0;
            while (got < n && !inflater.finished()) {
                int k = inflater.inflate(out, got, n - got);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                got += k;
            }
            if (got != n || !inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                return null;
            }
            return out;
        } finally {
            inflater.end();
        }
    }
}
