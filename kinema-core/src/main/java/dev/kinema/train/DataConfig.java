package dev.kinema.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.DatasetOptions;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.flow.FlowCache;
import dev.kinema.flow.FlowMethod;
import dev.kinema.flow.FlowSettings;
import dev.kinema.flow.FlowSource;
import dev.kinema.flow.FlowSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The data part of a {@link TrainConfig}: where the videos are, how clips are cut from them and
 * batched, and where flow comes from (the {@code data} object of {@code config.json}). Like
 * MMAction2's {@code train_dataloader}/{@code val_dataloader} and PyTorchVideo's data module, the
 * batch size, the validation clips and the decoding threads belong here.
 *
 * @param root the dataset root
 * @param annotations an annotation file or folder (any layout {@code DatasetFormats} reads), or null
 * @param trainSplit the split trained on
 * @param valSplit the split validated on each epoch (skipped when the dataset has no such split)
 * @param frames frames per clip (for flow input the stack length L)
 * @param stride source frames between clip frames, or null when {@code fps} is set
 * @param fps the rate videos are resampled to, or null when {@code stride} is set
 * @param size crop side in pixels
 * @param resize short side frames are decoded to
 * @param flip random horizontal flips in training; off when left and right are different classes
 * @param batch clips per update (and per validation chunk)
 * @param valClips uniformly spaced clips per validation video
 * @param workers decoding threads (does not change the results)
 * @param modality what the model takes: frames ({@code RGB}), flow stacks ({@code FLOW}) or both
 *     ({@code RGB_FLOW}); RGB when absent
 * @param flowDir the flow cache {@code kinema flow} wrote, or null to compute flow on the fly
 * @param flowMethod the flow algorithm ({@code tvl1}, {@code farneback}, {@code dis}) for flow
 *     computed on the fly, or null
 * @param flowSize the short side flow is computed at on the fly, or null for the decode size
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DataConfig(@JsonSerialize(using = PathAsText.Writer.class) @JsonDeserialize(using = PathAsText.Reader.class) Path root,
        @JsonSerialize(using = PathAsText.Writer.class) @JsonDeserialize(using = PathAsText.Reader.class) Path annotations,
        String trainSplit, String valSplit, int frames, Integer stride, Double fps, int size, int resize, boolean flip,
        int batch, int valClips, int workers, Modality modality,
        @JsonSerialize(using = PathAsText.Writer.class) @JsonDeserialize(using = PathAsText.Reader.class) Path flowDir,
        String flowMethod, Integer flowSize) {

    public DataConfig {
        Objects.requireNonNull(root, "data root");
        Objects.requireNonNull(trainSplit, "trainSplit");
        Objects.requireNonNull(valSplit, "valSplit");
        if (modality == null) {
            modality = Modality.RGB;
        }
        if (batch < 1 || valClips < 1 || workers < 1) {
            throw new IllegalArgumentException("batch, validation clips and workers must be at least 1, got batch "
                    + batch + ", validation clips " + valClips + ", workers " + workers);
        }
        // Validates frames, stride/fps and sizes.
        new ModelInput(frames, stride, fps, size, resize);
    }

    /**
     * Reads the dataset at {@code root} with its annotations, in the layout found there.
     *
     * @throws IOException naming the root or annotation file when it is missing or no layout fits
     */
    public VideoDataset open() throws IOException {
        return open(false);
    }

    /**
     * The dataset; with {@code strict}, the first annotation problem (a malformed line, a missing
     * file, an empty class folder) is an error instead of a skipped sample in the dataset's report.
     */
    public VideoDataset open(boolean strict) throws IOException {
        return DatasetFormats.open(root, Optional.ofNullable(annotations), DatasetOptions.builder().optStrict(strict).build());
    }

    /** How this run's clips are made. */
    public ModelInput input() {
        return new ModelInput(frames, stride, fps, size, resize, modality);
    }

    /**
     * Where the model gets optical flow, or null when it takes none: the flow trained on (its cache,
     * or its method and size computed on the fly), unless overridden. Given overrides (any may be
     * null) win as a whole: a cache alone, or a method with or without a cache. A cache alone is
     * checked against what it holds when it is read.
     *
     * @param model the model's name, for the message when no source is known
     * @throws IllegalArgumentException when the model takes flow and neither names a source
     */
    FlowSource flowSource(String model, Path overrideDir, String overrideMethod, Integer overrideSize)
            throws IOException {
        if (!modality.needsFlow()) {
            return null;
        }
        Path dir = overrideDir;
        String method = overrideMethod;
        Integer sizeOfFlow = overrideSize;
        if (dir == null && method == null) {
            dir = flowDir;
            method = flowMethod;
            sizeOfFlow = flowSize;
        }
        if (dir != null && method == null) {
            return FlowCache.open(dir);
        }
        if (method == null) {
            throw new IllegalArgumentException(model + " takes optical flow: give --flow-dir FLOW_DIR (a cache "
                    + "written by kinema flow) or --flow-method tvl1|farneback|dis to compute it on the fly");
        }
        return FlowSources.of(FlowSettings.of(FlowMethod.parse(method), sizeOfFlow != null ? sizeOfFlow : resize), dir);
    }

    /**
     * A path in JSON as the text the user gave ({@code runs/a}), not Jackson's default
     * {@code file:///...} URI, which would make a relative path absolute and differ from old runs.
     */
    static final class PathAsText {
        private PathAsText() {}

        static final class Writer extends JsonSerializer<Path> {
            @Override
            public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        }

        static final class Reader extends JsonDeserializer<Path> {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return Path.of(p.getValueAsString());
            }
        }
    }
}
