package dev.kinema.models;

import ai.djl.ndarray.types.Shape;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.TemporalReadout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to build a model: number of classes, the clip it takes (C×T×H×W with H = W), the 2D backbone
 * where the model has one, and the {@link LayerFactory} its layers come from.
 *
 * <p>Two options change any model: {@linkplain #nonLocal() non-local blocks} after named stages of
 * a 3D CNN, and the {@linkplain #readout() readout} of a recurrent model.
 *
 * <p>Frames, size, backbone and readout may be left unset: {@link ModelRegistry#create} fills them in from
 * the model's {@linkplain ModelInfo#defaults() defaults}.
 *
 * <pre>{@code
 * ModelConfig config = ModelConfig.builder().setNumClasses(16).optFrames(8).optSize(112).optBackbone("resnet18").build();
 * VideoModel model = ModelRegistry.create("late-fusion-pool", config);
 * }</pre>
 */
public final class ModelConfig {
    private final int numClasses;
    private final Integer frames;
    private final Integer size;
    private final int channels;
    private final String backbone;
    private final LayerFactory layers;
    private final List<String> nonLocal;
    private final TemporalReadout.Mode readout;

    private ModelConfig(Builder b) {
        this.numClasses = b.numClasses;
        this.frames = b.frames;
        this.size = b.size;
        this.channels = b.channels;
        this.backbone = b.backbone;
        this.layers = b.layers;
        this.nonLocal = b.nonLocal;
        this.readout = b.readout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A complete config: {@code numClasses} classes on clips of {@code frames} frames of {@code size}², RGB. */
    public static ModelConfig of(int numClasses, int frames, int size) {
        return builder().setNumClasses(numClasses).optFrames(frames).optSize(size).build();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.numClasses = numClasses;
        b.frames = frames;
        b.size = size;
        b.channels = channels;
        b.backbone = backbone;
        b.layers = layers;
        b.nonLocal = nonLocal;
        b.readout = readout;
        return b;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Frames per clip, T. */
    public int frames() {
        return require(frames, "frames");
    }

    /** Frame height and width, H = W. */
    public int size() {
        return require(size, "size");
    }

    /** Input channels, C (3 for RGB). */
    public int channels() {
        return channels;
    }

    /** The 2D backbone's name, for models built on one. */
    public Optional<String> backbone() {
        return Optional.ofNullable(backbone);
    }

    public LayerFactory layers() {
        return layers;
    }

    /**
     * The stages (module paths, e.g. {@code layer2}) after whose last block a non-local block is
     * inserted (Wang et al. 2018); empty for none. See {@link NonLocalInsertion}.
     */
    public List<String> nonLocal() {
        return nonLocal;
    }

    /** How a recurrent model reads out its steps (last or mean), for models that have steps. */
    public Optional<TemporalReadout.Mode> readout() {
        return Optional.ofNullable(readout);
    }

    /** True once frames and size are known. */
    public boolean isComplete() {
        return frames != null && size != null;
    }

    /** The clip a model built from this config takes: C×T×H×W, without the batch axis. */
    public Shape inputShape() {
        return new Shape(channels, frames(), size(), size());
    }

    /** This config with frames, size and backbone taken from {@code defaults} where unset here. */
    public ModelConfig withDefaults(ModelConfig defaults) {
        Builder b = toBuilder();
        b.frames = frames != null ? frames : defaults.frames;
        b.size = size != null ? size : defaults.size;
        b.backbone = backbone != null ? backbone : defaults.backbone;
        b.readout = readout != null ? readout : defaults.readout;
        return b.build();
    }

    private static int require(Integer value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " is not set; ModelRegistry.create fills in the model's default");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ModelConfig[classes " + numClasses + ", input " + channels + "x" + (frames == null ? "?" : frames) + "x"
                + (size == null ? "?" : size) + "x" + (size == null ? "?" : size)
                + (backbone == null ? "" : ", backbone " + backbone)
                + (nonLocal.isEmpty() ? "" : ", non-local after " + String.join(",", nonLocal))
                + (readout == null ? "" : ", readout " + readout.cliName()) + ", " + layers + "]";
    }

    /** Builder: {@code setNumClasses} is required. */
    public static final class Builder {
        private int numClasses;
        private Integer frames;
        private Integer size;
        private int channels = 3;
        private String backbone;
        private LayerFactory layers = LayerFactory.defaults();
        private List<String> nonLocal = List.of();
        private TemporalReadout.Mode readout;

        private Builder() {}

        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public Builder optFrames(int frames) {
            this.frames = frames;
            return this;
        }

        public Builder optSize(int size) {
            this.size = size;
            return this;
        }

        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** A backbone name ({@code small}, {@code resnet18}), for the models built on a 2D backbone. */
        public Builder optBackbone(String backbone) {
            this.backbone = backbone;
            return this;
        }

        public Builder optLayers(LayerFactory layers) {
            this.layers = Objects.requireNonNull(layers, "layers");
            return this;
        }

        /** Non-local blocks after these stages, e.g. {@code List.of("layer2", "layer3")}. */
        public Builder optNonLocal(List<String> stages) {
            this.nonLocal = List.copyOf(stages);
            return this;
        }

        /** The readout of a recurrent model. */
        public Builder optReadout(TemporalReadout.Mode readout) {
            this.readout = readout;
            return this;
        }

        public ModelConfig build() {
            check(numClasses >= 1, "numClasses must be set and >= 1, got " + numClasses);
            check(frames == null || frames >= 1, "frames must be >= 1, got " + frames);
            check(size == null || size >= 1, "size must be >= 1, got " + size);
            check(channels >= 1, "channels must be >= 1, got " + channels);
            return new ModelConfig(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
