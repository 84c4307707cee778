package dev.kinema.data.datasets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A folder of frames extracted from one video, numbered by a file name template: with the
 * default {@code img_{:05}.jpg} (MMAction2's default {@code filename_tmpl}, with its default
 * {@code start_index} of 1) the frames are {@code img_00001.jpg, img_00002.jpg, ...}.
 *
 * <p>Indices given to {@link #framePath(int)} are 0-based; file numbers start at
 * {@link #firstNumber()} (1 by default, and {@code 1 + offset} for MMAction2's
 * {@code with_offset} lists of clips cut from a longer folder). Loading the images is not done
 * here.
 *
 * <p>Templates are Python-style ({@code {}}, {@code {:05}}, {@code {:05d}}) or printf-style
 * ({@code %d}, {@code %05d}), with exactly one number in them.
 *
 * @param dir the folder holding the frames
 * @param template the file name template, e.g. {@value #DEFAULT_TEMPLATE}
 * @param firstNumber the number in the file name of frame index 0
 * @param frameCount how many frames the sample has
 */
public record FrameFolder(Path dir, String template, int firstNumber, int frameCount) {
    /** MMAction2's default frame file name template. */
    public static final String DEFAULT_TEMPLATE = "img_{:05}.jpg";

    public FrameFolder {
        Objects.requireNonNull(dir, "dir");
        Template.parse(template);
        if (firstNumber < 0) {
            throw new IllegalArgumentException("firstNumber must be >= 0, got " + firstNumber);
        }
        if (frameCount < 0) {
            throw new IllegalArgumentException("frameCount must be >= 0, got " + frameCount);
        }
    }

    /** {@code frameCount} frames named by the default template, numbered from 1. */
    public static FrameFolder of(Path dir, int frameCount) {
        return new FrameFolder(dir, DEFAULT_TEMPLATE, 1, frameCount);
    }

    /** The file of frame {@code index}, 0-based: {@code dir/img_00001.jpg} for index 0 by default. */
    public Path framePath(int index) {
        if (index < 0 || index >= frameCount) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount + " in " + dir);
        }
        return dir.resolve(Template.parse(template).name(firstNumber + index));
    }

    /** The file name the template gives for file number {@code number}. */
    public String fileName(int number) {
        return Template.parse(template).name(number);
    }

    /** What {@link #scan} found in a folder. */
    public record Scan(FrameFolder frames, int filesMatched, int highestNumber) {
        /** True when the matched frames are numbered without a hole. */
        public boolean contiguous() {
            return frames.frameCount() == filesMatched;
        }
    }

    /**
     * Counts the frames in {@code dir} named by {@code template}: the frames are the run of
     * numbers from the lowest one found with no hole. Empty when no file matches.
     */
    public static Optional<Scan> scan(Path dir, String template) throws IOException {
        Template t = Template.parse(template);
        int[] numbers = new int[16];
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                int number = t.match(f.getFileName().toString());
                if (number >= 0 && Files.isRegularFile(f)) {
                    if (n == numbers.length) {
                        numbers = Arrays.copyOf(numbers, n * 2);
                    }
                    numbers[n++] = number;
                }
            }
        }
        return fromNumbers(dir, template, Arrays.copyOf(numbers, n));
    }

    /** As {@link #scan}, on file names already listed. */
    static Optional<Scan> scan(Path dir, String template, List<String> names) {
        Template t = Template.parse(template);
        int[] numbers = names.stream().mapToInt(t::match).filter(x -> x >= 0).toArray();
        return fromNumbers(dir, template, numbers);
    }

    private static Optional<Scan> fromNumbers(Path dir, String template, int[] numbers) {
        if (numbers.length == 0) {
            return Optional.empty();
        }
        Arrays.sort(numbers);
        int first = numbers[0];
        int run = 1;
        while (run < numbers.length && numbers[run] == first + run) {
            run++;
        }
        return Optional.of(new Scan(new FrameFolder(dir, template, first, run), numbers.length,
                numbers[numbers.length - 1]));
    }

    /** True when {@code name} is a frame file name of {@code template}. */
    static boolean matches(String template, String name) {
        return Template.parse(template).match(name) >= 0;
    }

    /** A parsed template: prefix, zero-padded width (0 = none), suffix. */
    record Template(String prefix, int width, String suffix) {
        private static final ConcurrentHashMap<String, Template> CACHE =
                new ConcurrentHashMap<>();

        static Template parse(String template) {
            Objects.requireNonNull(template, "template");
            Template t = CACHE.get(template);
            if (t == null) {
                t = parseUncached(template);
                if (CACHE.size() < 64) {
                    CACHE.put(template, t);
                }
            }
            return t;
        }

        private static Template parseUncached(String template) {
            int open = template.indexOf('{');
            int pct = template.indexOf('%');
            if (open >= 0 && pct < 0) {
                int close = template.indexOf('}', open);
                if (close < 0 || template.indexOf('{', open + 1) >= 0 || template.indexOf('}', close + 1) >= 0) {
                    throw bad(template);
                }
                String spec = template.substring(open + 1, close);
                if (spec.startsWith(":")) {
                    spec = spec.substring(1);
                } else if (!spec.isEmpty()) {
                    throw bad(template);
                }
                return new Template(template.substring(0, open), width(spec, template),
                        template.substring(close + 1));
            }
            if (pct >= 0 && open < 0) {
                int d = template.indexOf('d', pct);
                if (d < 0 || template.indexOf('%', pct + 1) >= 0) {
                    throw bad(template);
                }
                return new Template(template.substring(0, pct), width(template.substring(pct + 1, d + 1), template),
                        template.substring(d + 1));
            }
            throw bad(template);
        }

        /** "" or "d" → 0; "05" or "05d" → 5; anything else is refused. */
        private static int width(String spec, String template) {
            String s = spec.endsWith("d") ? spec.substring(0, spec.length() - 1) : spec;
            if (s.isEmpty()) {
                return 0;
            }
            if (s.length() < 2 || s.charAt(0) != '0' || !s.chars().allMatch(Character::isDigit)) {
                throw bad(template);
            }
            return Integer.parseInt(s.substring(1));
        }

        private static IllegalArgumentException bad(String template) {
            return new IllegalArgumentException("frame file name template '" + template
                    + "' must hold one number, as {}, {:05}, {:05d}, %d or %05d");
        }

        String name(int number) {
            String digits = Integer.toString(number);
            if (digits.length() >= width) {
                return prefix + digits + suffix;
            }
            return prefix + "0".repeat(width - digits.length()) + digits + suffix;
        }

        /** The number in {@code name}, or -1 when it is not a name of this template. */
        int match(String name) {
            if (name.length() <= prefix.length() + suffix.length() || !name.startsWith(prefix)
                    || !name.endsWith(suffix)) {
                return -1;
            }
            String digits = name.substring(prefix.length(), name.length() - suffix.length());
            if (digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            int number = Integer.parseInt(digits);
            return name(number).equals(name) ? number : -1;
        }
    }
}
