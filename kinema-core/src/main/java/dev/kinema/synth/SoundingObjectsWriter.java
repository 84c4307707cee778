package dev.kinema.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Renders the sounding-object dataset (visually guided source separation): a folder per class,
 * {@code OUT/{train,val,test}/<object>/<object>_<nnnn>.mp4} with its solo soundtrack as AAC and, beside
 * each, {@code <object>_<nnnn>.wav} (the same track, 16-bit PCM); {@code labels.txt} and
 * {@code classes.json} (name, index, description). Splits 70/15/15 by index as Kinema-Motion's
 * ({@link SynthDatasetWriter#split}); each video from its own seed, so the output does not depend
 * on the workers.
 *
 * @param output the dataset folder (new or empty, or a previous run's with {@code overwrite})
 * @param videosPerObject videos of each object
 * @param objects the objects, in label order
 */
public record SoundingObjectsWriter(Path output, int videosPerObject, long seed, int width, int height, double fps,
        double seconds, List<SoundingObject> objects, int workers, boolean overwrite) {
    public static final String LABELS = SynthDatasetWriter.LABELS;
    public static final String CLASSES = SynthDatasetWriter.CLASSES;

    public SoundingObjectsWriter {
        if (videosPerObject < 1 || workers < 1 || objects.isEmpty()) {
            throw new IllegalArgumentException("need at least one video per object, one worker and one object");
        }
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0 || !(fps >= 1) || !(seconds > 0.2)) {
            throw new IllegalArgumentException("sounding objects need even frames of at least 16x16, fps >= 1 and more than"
                    + " 0.2 s, got " + width + "x" + height + " at " + fps + " fps for " + seconds + " s");
        }
        objects = List.copyOf(objects);
    }

    /** One planned video. */
    public record Planned(SoundingObject object, int label, String split, Path file, long seed) {}

    /** Every video this writer would produce, object by object. */
    public List<Planned> plan() {
        List<Planned> out = new ArrayList<>();
        for (int label = 0; label < objects.size(); label++) {
            SoundingObject o = objects.get(label);
            for (int i = 0; i < videosPerObject; i++) {
                String split = SynthDatasetWriter.split(i, videosPerObject);
                Path file = output.resolve(split).resolve(o.label()).resolve(String.format(Locale.ROOT, "%s_%04d.mp4", o.label(), i));
                out.add(new Planned(o, label, split, file, KinemaMotion.sampleSeed(seed, "sounding-" + o.label(), i)));
            }
        }
        return out;
    }

    /** Renders every video (and its WAV), then the index files; returns the videos. */
    public List<Planned> write(IntConsumer progress) {
        SynthDatasetWriter.prepareOutput(output, overwrite, SynthDatasetWriter.SPLITS, List.of(LABELS, CLASSES));
        List<Planned> videos = plan();
        ClipSpec spec = ClipSpec.ofSeconds(width, height, fps, seconds);
        ParallelRender.run(videos.stream().<Runnable>map(v -> () -> new SoundingObjectVideo(v.object(), spec, v.seed())
                .write(v.file())).toList(), videos.stream().map(Planned::file).toList(), workers, progress);
        StringBuilder labels = new StringBuilder();
        List<Map<String, Object>> json = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            labels.append(objects.get(i).label()).append('\n');
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", objects.get(i).label());
            m.put("index", i);
            m.put("description", objects.get(i).description());
            json.add(m);
        }
        try {
            Files.writeString(output.resolve(LABELS), labels, StandardCharsets.UTF_8);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.resolve(CLASSES).toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the index files in " + output + ": " + e.getMessage(), e);
        }
        return videos;
    }
}
