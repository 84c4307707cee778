package dev.kinema.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the captions and questions of a Kinema-Motion dataset beside its videos, in the formats
 * video-language code reads:
 * <ul>
 *   <li>{@value #CAPTIONS}, MSR-VTT's layout: {@code videos} (video_id, category, split, path
 *   relative to the dataset) and {@code sentences} (caption, video_id, sen_id), four paraphrases a
 *   video;</li>
 *   <li>{@value #QA}, MSRVTT-QA's layout extended by a type: a list of (id, video_id, question,
 *   answer, type, split), three paraphrases of each question.</li>
 * </ul>
 * A video's split is the one {@link SynthDatasetWriter} gave it, so captions never leak across splits.
 */
public final class CaptionDatasetWriter {
    public static final String CAPTIONS = "captions.json";
    public static final String QA = "qa.json";

    private CaptionDatasetWriter() {}

    /** What was written: how many videos, sentences and question-answer pairs. */
    public record Summary(int videos, int sentences, int questions) {}

    /** Annotates every planned video of a dataset in {@code output} (rendering two frames of each to read colours). */
    public static Summary write(Path output, List<SynthDatasetWriter.Video> videos) {
        List<Map<String, Object>> videoRows = new ArrayList<>();
        List<Map<String, Object>> sentences = new ArrayList<>();
        List<Map<String, Object>> qa = new ArrayList<>();
        for (SynthDatasetWriter.Video v : videos) {
            SceneCaptions.Annotation a = SceneCaptions.of(KinemaMotion.sample(v.actionClass(), v.spec(), v.seed()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("video_id", v.id());
            row.put("category", v.actionClass().name());
            row.put("split", v.split());
            row.put("path", output.relativize(v.file()).toString().replace('\\', '/'));
            row.put("colour", a.colour());
            row.put("object", a.object());
            videoRows.add(row);
            for (String caption : a.captions()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("caption", caption);
                s.put("video_id", v.id());
                s.put("sen_id", sentences.size());
                sentences.add(s);
            }
            for (SceneCaptions.QuestionAnswer q : a.questions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", qa.size());
                m.put("video_id", v.id());
                m.put("question", q.question());
                m.put("answer", q.answer());
                m.put("type", q.type().jsonName());
                m.put("split", v.split());
                qa.add(m);
            }
        }
        Map<String, Object> captions = new LinkedHashMap<>();
        captions.put("info", Map.of("description", "Kinema-Motion captions, generated from each scene's ground truth"));
        captions.put("videos", videoRows);
        captions.put("sentences", sentences);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            AtomicFiles.write(output.resolve(CAPTIONS), out -> json.writeValue(out, captions));
            AtomicFiles.write(output.resolve(QA), out -> json.writeValue(out, qa));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the captions in " + output + ": " + e.getMessage(), e);
        }
        return new Summary(videoRows.size(), sentences.size(), qa.size());
    }
}
