package dev.kinema.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import dev.kinema.io.FloatTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads a safetensors file into an initialised model by name: each file tensor's name, rewritten
 * by a {@link NameMapping}, is looked up among the model's {@link ParameterNames} and its values
 * are copied into that parameter's array (BatchNorm running statistics included).
 *
 * <p><b>Strict</b> (the default): every parameter must get a tensor of its exact shape and every
 * tensor must be used, else nothing is loaded and a {@link WeightMismatchException} lists every
 * missing, unexpected and mis-shaped name (with both shapes). <b>Lenient</b> loads what matches
 * and returns the rest in the {@link LoadReport}. Either way BatchNorm's
 * {@code num_batches_tracked} counters are skipped and reported as ignored.
 *
 * <pre>{@code
 * VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(5).build());
 * model.initialize(manager);
 * LoadReport r = WeightLoader.builder().optMapping(NameMapping.MMACTION2).build().load(model, file);
 * }</pre>
 */
public final class WeightLoader {
    private static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private final boolean lenient;
    private final NameMapping mapping;

    private WeightLoader(Builder b) {
        this.lenient = b.lenient;
        this.mapping = b.mapping;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A strict loader with the torchvision (identity) mapping. */
    public static WeightLoader strict() {
        return builder().build();
    }

    /** Opens {@code file} and loads it into {@code model}; see {@link #load(Block, SafetensorsFile)}. */
    public LoadReport load(Block model, Path file) throws IOException {
        try (SafetensorsFile weights = SafetensorsFile.open(file)) {
            return load(model, weights);
        }
    }

    /**
     * Loads {@code weights} into {@code model}, whose parameters must be initialised.
     *
     * @throws WeightMismatchException when strict and anything does not match (nothing is loaded)
     * @throws IOException naming the file, when it cannot be read
     */
    public LoadReport load(Block model, SafetensorsFile weights) throws IOException {
        Map<String, Parameter> parameters = ParameterNames.of(model);
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not initialised; initialise the model"
                        + " for its input shape before loading weights");
            }
        }
        Map<String, String> byKinemaName = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        int renamed = 0;
        for (String fileName : weights.names()) {
            if (fileName.equals(NUM_BATCHES_TRACKED) || fileName.endsWith("." + NUM_BATCHES_TRACKED)) {
                ignored.add(fileName);
                continue;
            }
            String name = mapping.apply(fileName);
            if (!name.equals(fileName)) {
                renamed++;
            }
            String previous = byKinemaName.put(name, fileName);
            if (previous != null) {
                throw new IOException(weights.path() + ": tensors '" + previous + "' and '" + fileName
                        + "' both map to '" + name + "' under mapping " + mapping.name());
            }
        }
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LoadReport.Mismatch> mismatched = new ArrayList<>();
        Map<Parameter, String> plan = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
            String fileName = byKinemaName.get(p.getKey());
            if (fileName == null) {
                missing.add(p.getKey());
                continue;
            }
            used.add(p.getKey());
            SafetensorsFile.Entry entry = weights.entry(fileName);
            long[] modelShape = p.getValue().getArray().getShape().getShape();
            String label = fileName.equals(p.getKey()) ? p.getKey() : p.getKey() + " (file: " + fileName + ")";
            if (!Arrays.equals(modelShape, entry.shape())) {
                mismatched.add(new LoadReport.Mismatch(label, FloatTensor.dims(modelShape), entry.dims()));
            } else if (!entry.dtype().convertsToFloat()) {
                mismatched.add(new LoadReport.Mismatch(label, "float", entry.dtype() + " (not converted)"));
            } else {
                plan.put(p.getValue(), fileName);
                loaded.add(p.getKey());
            }
        }
        List<String> unexpected = new ArrayList<>();
        byKinemaName.forEach((name, fileName) -> {
            if (!used.contains(name)) {
                unexpected.add(fileName.equals(name) ? name : fileName + " (as " + name + ")");
            }
        });
        LoadReport report = new LoadReport(weights.path(), mapping, loaded, missing, unexpected, mismatched, ignored,
                renamed);
        if (!lenient && !report.isComplete()) {
            throw new WeightMismatchException(weights.path() + " does not fit " + modelName(model)
                    + " (strict loading; --lenient loads what matches): " + report.summary("match but none was loaded")
                    + "\n" + report.details()
                    + hint(parameters.keySet(), unexpected), report);
        }
        for (Map.Entry<Parameter, String> step : plan.entrySet()) {
            copy(weights.read(step.getValue()), step.getKey().getArray());
        }
        return report;
    }

    /**
     * The number of classes the weights' classifier predicts: the first dimension of the weight of
     * the model's last linear layer (its classifier), looked up in {@code weights} under
     * {@code mapping}. Empty when the model has no linear layer or the file no such 2-D tensor.
     * The model need not be initialised.
     */
    public static OptionalInt classesIn(Block model, SafetensorsFile weights, NameMapping mapping) {
        Optional<String> classifier = classifierName(model);
        if (classifier.isEmpty()) {
            return OptionalInt.empty();
        }
        String wanted = classifier.get().isEmpty() ? "weight" : classifier.get() + ".weight";
        for (SafetensorsFile.Entry e : weights.entries().values()) {
            long[] shape = e.shape();
            if (mapping.apply(e.name()).equals(wanted) && shape.length == 2 && shape[0] >= 1
                    && shape[0] <= Integer.MAX_VALUE) {
                return OptionalInt.of((int) shape[0]);
            }
        }
        return OptionalInt.empty();
    }

    /** The module name of the model's classifier: its last {@link Linear} block. */
    public static Optional<String> classifierName(Block model) {
        String last = null;
        for (Map.Entry<String, Block> b : ParameterNames.blocks(model).entrySet()) {
            if (b.getValue() instanceof Linear) {
                last = b.getKey();
            }
        }
        return Optional.ofNullable(last);
    }

    /** Copies {@code t} into {@code target}, in place, converting to the array's own dtype. */
    private static void copy(FloatTensor t, NDArray target) {
        if (target.getDataType() == DataType.FLOAT32) {
            target.set(t.data());
            return;
        }
        try (NDManager scratch = target.getManager().newSubManager()) {
            NDArray converted = scratch.create(t.data(), target.getShape()).toType(target.getDataType(), false);
            target.set(converted.toByteBuffer());
        }
    }

    /** Points at a mapping when the unexpected names share a first component no parameter has. */
    private static String hint(Set<String> modelNames, List<String> unexpected) {
        if (unexpected.isEmpty()) {
            return "";
        }
        Set<String> modelRoots = new HashSet<>();
        modelNames.forEach(n -> modelRoots.add(root(n)));
        Map<String, Integer> foreign = new TreeMap<>();
        for (String u : unexpected) {
            String r = root(u);
            if (!modelRoots.contains(r)) {
                foreign.merge(r, 1, Integer::sum);
            }
        }
        if (foreign.isEmpty()) {
            return "";
        }
        Map.Entry<String, Integer> top = foreign.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        String suggestion = switch (top.getKey()) {
            case "backbone", "cls_head" -> " (an MMAction2 checkpoint? try --mapping mmaction2, or mmaction2-2d for a 2D"
                    + " ResNet backbone such as TSM's)";
            case "base_model", "new_fc" -> " (a checkpoint of the TSM authors' code? try --mapping tsm)";
            case "model" -> " (a PyTorchVideo Lightning checkpoint? try --mapping pytorchvideo)";
            default -> " (see --mapping: " + String.join(", ", NameMapping.all().stream().map(NameMapping::name).toList())
                    + ")";
        };
        return "\n  " + top.getValue() + " unexpected names start with '" + top.getKey() + ".', which no model"
                + " parameter does" + suggestion;
    }

    private static String root(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static String modelName(Block model) {
        return model instanceof NamedBlock named ? named.name() : model.getClass().getSimpleName();
    }

    /** DJL-style builder: strict and torchvision names unless told otherwise. */
    public static final class Builder {
        private boolean lenient;
        private NameMapping mapping = NameMapping.TORCHVISION;

        private Builder() {}

        /** Load what matches and report the rest instead of failing. */
        public Builder optLenient(boolean lenient) {
            this.lenient = lenient;
            return this;
        }

        public Builder optMapping(NameMapping mapping) {
            this.mapping = Objects.requireNonNull(mapping, "mapping");
            return this;
        }

        public WeightLoader build() {
            return new WeightLoader(this);
        }
    }
}
