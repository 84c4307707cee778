package dev.kinema.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.kinema.engine.EngineGuard;
import dev.kinema.engine.KernelPath;
import dev.kinema.weights.DeterministicFill;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel conformance check: every convolution geometry of every registered model (at its
 * smallest accepted clip, batch 2), forward and both gradients, on deterministic probe tensors,
 * against the values torch 1.13 computes with oneDNN switched off ({@code kernel-goldens.tsv} beside
 * this class, written by {@code tools/golden/kernel_goldens.py}).
 *
 * <p>Each tensor is compared through its {@link Signature}: a checksum weighted by a deterministic
 * random tensor, its absolute sum and its largest magnitude. A weighted checksum catches a wrong
 * output or gradient anywhere in the tensor without committing the tensor itself; the tolerance,
 * {@value #TOLERANCE} of the checksum's absolute mass, is far above float32 summation-order noise
 * (about 1e-7 here) and far below the errors measured on processors where oneDNN is wrong (0.2
 * relative in an input gradient, garbage or NaN in a weight gradient).
 *
 * <p>Because a bad kernel can crash or hang the JVM, {@link #runInChild} runs the check in a child
 * JVM and reports a crash with the geometry that was running and the {@code hs_err} frame.
 */
public final class KernelCheck {
    public static final double TOLERANCE = 1e-4;
    static final String GOLDENS = "kernel-goldens.tsv";
    private static final String START = "start ";
    private static final Pattern FRAME = Pattern.compile("^# Problematic frame:\\s*\\n#\\s*(.+)$", Pattern.MULTILINE);

    private KernelCheck() {}

    /** Sums that identify a tensor: {@code Σ t·r}, {@code Σ |t·r|}, {@code Σ |t|} and {@code max |t|}. */
    public record Signature(double weighted, double weightedAbs, double abs, double maxAbs) {
        /** Of {@code values}, weighted by the probe weights {@code r}. */
        public static Signature of(float[] values, float[] r) {
            double weighted = 0;
            double weightedAbs = 0;
            double abs = 0;
            double max = 0;
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                if (!Double.isFinite(v)) {
                    return new Signature(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
                }
                weighted += v * r[i];
                weightedAbs += Math.abs(v * r[i]);
                abs += Math.abs(v);
                max = Math.max(max, Math.abs(v));
            }
            return new Signature(weighted, weightedAbs, abs, max);
        }

        /** The worst of the three relative errors against {@code expected}; NaN when this is not finite. */
        public double error(Signature expected) {
            if (!Double.isFinite(weighted)) {
                return Double.NaN;
            }
            double scale = Math.max(expected.weightedAbs, 1e-30);
            double e = Math.abs(weighted - expected.weighted) / scale;
            e = Math.max(e, Math.abs(abs - expected.abs) / Math.max(expected.abs, 1e-30));
            return Math.max(e, Math.abs(maxAbs - expected.maxAbs) / Math.max(expected.maxAbs, 1e-30));
        }
    }

    /** One geometry's golden signatures: y, dx, dw and (with a bias) db. */
    public record Golden(ConvGeometry geometry, Map<String, Signature> tensors) {}

    /**
     * The probe's outcome for one geometry: the relative error of each tensor (y: the output, dx:
     * the input gradient, i.e. the backward-data pass, dw and db: the backward-weights pass), NaN
     * for a tensor that was not finite.
     */
    public record Outcome(ConvGeometry geometry, Map<String, Double> errors) {
        public Outcome {
            errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }

        public boolean right() {
            return errors.values().stream().allMatch(e -> e <= TOLERANCE);   // false for NaN
        }

        /** The tensors that are wrong, in y, dx, dw, db order. */
        public List<String> wrongTensors() {
            return errors.entrySet().stream().filter(e -> !(e.getValue() <= TOLERANCE)).map(Map.Entry::getKey).toList();
        }

        /** The largest error (NaN if any tensor was not finite). */
        public double worstError() {
            return errors.values().stream().mapToDouble(Double::doubleValue)
                    .reduce(0, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b));
        }

        /** "y=1.2e-06,dx=3.0e-06,...": how the child reports it. */
        String errorsText() {
            StringBuilder b = new StringBuilder();
            errors.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
            return b.toString();
        }

        static Map<String, Double> parseErrors(String text) {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String kv : text.split(",")) {
                int eq = kv.indexOf('=');
                out.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
            }
            return out;
        }
    }

    /** What a run found: outcomes, and for a child that died, the geometry it was on and why. */
    public record Report(KernelPath path, List<Outcome> outcomes, int expected, Optional<String> crashedOn,
            Optional<String> failure) {
        public List<Outcome> wrong() {
            return outcomes.stream().filter(o -> !o.right()).toList();
        }

        public boolean passed() {
            return failure.isEmpty() && outcomes.size() == expected && wrong().isEmpty();
        }

        /**
         * Where the wrong values are: how many geometries are wrong in each pass, split by 2D and
         * 3D, e.g. "3d dx: 12, 2d y: 1"; empty when none is.
         */
        public String map() {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (Outcome o : wrong()) {
                for (String t : o.wrongTensors()) {
                    counts.merge(o.geometry().dims() + "d " + t, 1, Integer::sum);
                }
            }
            StringBuilder b = new StringBuilder();
            counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
            return b.toString();
        }

        public String summary() {
            String s = path.setting() + ": " + outcomes.size() + " of " + expected + " geometries checked, "
                    + wrong().size() + " wrong";
            if (failure.isPresent()) {
                s += "; " + failure.get() + crashedOn.map(g -> " while checking " + g).orElse("");
            }
            return s;
        }
    }

    /** The committed golden signatures, one entry per geometry, in file order. */
    public static List<Golden> goldens() {
        try (InputStream in = KernelCheck.class.getResourceAsStream(GOLDENS)) {
            if (in == null) {
                throw new IllegalStateException("missing " + GOLDENS + "; run /usr/bin/python3 tools/golden/kernel_goldens.py");
            }
            Map<String, Map<String, Signature>> byGeometry = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                byGeometry.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], new Signature(
                        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            }
            List<Golden> out = new ArrayList<>();
            byGeometry.forEach((g, t) -> out.add(new Golden(ConvGeometry.parse(g), t)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs one geometry's probe with the kernels this process uses: the deterministic input,
     * weight and bias through the convolution Kinema runs ({@link GuardedConv3d#convolve} in 3D,
     * DJL's {@code conv2d} in 2D), then backward from {@code Σ y·g}.
     */
    public static Map<String, Signature> probe(ConvGeometry g) {
        EngineGuard.ensureApplied();
        String id = g.line();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(DeterministicFill.uniform(id + ".x", g.input().size()), g.input());
            NDArray w = m.create(DeterministicFill.values(id + ".weight", g.weightShape()), g.weightShape());
            NDArray b = g.bias() ? m.create(DeterministicFill.values(id + ".bias", new Shape(g.filters())), new Shape(g.filters()))
                    : null;
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            if (b != null) {
                b.setRequiresGradient(true);
            }
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = g.dims() == 3
                        ? GuardedConv3d.convolve(x, w, b, g.stride(), g.padding(), g.dilation(), g.groups())
                        : Conv2d.conv2d(x, w, b, g.stride(), g.padding(), g.dilation(), g.groups());
                NDArray y = out.singletonOrThrow();
                tensors.put("y", y);
                NDArray grad = m.create(DeterministicFill.uniform(id + ".g", y.getShape().size()), y.getShape());
                collector.backward(y.mul(grad).sum());
            }
            tensors.put("dx", x.getGradient());
            tensors.put("dw", w.getGradient());
            if (b != null) {
                tensors.put("db", b.getGradient());
            }
            Map<String, Signature> signatures = new LinkedHashMap<>();
            tensors.forEach((name, t) -> signatures.put(name, Signature.of(t.toFloatArray(),
                    DeterministicFill.uniform(id + ".r" + name, t.getShape().size()))));
            return signatures;
        }
    }

    /** Compares one geometry's probe with its golden signatures. */
    public static Outcome check(Golden golden) {
        Map<String, Signature> actual = probe(golden.geometry());
        Map<String, Double> errors = new LinkedHashMap<>();
        golden.tensors().forEach((name, expected) -> {
            Signature a = actual.get(name);
            errors.put(name, a == null ? Double.NaN : a.error(expected));
        });
        return new Outcome(golden.geometry(), errors);
    }

    /**
     * Runs every golden geometry with {@code path}'s kernels in a child JVM, bounded by
     * {@code timeout}. A crash is reported with the geometry it happened on and the first frame of
     * the JVM's {@code hs_err} file, which goes to {@code workDir}.
     */
    public static Report runInChild(KernelPath path, Duration timeout, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("kernel-check-" + path.setting() + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-Xmx2g",
                "-D" + EngineGuard.PROPERTY + "=" + path.setting(),
                "-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                KernelCheck.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        List<Outcome> outcomes = new ArrayList<>();
        String running = null;
        for (String line : output.split("\n")) {
            if (line.startsWith(START)) {
                running = line.substring(START.length());
            } else if (line.startsWith("ok\t") || line.startsWith("WRONG\t")) {
                String[] f = line.split("\t");
                outcomes.add(new Outcome(ConvGeometry.parse(f[1]), Outcome.parseErrors(f[2])));
                running = null;
            }
        }
        int expected = goldens().size();
        Optional<String> failure = Optional.empty();
        if (!finished) {
            failure = Optional.of("the child JVM hung (no answer in " + timeout.toSeconds() + " s)");
        } else if (child.exitValue() != 0 && child.exitValue() != 1) {
            failure = Optional.of("the child JVM died with exit code " + child.exitValue() + crashFrame(workDir, child.pid())
                    .map(f -> ", hs_err frame: " + f).orElse(""));
        } else if (outcomes.size() != expected) {
            failure = Optional.of("the child JVM checked " + outcomes.size() + " geometries and ended (exit "
                    + child.exitValue() + "); its output ends: " + output.substring(Math.max(0, output.length() - 2000)));
        }
        return new Report(path, outcomes, expected, Optional.ofNullable(running).filter(r -> !outcomesContain(outcomes, r)),
                failure);
    }

    private static boolean outcomesContain(List<Outcome> outcomes, String geometry) {
        return outcomes.stream().anyMatch(o -> o.geometry().line().equals(geometry));
    }

    /** The "Problematic frame" line of the child's hs_err file, if it wrote one. */
    static Optional<String> crashFrame(Path workDir, long pid) {
        Path file = workDir.resolve("hs_err_pid" + pid + ".log");
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            Matcher m = FRAME.matcher(Files.readString(file));
            return m.find() ? Optional.of(m.group(1).trim()) : Optional.of("(no frame in " + file + ")");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The child's side: checks every golden geometry with the kernels {@code -Dkinema.kernels}
     * names, one line per geometry ({@code start}, then {@code ok} or {@code WRONG} with each
     * tensor's relative error); exit 0 when all are right, 1 when any is wrong.
     */
    public static void main(String[] args) {
        EngineGuard.ensureApplied();
        boolean allRight = true;
        for (Golden golden : goldens()) {
            System.out.println(START + golden.geometry().line());
            System.out.flush();
            Outcome o = check(golden);
            allRight &= o.right();
            System.out.println((o.right() ? "ok" : "WRONG") + "\t" + o.geometry().line() + "\t" + o.errorsText());
            System.out.flush();
        }
        System.exit(allRight ? 0 : 1);
    }
}
