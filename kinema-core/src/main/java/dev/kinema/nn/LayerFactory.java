package dev.kinema.nn;

import dev.kinema.engine.EngineGuard;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The injectable pieces every model is built from: how to make a convolution, a normalisation and
 * an activation (PyTorchVideo's {@code create_*} arguments). Models ask this factory for their
 * layers and never construct them directly, so swapping BatchNorm for another norm, removing it, or
 * using GELU changes every model at once.
 *
 * <pre>{@code
 * LayerFactory plain = LayerFactory.builder().optNoNorm().build();                 // C3D as published
 * LayerFactory gelu = LayerFactory.builder().optActivation("GELU", Activation::gelu).build();
 * }</pre>
 *
 * <p>Defaults: DJL {@code Conv2d}, {@link GuardedConv3d} (DJL's {@code Conv3d}), {@code BatchNorm},
 * ReLU. A convolution has a bias only when no normalisation follows it (a norm's shift makes the
 * bias redundant).
 */
public final class LayerFactory {
    /** Makes a convolution block from its spec. */
    @FunctionalInterface
    public interface ConvFactory {
        Block create(ConvSpec spec);
    }

    /** Makes a normalisation block for {@code channels} channels of a {@code dims}-D feature map. */
    @FunctionalInterface
    public interface NormFactory {
        Block create(long channels, int dims);
    }

    private static final LayerFactory DEFAULTS = builder().build();

    private final ConvFactory conv;
    private final NormFactory norm;
    private final String activationName;
    private final UnaryOperator<NDArray> activation;

    private LayerFactory(Builder b) {
        this.conv = b.conv;
        this.norm = b.norm;
        this.activationName = b.activationName;
        this.activation = b.activation;
    }

    /** Conv + BatchNorm + ReLU. */
    public static LayerFactory defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default convolution for {@code spec}: DJL's {@code Conv2d}, or in 3D a
     * {@link GuardedConv3d}, DJL's {@code Conv3d} kept away from a oneDNN weight-gradient bug on
     * short clips.
     */
    public static Block djlConv(ConvSpec spec) {
        EngineGuard.ensureApplied();   // a convolution exists: choose its kernels before it can run
        if (spec.dims() == 2) {
            return Conv2d.builder().setFilters(Math.toIntExact(spec.outChannels())).setKernelShape(spec.kernel())
                    .optStride(spec.stride()).optPadding(spec.padding()).optBias(spec.bias()).build();
        }
        return GuardedConv3d.of(spec);
    }

    /** True when convolutions are followed by a normalisation. */
    public boolean hasNorm() {
        return norm != null;
    }

    /** A bare convolution; it gets a bias unless this factory normalises. */
    public Block conv(ConvSpec spec) {
        return conv.create(spec.bias(norm == null));
    }

    /** The normalisation for {@code channels} channels, if this factory normalises. */
    public Optional<Block> norm(long channels, int dims) {
        return norm == null ? Optional.empty() : Optional.of(norm.create(channels, dims));
    }

    /** A new activation block. */
    public Block activation() {
        return new Elementwise(activationName, activation);
    }

    /** Convolution, normalisation, activation: one layer-table row, labelled by its convolution. */
    public NamedSequential convNormAct(ConvSpec spec) {
        return convNorm(spec).add("act", activation());
    }

    /** Convolution and normalisation without activation (the end of a residual branch, a projection). */
    public NamedSequential convNorm(ConvSpec spec) {
        NamedSequential unit = NamedSequential.unit().add("conv", conv(spec));
        norm(spec.outChannels(), spec.dims()).ifPresent(n -> unit.add("norm", n));
        return unit;
    }

    @Override
    public String toString() {
        return "LayerFactory[norm " + (norm == null ? "none" : "yes") + ", activation " + activationName + "]";
    }

    /** Builder; every piece defaults to the standard one. */
    public static final class Builder {
        private ConvFactory conv = LayerFactory::djlConv;
        private NormFactory norm = (channels, dims) -> BatchNorm.builder().build();
        private String activationName = "ReLU";
        private UnaryOperator<NDArray> activation = Activation::relu;

        private Builder() {}

        public Builder optConv(ConvFactory convFactory) {
            this.conv = Objects.requireNonNull(convFactory, "convFactory");
            return this;
        }

        public Builder optNorm(NormFactory normFactory) {
            this.norm = Objects.requireNonNull(normFactory, "normFactory");
            return this;
        }

        /** No normalisation; convolutions get biases. */
        public Builder optNoNorm() {
            this.norm = null;
            return this;
        }

        /** An element-wise activation, e.g. {@code optActivation("GELU", Activation::gelu)}. */
        public Builder optActivation(String name, UnaryOperator<NDArray> function) {
            this.activationName = Objects.requireNonNull(name, "name");
            this.activation = Objects.requireNonNull(function, "function");
            return this;
        }

        public LayerFactory build() {
            return new LayerFactory(this);
        }
    }
}
