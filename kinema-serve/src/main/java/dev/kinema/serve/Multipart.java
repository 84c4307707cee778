package dev.kinema.serve;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file part of a {@code multipart/form-data} body (RFC 7578), found in the body as saved to a
 * temporary file, so an upload is never held in memory.
 */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    /** The part's byte range in the body and the name the client gave the file. */
    record FilePart(long start, long end, String filename) {}

    private Multipart() {}

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The first part that carries a file name. */
    static FilePart findFile(Path body, String contentType) throws IOException {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new HttpError(400, "the multipart body's Content-Type names no boundary");
        }
        byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        byte[] headersEnd = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel channel = FileChannel.open(body, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new HttpError(413, "the multipart body is larger than 2 GB");
            }
            MappedByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            int pos = indexOf(b, delimiter, 0);
            if (pos < 0) {
                throw new HttpError(400, "the multipart body has no part (no boundary line)");
            }
            while (true) {
                pos += delimiter.length;
                if (pos + 2 <= b.limit() && b.get(pos) == '-' && b.get(pos + 1) == '-') {
                    throw new HttpError(400, "the multipart body has no file part (send the video as a file field)");
                }
                int headers = indexOf(b, headersEnd, pos);
                if (headers < 0) {
                    throw new HttpError(400, "the multipart body is truncated (a part's headers do not end)");
                }
                String partHeaders = ascii(b, pos, headers);
                int start = headers + headersEnd.length;
                int end = indexOf(b, nextDelimiter, start);
                if (end < 0) {
                    throw new HttpError(400, "the multipart body is truncated (no closing boundary)");
                }
                Matcher f = FILENAME.matcher(partHeaders);
                if (f.find()) {
                    return new FilePart(start, end, f.group(1));
                }
                pos = end + 2;
            }
        }
    }

    private static String ascii(MappedByteBuffer b, int from, int to) {
        byte[] bytes = new byte[Math.min(to - from, 8192)];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(MappedByteBuffer b, byte[] needle, int from) {
        int last = b.limit() - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (b.get(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (b.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
