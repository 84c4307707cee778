package dev.kinema.cards;

import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.util.List;
import java.util.Set;

/**
 * The cards Kinema knows: every registry model's default card (how Kinema trains it: Kinetics
 * statistics, short side 8/7 of the crop) and the card of torchvision's Kinetics-400 video weights.
 */
public final class ModelCards {
    /**
     * torchvision's video mean and std ({@code torchvision.transforms._presets.VideoClassification}),
     * which its Kinetics-400 video weights were trained with.
     */
    public static final Normalization TORCHVISION_VIDEO = Normalization.of(
            new float[] {0.43216f, 0.394666f, 0.37645f}, new float[] {0.22803f, 0.22145f, 0.216989f});

    /** Registry models whose reference weights are torchvision's Kinetics-400 video weights. */
    private static final Set<String> TORCHVISION_VIDEO_MODELS = Set.of("r3d_18", "mc3_18", "r2plus1d_18");

    /** The classes torchvision's video weights predict. */
    private static final int KINETICS_400_CLASSES = 400;

    private ModelCards() {}

    /**
     * What a model takes: the one place that decides it. A registry model's default card says;
     * a name outside the registry takes frames.
     */
    public static Modality modalityOf(String model) {
        return ModelRegistry.listModels().contains(model) ? defaultCard(model).input().modality() : Modality.RGB;
    }

    /** A registry model's card as Kinema trains it: its default frames and size, stride 4. */
    public static ModelCard defaultCard(String model) {
        ModelConfig defaults = ModelRegistry.info(model).defaults();
        // The registry's configs give channels only; which modality has them is decided here, once.
        Modality modality = Modality.ofChannels(defaults.channels());
        ModelInput input = new ModelInput(defaults.frames(), modality.needsFlow() ? 1 : 4, null, defaults.size(),
                ModelInput.defaultResize(defaults.size()), modality);
        return kinema(model, input, List.of());
    }

    /**
     * The card of a model Kinema trains (or trained) with clips made by {@code input}, with its
     * parameters and multiply-adds per clip for {@code categories} classes (the registry's default
     * number when empty) at {@code input}'s clip size.
     */
    public static ModelCard kinema(String model, ModelInput input, List<String> categories) {
        ModelCard card = new ModelCard(model, ModelCard.Input.of(input), categories, null, null, null);
        if (!ModelRegistry.listModels().contains(model)) {
            return card;
        }
        ModelConfig.Builder config = ModelConfig.builder().optFrames(input.frames()).optSize(input.size())
                .setNumClasses(categories.isEmpty() ? ModelRegistry.info(model).defaults().numClasses() : categories.size());
        try {
            return withSizeOf(card, ModelRegistry.create(model, config.build()));
        } catch (IllegalArgumentException e) {
            // A clip too small for the network: training says so with its own error; the card stays unsized.
            return card;
        }
    }

    /**
     * {@code card} with {@code model}'s trainable parameters (as PyTorch counts them) and
     * multiply-adds per clip of the size it was built for, counted by the profiler: nothing runs.
     */
    public static ModelCard withSizeOf(ModelCard card, VideoModel model) {
        return card.withWeights(card.weights(), model.parameterCount(), model.macs());
    }

    /**
     * torchvision's Kinetics-400 video weights: 16 consecutive frames at 15 frames/s (their
     * documented evaluation, {@code frame_rate=15, clip_len=16}) and the video classification
     * preset ({@code R3D_18_Weights.KINETICS400_V1.transforms()}): resize to 128×171, centre crop
     * 112, torchvision's video mean and std.
     */
    public static ModelCard torchvision(String model) {
        ModelInput input = new ModelInput(16, null, 15.0, 112, 128, Modality.RGB, TORCHVISION_VIDEO, 171);
        ModelCard card = new ModelCard(model, ModelCard.Input.of(input), List.of(),
                new ModelCard.Weights(ModelCard.Weights.SAFETENSORS, null, "torchvision",
                        "torchvision.models.video " + model + " KINETICS400_V1"), null, null);
        return withSizeOf(card, ModelRegistry.create(model, ModelConfig.of(KINETICS_400_CLASSES, 16, 112)));
    }

    /**
     * The card for safetensors weights imported into {@code model} with {@code mapping}:
     * torchvision's preset for torchvision's video ResNets under the torchvision mapping (their
     * weights are torchvision's), else the model's default card.
     */
    public static ModelCard forImport(String model, String mapping) {
        if (TORCHVISION_VIDEO_MODELS.contains(model) && "torchvision".equals(mapping)) {
            return torchvision(model);
        }
        ModelCard card = defaultCard(model);
        return card.withWeights(new ModelCard.Weights(ModelCard.Weights.SAFETENSORS, null, mapping, null), card.params(),
                card.macs());
    }
}
