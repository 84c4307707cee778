package dev.kinema.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code RUN/metrics.jsonl}: what an epoch did, whatever the task. JSON keys in
 * snake_case, in this order: {@code epoch}, {@code lr}, {@code train_loss}, the task's training
 * metrics as {@code train_<name>} (classification: {@code train_top1}), {@code train_clips},
 * {@code clips_per_second}, {@code seconds}, then the validation metrics as {@code val_<name>}
 * (classification: {@code val_clip_top1}, {@code val_video_top1}, {@code val_video_top5},
 * {@code val_mean_class_accuracy}), left out when there was no validation split. These are the
 * keys and the order of the lines Kinema wrote before tasks existed. Last come the step's own speed:
 * {@code loader_wait_seconds} (how long the updates waited for the loader's next batch) and
 * {@code model_gflop_per_second} (left out when the model's size is unknown).
 *
 * @param epoch 1-based
 * @param lr the learning rate of the epoch's last update
 * @param trainLoss the task's loss averaged over the epoch's training clips (with label smoothing
 *     and mixed targets when they are on)
 * @param train the task's training metrics by name (with augmentation, in training mode)
 * @param trainClips training clips seen (videos that could not be read are skipped)
 * @param clipsPerSecond training clips per second, decoding and updating included
 * @param seconds the epoch's wall time, validation included
 * @param validation the task's validation metrics by name, empty without validation
 * @param loaderWaitSeconds the epoch's total time the training loop waited for the loader's next
 *     batch: near zero when the loader keeps up with the model
 * @param modelGflopPerSecond model FLOPs the updates achieved, {@link StepFlops#training} per clip
 *     over the time spent in updates (loader waits excluded); 0 when the model's size is unknown
 */
@JsonSerialize(using = EpochMetrics.Writer.class)
@JsonDeserialize(using = EpochMetrics.Reader.class)
public record EpochMetrics(int epoch, double lr, double trainLoss, Map<String, Double> train, int trainClips,
        double clipsPerSecond, double seconds, Map<String, Double> validation, double loaderWaitSeconds,
        double modelGflopPerSecond) {
    private static final String TRAIN = "train_";
    private static final String VAL = "val_";

    public EpochMetrics {
        train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
        validation = validation == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }

    /** An epoch without the step's speed figures (runs written before they were measured). */
    public EpochMetrics(int epoch, double lr, double trainLoss, Map<String, Double> train, int trainClips,
            double clipsPerSecond, double seconds, Map<String, Double> validation) {
        this(epoch, lr, trainLoss, train, trainClips, clipsPerSecond, seconds, validation, 0, 0);
    }

    /** A training metric by name ({@code top1}), or null when the task has none of that name. */
    public Double train(String name) {
        return train.get(name);
    }

    /** A validation metric by name ({@code video_top1}), or null without validation. */
    public Double validation(String name) {
        return validation.get(name);
    }

    /** This epoch without its wall-clock numbers, which differ between runs that compute the same. */
    public EpochMetrics withoutTimes() {
        return new EpochMetrics(epoch, lr, trainLoss, train, trainClips, 0, 0, validation, 0, 0);
    }

    static final class Writer extends JsonSerializer<EpochMetrics> {
        @Override
        public void serialize(EpochMetrics m, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            gen.writeNumberField("epoch", m.epoch);
            gen.writeNumberField("lr", m.lr);
            gen.writeNumberField("train_loss", m.trainLoss);
            for (Map.Entry<String, Double> e : m.train.entrySet()) {
                gen.writeNumberField(TRAIN + e.getKey(), e.getValue());
            }
            gen.writeNumberField("train_clips", m.trainClips);
            gen.writeNumberField("clips_per_second", m.clipsPerSecond);
            gen.writeNumberField("seconds", m.seconds);
            for (Map.Entry<String, Double> e : m.validation.entrySet()) {
                gen.writeNumberField(VAL + e.getKey(), e.getValue());
            }
            gen.writeNumberField("loader_wait_seconds", m.loaderWaitSeconds);
            if (m.modelGflopPerSecond > 0) {
                gen.writeNumberField("model_gflop_per_second", m.modelGflopPerSecond);
            }
            gen.writeEndObject();
        }
    }

    static final class Reader extends JsonDeserializer<EpochMetrics> {
        @Override
        public EpochMetrics deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            Map<String, Double> train = new LinkedHashMap<>();
            Map<String, Double> validation = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                // Jackson writes NaN and the infinities as strings.
                boolean number = e.getValue().isNumber() || e.getValue().isTextual()
                        && List.of("NaN", "Infinity", "-Infinity").contains(e.getValue().asText());
                if (!number || key.equals("train_loss") || key.equals("train_clips")) {
                    continue;
                }
                double value = e.getValue().isNumber() ? e.getValue().asDouble() : Double.parseDouble(e.getValue().asText());
                if (key.startsWith(TRAIN)) {
                    train.put(key.substring(TRAIN.length()), value);
                } else if (key.startsWith(VAL)) {
                    validation.put(key.substring(VAL.length()), value);
                }
            }
            for (String required : new String[] {"epoch", "lr", "train_loss"}) {
                if (!node.path(required).isNumber()) {
                    throw JsonMappingException.from(p, "an epoch needs a number '" + required + "'");
                }
            }
            return new EpochMetrics(node.get("epoch").asInt(), node.get("lr").asDouble(), node.get("train_loss").asDouble(),
                    train, node.path("train_clips").asInt(), node.path("clips_per_second").asDouble(),
                    node.path("seconds").asDouble(), validation, node.path("loader_wait_seconds").asDouble(),
                    node.path("model_gflop_per_second").asDouble());
        }
    }
}
