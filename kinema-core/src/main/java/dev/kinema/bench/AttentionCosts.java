package dev.kinema.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.transformer.TransformerSpec;
import dev.kinema.models.transformer.VideoTransformers;
import dev.kinema.nn.SpaceTimeAttention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lecture's comparison of space-time attentions on the same tokens: ViT-B (width 768, 12
 * blocks of 12 heads) over 16×16 patches of every frame with a class token, as TimeSformer-B,
 * with joint, divided, factorised-encoder (4 temporal blocks) and factorised dot-product
 * attention. For each: the tokens, the attention-matrix entries of the whole model, their MACs,
 * the whole model's MACs, and, when measured, the resident memory one forward pass adds at batch 1.
 */
public final class AttentionCosts {
    /** The attentions compared, in the lecture's order. */
    public static final List<SpaceTimeAttention> COMPARED = List.of(SpaceTimeAttention.JOINT, SpaceTimeAttention.DIVIDED,
            SpaceTimeAttention.FACTORISED_SELF_ATTENTION, SpaceTimeAttention.FACTORISED_DOT_PRODUCT);

    private AttentionCosts() {}

    /**
     * One attention's costs for one clip; {@code peakBytes} is -1 when not measured.
     *
     * @param tokens patch tokens plus the class token
     */
    public record Row(String attention, long tokens, long entries, long attentionMacs, long modelMacs, long peakBytes) {}

    /** The spec compared for {@code attention}; factorised encoder stands where {@link SpaceTimeAttention#FACTORISED_SELF_ATTENTION} is listed. */
    public static TransformerSpec spec(SpaceTimeAttention attention) {
        return switch (attention) {
            case JOINT, DIVIDED -> VideoTransformers.timesformer(attention, true);
            case FACTORISED_SELF_ATTENTION -> VideoTransformers.vivitFactorisedEncoder(true).withTubelet(1);
            case FACTORISED_DOT_PRODUCT -> VideoTransformers.vivit(attention, true).withTubelet(1);
            case SPACE -> VideoTransformers.timesformer(attention, true);
        };
    }

    /** The name a row is printed under. */
    public static String label(SpaceTimeAttention attention) {
        return switch (attention) {
            case JOINT -> "joint";
            case DIVIDED -> "divided";
            case FACTORISED_SELF_ATTENTION -> "factorised encoder";
            case FACTORISED_DOT_PRODUCT -> "factorised dot-product";
            case SPACE -> "space only";
        };
    }

    /** The table for clips C×T×H×W and 400 classes; with {@code measure}, one forward pass of each is run. */
    public static List<Row> table(Shape clip, boolean measure) {
        List<Row> rows = new ArrayList<>();
        for (SpaceTimeAttention a : COMPARED) {
            TransformerSpec spec = spec(a);
            ModelConfig config = ModelConfig.builder().setNumClasses(400).optChannels((int) clip.get(0))
                    .optFrames((int) clip.get(1)).optSize((int) clip.get(2)).build();
            VideoModel model = VideoTransformers.build(label(a), spec, config);
            long t = clip.get(1) / spec.tubelet();
            long s = (clip.get(2) / spec.patch()) * (clip.get(3) / spec.patch());
            long entries = spec.attentionEntries(t, s);
            long macs = model.macs(clip);
            rows.add(new Row(label(a), t * s + 1, entries, 2 * entries * (spec.dim() / spec.heads()), macs,
                    measure ? peakForwardBytes(model, clip) : -1));
        }
        return rows;
    }

    /**
     * The resident memory one eval forward pass of {@code model} on one clip adds, weights
     * excluded: Linux's peak resident set (VmHWM, reset through {@code /proc/self/clear_refs})
     * during the pass minus the resident set before it. -1 where /proc cannot tell. The C allocator
     * keeps freed memory resident unless large blocks are mapped apart
     * ({@code MALLOC_MMAP_THRESHOLD_=131072}), so without that a later pass that fits in what an
     * earlier one freed reads low.
     */
    static long peakForwardBytes(VideoModel model, Shape clip) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            Shape input = new Shape(1).addAll(clip);
            model.initialize(manager, DataType.FLOAT32, input);
            var x = manager.randomUniform(0f, 1f, input);
            if (!resetPeak()) {
                return -1;
            }
            long before = status("VmRSS:");
            try (NDManager step = manager.newSubManager()) {
                x.attach(step);
                model.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            }
            long peak = status("VmHWM:");
            return before < 0 || peak < 0 ? -1 : Math.max(0, peak - before);
        }
    }

    private static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** A /proc/self/status field in bytes, -1 if absent. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
