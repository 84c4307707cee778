package dev.kinema.models.videomae;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.TokenPool;
import ai.djl.nn.Block;
import dev.kinema.weights.LoadReport;
import dev.kinema.weights.ParameterNames;
import dev.kinema.weights.WeightLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builders of VideoMAE (Tong et al. 2022): the fine-tuning classifier, a {@link VideoModel} like
 * every other, and the pretraining network ({@link VideoMaePretraining}) of the same encoder.
 *
 * <p>The classifier is VideoMAE's {@code VisionTransformer}: the encoder without a final norm, the
 * mean of its tokens through {@code fc_norm} and a linear {@code head} (the class-token variant:
 * {@code cls_token}, a final {@code norm}, the first token, {@code head}). At ViT-B, 16×224×224 and
 * 400 classes it has 86,534,800 parameters, as the reference.
 */
public final class VideoMaes {
    /** The registry's VideoMAE models and their sizes. */
    static final Map<String, VideoMaeSpec> SPECS = Map.of(
            "videomae", VideoMaeSpec.base(),
            "videomae-small", VideoMaeSpec.small());

    private VideoMaes() {}

    /**
     * The spec of a registered VideoMAE model.
     *
     * @throws IllegalArgumentException for another name, listing the VideoMAE models
     */
    public static VideoMaeSpec spec(String name) {
        VideoMaeSpec spec = SPECS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("'" + name + "' is not a VideoMAE model; pretraining takes one of "
                    + SPECS.keySet().stream().sorted().toList());
        }
        return spec;
    }

    /** The fine-tuning classifier of {@code spec} for {@code config}'s clip and classes, named {@code name}. */
    public static VideoModel classifier(String name, VideoMaeSpec spec, ModelConfig c) {
        VideoMaeEncoder encoder = new VideoMaeEncoder(spec, c.channels(), spec.classToken(), spec.classToken(), 0);
        encoder.patchEmbedding().grid(c.frames(), c.size(), c.size());
        NamedSequential head = NamedSequential.layers();
        if (spec.classToken()) {
            head.add("pool", TokenPool.classToken());
        } else {
            head.add("pool", TokenPool.mean()).add("fc_norm", FeatureLayerNorm.vit(spec.dim()));
        }
        head.add("head", new LinearClassifier(c.numClasses()));
        return new VideoModel(name, c, encoder, head);
    }

    /**
     * Starts a VideoMAE classifier from a pretrained encoder ({@code kinema pretrain}'s
     * {@code encoder.safetensors}, or a reference VideoMAE checkpoint's {@code encoder.*} with the
     * prefix stripped), by name and with a strict check: every encoder parameter of the model must
     * get a tensor of its shape, and the file may hold nothing else but the encoder's final
     * {@code norm}, which a mean-pooling classifier has no place for (it pools, then normalises with
     * its new {@code fc_norm}, as the reference fine-tunes). The head and {@code fc_norm} (or a class
     * token) stay as initialised: they are new.
     *
     * @throws IllegalArgumentException naming the file and what does not fit, or when the model is
     *     not a VideoMAE
     * @return how many tensors were loaded
     */
    public static int initFromEncoder(Block model, Path file) throws IOException {
        if (!(model instanceof VideoModel vm) || !(vm.features() instanceof VideoMaeEncoder encoder)) {
            throw new IllegalArgumentException(file + ": --init takes a pretrained VideoMAE encoder, for a VideoMAE"
                    + " model (videomae, videomae-small); " + (model instanceof VideoModel v ? v.name() : model)
                    + " is not one");
        }
        LoadReport report = WeightLoader.builder().optLenient(true).build().load(encoder, file);
        boolean hasNorm = ParameterNames.of(encoder).containsKey("norm.weight");
        List<String> unexpected = report.unexpected().stream()
                .filter(n -> hasNorm || !(n.equals("norm.weight") || n.equals("norm.bias"))).toList();
        List<String> missing = report.missing().stream().filter(n -> !n.equals("cls_token")).toList();
        if (!missing.isEmpty() || !unexpected.isEmpty() || !report.mismatched().isEmpty()) {
            throw new IllegalArgumentException(file + " is not an encoder of " + vm.name() + ": missing " + missing
                    + ", unexpected " + unexpected + ", mis-shaped " + report.mismatched()
                    + " (is it the encoder of a pretraining run of the same model?)");
        }
        return report.loaded().size();
    }

    /**
     * The pretraining network of the registered VideoMAE model {@code name}, masking
     * {@code maskRatio} of each clip's tokens ({@link TubeMask#DEFAULT_RATIO} by default).
     */
    public static VideoMaePretraining pretraining(String name, int channels, double maskRatio) {
        return new VideoMaePretraining(name, spec(name), channels, maskRatio);
    }
}
