package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.synth.SceneCaptions.QuestionAnswer;
import dev.kinema.synth.SceneCaptions.QuestionType;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneCaptionsTest {
    private static final ClipSpec SPEC = ClipSpec.ofSeconds(64, 64, 10, 2);

    /** A clip whose one labelled actor is a flat rectangle of {@code colour} over a random backdrop. */
    private static SynthSample paintedRectangle(Color colour, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Backdrop backdrop = Backdrop.draw(rng);
        Rectangle2D box = new Rectangle2D.Double(0.3, 0.3, 0.4, 0.4);
        Performer rect = new Performer() {
            @Override
            public void draw(Graphics2D g, double t) {
                g.setColor(colour);
                g.fill(box);
            }

            @Override
            public Rectangle2D bounds(double t) {
                return box;
            }
        };
        Scene scene = new Scene(SPEC.aspect(), SPEC.duration(), backdrop.background(), backdrop.camera(),
                List.of(new Actor("slide_right", 0, SPEC.duration(), rect, false)), 3, 7);
        return new SynthSample(KinemaMotion.get("slide_right"), SPEC, seed, scene);
    }

    @Test
    void colourIsTheHueTheActorPaints() {
        Map<Color, String> expected = Map.of(new Color(220, 30, 30), "red", new Color(30, 200, 40), "green",
                new Color(40, 60, 230), "blue", new Color(230, 220, 30), "yellow", new Color(160, 40, 200), "purple",
                new Color(30, 210, 220), "cyan");
        for (long seed = 0; seed < 4; seed++) {
            for (Map.Entry<Color, String> e : expected.entrySet()) {
                assertEquals(e.getValue(), SceneCaptions.colourOf(paintedRectangle(e.getKey(), seed), 0),
                        e.getKey() + " on backdrop " + seed);
            }
        }
        for (Color grey : List.of(new Color(250, 250, 250), new Color(128, 128, 128), new Color(5, 5, 5))) {
            assertTrue(Set.of("black", "white").contains(SceneCaptions.colourOf(paintedRectangle(grey, 2), 0)), grey.toString());
        }
    }

    @Test
    void renderedClassesGetVariedColours() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            SynthSample s = KinemaMotion.sample("waving", SPEC, KinemaMotion.sampleSeed(0, "waving", i));
            String c = SceneCaptions.colourOf(s, 0);
            assertTrue(SceneCaptions.COLOURS.contains(c), c);
            seen.add(c);
        }
        assertTrue(seen.size() >= 3, "colour is drawn freely, yet 12 figures had only " + seen);
    }

    @Test
    void pairPartnersDifferOnlyInTheirMotionAnswers() {
        List<String[]> pairs = List.of(new String[] {"slide_right", "slide_left"},
                new String[] {"rotate_clockwise", "rotate_anticlockwise"}, new String[] {"approach", "recede"},
                new String[] {"walk_forward", "walk_backward"}, new String[] {"sit_down", "stand_up"},
                new String[] {"approach_then_clap", "clap_then_approach"});
        for (String[] pair : pairs) {
            long seed = KinemaMotion.sampleSeed(3, pair[0], 1);
            SceneCaptions.Annotation a = SceneCaptions.of(KinemaMotion.sample(pair[0], SPEC, seed));
            SceneCaptions.Annotation b = SceneCaptions.of(KinemaMotion.sample(pair[1], SPEC, seed));
            assertEquals(answers(a, false), answers(b, false), pair[0] + ": appearance answers must agree");
            Map<QuestionType, Set<String>> ma = answers(a, true);
            Map<QuestionType, Set<String>> mb = answers(b, true);
            assertEquals(ma.keySet(), mb.keySet());
            assertEquals(1, ma.size(), pair[0] + " has one motion question type");
            assertNotEquals(ma, mb, pair[0] + ": the motion answers must tell the pair apart");
            assertNotEquals(a.captions(), b.captions());
        }
    }

    private static Map<QuestionType, Set<String>> answers(SceneCaptions.Annotation a, boolean motion) {
        return a.questions().stream().filter(q -> q.type().isMotion() == motion)
                .collect(Collectors.groupingBy(QuestionAnswer::type, Collectors.mapping(QuestionAnswer::answer, Collectors.toSet())));
    }

    @Test
    void everyClassHasParaphrasedCaptionsAndQuestions() {
        List<ActionClass> all = new java.util.ArrayList<>(KinemaMotion.classes());
        all.addAll(KinemaMotion.orderClasses());
        for (ActionClass c : all) {
            List<String> colours = c.kind() == ActionKind.ORDER ? List.of("red", "blue") : List.of("red");
            SceneCaptions.Annotation a = SceneCaptions.of(c, colours);
            assertTrue(a.captions().size() >= 3 && a.captions().size() <= 5, c.name());
            assertEquals(a.captions().size(), new HashSet<>(a.captions()).size(), c.name() + ": paraphrases differ");
            a.captions().forEach(s -> assertTrue(s.contains("red"), c.name() + ": " + s));
            Map<QuestionType, List<QuestionAnswer>> byType = a.questions().stream().collect(Collectors.groupingBy(QuestionAnswer::type));
            byType.forEach((t, qs) -> {
                assertTrue(qs.size() >= 3, c.name() + " " + t);
                assertEquals(1, qs.stream().map(QuestionAnswer::answer).distinct().count(), "paraphrases share the answer");
            });
            assertEquals(c.kind() != ActionKind.APPEARANCE, byType.keySet().stream().anyMatch(QuestionType::isMotion), c.name());
            assertTrue(byType.containsKey(QuestionType.OBJECT));
        }
    }

    @Test
    void writerFollowsTheVideosSplits(@TempDir Path dir) throws Exception {
        List<SynthDatasetWriter.Video> plan = SynthDatasetWriter.builder().setOutput(dir).optVideosPerClass(7).optSize(64, 64)
                .optSeconds(1, 1).optFps(10).optClasses(List.of(KinemaMotion.get("slide_left"), KinemaMotion.get("pendulum")))
                .build().plan();
        CaptionDatasetWriter.Summary summary = CaptionDatasetWriter.write(dir, plan);
        assertEquals(14, summary.videos());
        ObjectMapper json = new ObjectMapper();
        JsonNode captions = json.readTree(dir.resolve(CaptionDatasetWriter.CAPTIONS).toFile());
        JsonNode qa = json.readTree(dir.resolve(CaptionDatasetWriter.QA).toFile());
        assertEquals(summary.sentences(), captions.get("sentences").size());
        assertEquals(summary.questions(), qa.size());
        for (int i = 0; i < plan.size(); i++) {
            JsonNode v = captions.get("videos").get(i);
            assertEquals(plan.get(i).id(), v.get("video_id").asText());
            assertEquals(plan.get(i).split(), v.get("split").asText());
            assertTrue(v.get("path").asText().startsWith(plan.get(i).split() + "/"));
        }
        Map<String, String> splitOf = plan.stream().collect(Collectors.toMap(SynthDatasetWriter.Video::id, SynthDatasetWriter.Video::split));
        for (JsonNode q : qa) {
            assertEquals(splitOf.get(q.get("video_id").asText()), q.get("split").asText());
        }
        assertEquals(Set.of("direction", "colour", "object"),
                java.util.stream.StreamSupport.stream(qa.spliterator(), false).map(q -> q.get("type").asText()).collect(Collectors.toSet()));
    }
}
