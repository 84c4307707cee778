package dev.kinema.models.language;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinema.io.AtomicFiles;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A video-language model on disk: {@value #SPEC} (what to build: the encoder's registry name and
 * clip size, the decoder's and projector's sizes, the tokenizer's vocabulary) and {@value #PARAMS}
 * (every parameter, DJL's format), both written atomically.
 *
 * @param encoder the video backbone's registry name
 * @param encoderClasses its head's classes (the head is not used, but sizes its checkpoint)
 * @param frames frames per clip
 * @param frameStride source frames between a clip's frames
 * @param size clip height and width
 */
public record VideoLanguageRun(String encoder, int encoderClasses, int frames, int frameStride, int size, int dim, int heads, int layers,
        int maxLength, int videoTokens, int projectorHidden, List<String> vocabulary) {
    public static final String SPEC = "language.json";
    public static final String PARAMS = "language.params";

    public WordTokenizer tokenizer() {
        return new WordTokenizer(vocabulary);
    }

    /** The model this spec describes, initialised (random until parameters are loaded). */
    public VideoLanguageModel build(NDManager manager) {
        CausalDecoder decoder = new CausalDecoder(vocabulary.size(), dim, heads, layers, maxLength);
        VideoLanguageModel model = new VideoLanguageModel(
                ModelRegistry.create(encoder, ModelConfig.of(encoderClasses, frames, size)), decoder, videoTokens, projectorHidden);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, frames, size, size), new Shape(1, 2));
        return model;
    }

    /** Writes the spec and {@code model}'s parameters into {@code dir}. */
    public void save(Path dir, VideoLanguageModel model) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(dir.resolve(SPEC), out -> json.writeValue(out, this));
        AtomicFiles.write(dir.resolve(PARAMS), out -> {
            DataOutputStream data = new DataOutputStream(out);
            model.saveParameters(data);
            data.flush();
        });
    }

    /** The spec of the run in {@code dir}. */
    public static VideoLanguageRun read(Path dir) throws IOException {
        Path spec = dir.resolve(SPEC);
        if (!Files.isRegularFile(spec)) {
            throw new IllegalArgumentException(dir + ": not a video-language run (no " + SPEC + ")");
        }
        return new ObjectMapper().readValue(spec.toFile(), VideoLanguageRun.class);
    }

    /** The model of the run in {@code dir}, with its parameters. */
    public static VideoLanguageModel load(Path dir, NDManager manager) throws IOException {
        VideoLanguageModel model = read(dir).build(manager);
        try (InputStream in = Files.newInputStream(dir.resolve(PARAMS))) {
            model.loadParameters(manager, new DataInputStream(in));
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException(dir.resolve(PARAMS) + ": does not match " + SPEC + " (" + e.getMessage() + ")", e);
        }
        return model;
    }
}
