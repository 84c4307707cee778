package dev.kinema.adamml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * AdaMML (Panda et al. 2021, "AdaMML: Adaptive Multi-Modal Learning for Efficient Video
 * Recognition"), small: per segment of a video, a light policy network decides which modalities
 * (RGB, flow, audio) to compute, and the recognition nets of the chosen ones classify it.
 *
 * <p><b>The policy</b> is an MLP (the paper uses an LSTM over MobileNet features; an MLP keeps the
 * decisions per segment independent and cheap) over cheap features of the segment: its RGB frame
 * average-pooled to a 3×8×8 thumbnail and the mean of each of its 64 mel bands. It gives a pair of
 * logits (skip, use) per modality. Training samples the decisions with a straight-through
 * {@link GumbelSoftmax}; testing takes the more likely choice.
 *
 * <p><b>The prediction</b> is late fusion over what was computed: the softmax of every chosen
 * (segment, modality) averaged, {@code Σ d·p / Σ d}; with every decision on it is the plain
 * average of all modalities' and segments' probabilities, as {@code av-late} and {@code two-stream}
 * fuse. <b>The compute</b> of a video is {@code Σ d·MACs(m) / (segments · Σ MACs(m))}, the fraction
 * of the all-modalities cost its decisions spend (the policy's own cost is paid always and counted
 * apart, {@link #policyMacs}).
 */
public final class AdaMmlNetwork extends AbstractBlock {
    /** What decides the modalities: the sampled policy (training), its most likely choice (testing) or all of them. */
    public enum Decisions { SAMPLED, GREEDY, ALL }

    /**
     * One forward pass: the fused class probabilities (N×K), the decisions (N×S×M, 1 = computed),
     * each video's compute fraction (N) and each chosen net's probabilities (N×S×M×K).
     */
    public record Output(NDArray probabilities, NDArray decisions, NDArray compute, NDArray perModality) {}

    private static final float TINY = 1e-6f;

    private final AdaMmlConfig config;
    private final Map<SegmentModality, Block> nets = new EnumMap<>(SegmentModality.class);
    private final Block policy;

    public AdaMmlNetwork(AdaMmlConfig config) {
        this.config = config;
        for (SegmentModality m : SegmentModality.values()) {
            nets.put(m, addChildBlock(m.key(), recogniser(config.width(m), config.classes())));
        }
        policy = addChildBlock("policy", new SequentialBlock()
                .add(Linear.builder().setUnits(config.policyHidden()).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(2L * SegmentModality.values().length).build()));
    }

    private static Block recogniser(int width, int classes) {
        return new SequentialBlock()
                .add(conv(width)).add(Activation::relu)
                .add(conv(2 * width)).add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1))
                .setFilters(filters).build();
    }

    public AdaMmlConfig config() {
        return config;
    }

    /** Multiply-adds of {@code m}'s recognition net on one segment: two stride-2 3×3 convs and the classifier. */
    public long macs(SegmentModality m) {
        int[] plane = config.plane(m);
        long h1 = (plane[0] + 1) / 2;
        long w1 = (plane[1] + 1) / 2;
        long h2 = (h1 + 1) / 2;
        long w2 = (w1 + 1) / 2;
        long width = config.width(m);
        return h1 * w1 * width * config.channels(m) * 9 + h2 * w2 * 2 * width * width * 9 + 2 * width * config.classes();
    }

    /** Multiply-adds of the policy on one segment (its two linear layers). */
    public long policyMacs() {
        return (long) config.policyFeatures() * config.policyHidden() + 2L * config.policyHidden() * SegmentModality.values().length;
    }

    /** Multiply-adds of every modality on every segment: the cost of always computing all. */
    public long allModalitiesMacs() {
        long sum = 0;
        for (SegmentModality m : SegmentModality.values()) {
            sum += macs(m);
        }
        return sum * config.segments();
    }

    /** The policy's logits for every segment, N×S×M×2 (skip, use), from the RGB and audio inputs. */
    public NDArray policyLogits(ParameterStore store, NDArray rgb, NDArray audio, boolean training) {
        long n = rgb.getShape().get(0);
        long s = rgb.getShape().get(1);
        int pool = config.size() / AdaMmlConfig.THUMBNAIL;
        NDArray frames = rgb.reshape(n * s, 3, config.size(), config.size());
        NDArray thumbnail = Pool.avgPool2d(frames, new Shape(pool, pool), new Shape(pool, pool), new Shape(0, 0), false, true)
                .reshape(n * s, -1);
        NDArray bands = audio.reshape(n * s, AdaMmlConfig.MELS, config.melFrames()).mean(new int[] {2});
        NDArray features = thumbnail.concat(bands, 1);
        return policy.forward(store, new NDList(features), training).singletonOrThrow()
                .reshape(n, s, SegmentModality.values().length, 2);
    }

    /** {@code m}'s class logits on {@code input} (N×S×C×H×W), N×S×K. */
    public NDArray logits(ParameterStore store, SegmentModality m, NDArray input, boolean training) {
        Shape shape = input.getShape();
        NDArray flat = input.reshape(new Shape(shape.get(0) * shape.get(1)).addAll(shape.slice(2)));
        return nets.get(m).forward(store, new NDList(flat), training).singletonOrThrow()
                .reshape(shape.get(0), shape.get(1), config.classes());
    }

    /**
     * Every modality's net on every segment, the policy's decisions, and their fusion.
     *
     * @param inputs RGB, flow and audio, each N×S×C×H×W
     * @param temperature the Gumbel-softmax temperature (SAMPLED only)
     * @param rng the Gumbel noise's generator (SAMPLED only)
     */
    public Output forward(ParameterStore store, NDList inputs, Decisions decisions, float temperature,
            RandomGenerator rng, boolean training) {
        NDArray rgb = inputs.get(0);
        NDArray audio = inputs.get(2);
        NDList probs = new NDList();
        for (SegmentModality m : SegmentModality.values()) {
            probs.add(logits(store, m, inputs.get(m.ordinal()), training).softmax(-1).expandDims(2));
        }
        NDArray perModality = NDArrays.concat(probs, 2); // N x S x M x K
        NDArray use;
        if (decisions == Decisions.ALL) {
            use = rgb.getManager().ones(new Shape(rgb.getShape().get(0), config.segments(), SegmentModality.values().length));
        } else {
            NDArray logits = policyLogits(store, rgb, audio, training);
            NDArray choice = decisions == Decisions.SAMPLED
                    ? GumbelSoftmax.straightThrough(logits, GumbelSoftmax.noise(rgb.getManager(), logits.getShape(), rng), temperature)
                    : GumbelSoftmax.hard(logits);
            use = choice.get(new NDIndex(":, :, :, 1"));
        }
        return fuse(perModality, use);
    }

    /** The greedy decisions of {@code policyLogits} (1×S×M×2) as 0/1 per segment and modality, S·M values. */
    public static float[] decide(NDArray policyLogits) {
        return GumbelSoftmax.hard(policyLogits).get(new NDIndex(":, :, :, 1")).toFloatArray();
    }

    /** Late fusion of the chosen nets' probabilities and the compute the decisions spend. */
    Output fuse(NDArray perModality, NDArray use) {
        NDArray weighted = perModality.mul(use.expandDims(-1)).sum(new int[] {1, 2});
        NDArray chosen = use.sum(new int[] {1, 2});
        NDArray probabilities = weighted.div(chosen.add(TINY).expandDims(-1));
        float[] costs = new float[SegmentModality.values().length];
        for (SegmentModality m : SegmentModality.values()) {
            costs[m.ordinal()] = (float) ((double) macs(m) * config.segments() / allModalitiesMacs());
        }
        NDArray compute = Scalars.div(use.mul(use.getManager().create(costs)).sum(new int[] {1, 2}), config.segments());
        return new Output(probabilities, use, compute, perModality);
    }

    /**
     * The training loss: the negative log of the fused probability of each video's class, plus
     * {@code efficiency} times its compute fraction; averaged over the batch.
     */
    public static NDArray loss(Output out, NDArray labels, float efficiency) {
        int classes = Math.toIntExact(out.probabilities().getShape().get(1));
        NDArray picked = out.probabilities().mul(labels.oneHot(classes)).sum(new int[] {1});
        return picked.add(TINY).log().neg().mean().add(Scalars.mul(out.compute().mean(), efficiency));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Output out = forward(store, inputs, Decisions.GREEDY, 1, null, training);
        return new NDList(out.probabilities(), out.decisions(), out.compute());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (SegmentModality m : SegmentModality.values()) {
            Shape s = inputShapes[m.ordinal()];
            nets.get(m).initialize(manager, dataType, new Shape(s.get(0) * s.get(1)).addAll(s.slice(2)));
        }
        policy.initialize(manager, dataType, new Shape(inputShapes[0].get(0) * inputShapes[0].get(1), config.policyFeatures()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        int mods = SegmentModality.values().length;
        return new Shape[] {new Shape(n, config.classes()), new Shape(n, config.segments(), mods), new Shape(n)};
    }
}
