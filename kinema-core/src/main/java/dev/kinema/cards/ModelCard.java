package dev.kinema.cards;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a model's weights expect and what they are, like timm's {@code PretrainedCfg} and
 * torchvision's {@code Weights} metadata: the input spec (modality, channels, frames, stride or fps,
 * crop size, resize, crop, mean and std), the categories, where the weights come from and how
 * their names map, and the model's size. Saved as {@code card.json} in a run directory; evaluation
 * and classification make clips as the card says, so imported weights are scored with the
 * preprocessing they were trained with.
 *
 * @param name the model's name: a registry name, or a free name for a TorchScript model
 * @param input how clips are made for the model
 * @param categories class names in label order, or empty when unnamed
 * @param weights where the weights come from
 * @param params trainable parameters, or null when unknown
 * @param macs multiply-adds per clip, or null when unknown
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelCard(String name, Input input, List<String> categories, Weights weights, Long params, Long macs) {
    public static final String FILE = "card.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelCard {
        Objects.requireNonNull(name, "a card needs a name");
        Objects.requireNonNull(input, "a card needs an input spec");
        categories = categories == null ? List.of() : List.copyOf(categories);
        weights = weights == null ? Weights.KINEMA : weights;
    }

    /**
     * The input spec. {@code resize} is one number, the short side frames are decoded to (the
     * aspect ratio kept), or two, the height and width they are resized to (torchvision's video
     * preset: 128×171); then the centre {@code size}×{@code size} is cropped. {@code mean} and
     * {@code std} are per RGB channel on the [0, 1] scale; flow input is not normalised.
     *
     * @param modality what a clip holds: {@code rgb}, {@code flow} or {@code rgb+flow}; this
     *     decides the channels, nothing else does
     * @param channels channels of a clip, {@code modality}'s
     * @param frames frames per clip (flow: fields per stack)
     * @param stride source frames between clip frames, or null when {@code fps} is set
     * @param fps the rate videos are resampled to, or null when {@code stride} is set
     * @param size the crop's side in pixels
     * @param resize the short side, or height and width, frames are resized to before cropping
     * @param crop where the crop is taken at inference: {@code center}
     * @param mean per-channel mean (R, G, B)
     * @param std per-channel standard deviation (R, G, B)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Input(Modality modality, Integer channels, int frames, Integer stride, Double fps, int size,
            List<Integer> resize, String crop, List<Float> mean, List<Float> std) {

        public Input {
            Objects.requireNonNull(modality, "an input spec needs a modality (rgb, flow or rgb+flow)");
            if (channels == null) {
                channels = modality.channels();
            } else if (channels != modality.channels()) {
                throw new IllegalArgumentException(modality + " clips have " + modality.channels()
                        + " channels, the card says " + channels);
            }
            crop = crop == null ? "center" : crop.toLowerCase(Locale.ROOT);
            if (!crop.equals("center")) {
                throw new IllegalArgumentException("unknown crop '" + crop + "'; known: center");
            }
            if (resize == null || resize.isEmpty() || resize.size() > 2) {
                throw new IllegalArgumentException("resize must be [short side] or [height, width], got " + resize);
            }
            resize = List.copyOf(resize);
            mean = mean == null ? null : List.copyOf(mean);
            std = std == null ? null : List.copyOf(std);
            if (modality.needsFrames() && (mean == null || std == null)) {
                throw new IllegalArgumentException("frames need a mean and a std (R, G, B)");
            }
            // Validates frames, stride/fps, sizes and the statistics.
            modelInput(modality, frames, stride, fps, size, resize, mean, std);
        }

        /** An input spec with the statistics of {@code normalization} and a short-side resize. */
        public static Input of(ModelInput input) {
            Normalization n = input.normalization();
            List<Integer> resize = input.resizeWidth() == null ? List.of(input.resize())
                    : List.of(input.resize(), input.resizeWidth());
            return new Input(input.modality(), input.modality().channels(), input.frames(), input.frameStride(),
                    input.targetFps(), input.size(), resize, "center", floats(n.mean()), floats(n.std()));
        }

        /** How clips are made for this spec. */
        public ModelInput toModelInput() {
            return modelInput(modality, frames, stride, fps, size, resize, mean, std);
        }

        private static ModelInput modelInput(Modality modality, int frames, Integer stride, Double fps, int size,
                List<Integer> resize, List<Float> mean, List<Float> std) {
            Normalization n = mean == null ? Normalization.KINETICS : Normalization.of(toArray(mean), toArray(std));
            return new ModelInput(frames, stride, fps, size, resize.get(0), modality, n,
                    resize.size() == 2 ? resize.get(1) : null);
        }
    }

    /**
     * Where a card's weights come from.
     *
     * @param source {@code kinema} (trained by Kinema), {@code safetensors} (imported into a
     *     registry model) or {@code torchscript} (a TorchScript file run as it is)
     * @param file the weights file: for a run directory's TorchScript model, its name in the run
     * @param mapping the {@code NameMapping} that renamed the file's tensors, or null
     * @param origin free text: who made the weights, how, from what
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Weights(String source, String file, String mapping, String origin) {
        public static final String KINEMA_SOURCE = "kinema";
        public static final String SAFETENSORS = "safetensors";
        public static final String TORCHSCRIPT = "torchscript";
        static final Weights KINEMA = new Weights(KINEMA_SOURCE, null, null, null);

        public Weights {
            source = source == null ? KINEMA_SOURCE : source.toLowerCase(Locale.ROOT);
            if (!List.of(KINEMA_SOURCE, SAFETENSORS, TORCHSCRIPT).contains(source)) {
                throw new IllegalArgumentException("unknown weights source '" + source
                        + "'; known: kinema, safetensors, torchscript");
            }
            if (source.equals(TORCHSCRIPT) && (file == null || file.isBlank())) {
                throw new IllegalArgumentException("a TorchScript card needs weights.file");
            }
        }

        @JsonIgnore
        public boolean isTorchScript() {
            return source.equals(TORCHSCRIPT);
        }
    }

    /** This card with other categories. */
    public ModelCard withCategories(List<String> categories) {
        return new ModelCard(name, input, categories, weights, params, macs);
    }

    /** This card with another input spec. */
    public ModelCard withInput(Input input) {
        return new ModelCard(name, input, categories, weights, params, macs);
    }

    /** This card with other weights and size. */
    public ModelCard withWeights(Weights weights, Long params, Long macs) {
        return new ModelCard(name, input, categories, weights, params, macs);
    }

    /** Writes the card as pretty JSON, atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, this));
    }

    /**
     * Reads a card.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static ModelCard read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such model card");
        }
        try {
            ModelCard card = JSON.readValue(file.toFile(), ModelCard.class);
            if (card == null) {
                throw new IOException("empty");
            }
            return card;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + ": not a valid model card: " + firstLine(e), e);
        }
    }

    /** The first line of the innermost argument error (what was wrong), else of {@code e}. */
    private static String firstLine(Exception e) {
        Throwable reason = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof NullPointerException) {
                reason = t;
            }
        }
        String m = String.valueOf(reason.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static List<Float> floats(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
