package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sound classes: the same frames as their partner, a different soundtrack. */
class SoundClassesTest {
    private static final ClipSpec SPEC = ClipSpec.ofSeconds(32, 24, 10, 2.4);
    private static final int RATE = 16_000;

    @Test
    void soundClassesComeInPairsIndexedAfterTheOrderClasses() {
        List<ActionClass> sound = KinemaMotion.soundClasses();
        assertEquals(List.of("bouncing_ball_rubber", "bouncing_ball_metal", "knocking", "miming_knock"),
                sound.stream().map(ActionClass::name).toList());
        int first = KinemaMotion.classes().size() + KinemaMotion.orderClasses().size();
        for (int i = 0; i < sound.size(); i++) {
            ActionClass c = sound.get(i);
            assertEquals(first + i, c.index());
            assertEquals(ActionKind.SOUND, c.kind());
            assertEquals(c.name(), KinemaMotion.get(c.pairedWith()).pairedWith(), c.name() + " and its partner name each other");
            assertEquals(c, KinemaMotion.get(c.name()));
        }
        assertEquals(sound, KinemaMotion.classes(ActionKind.SOUND));
        assertFalse(KinemaMotion.labels().contains("knocking"), "the default class list is unchanged");
    }

    @Test
    void theThreeBallsAndTheTwoKnocksShareEveryFrameForASeed() {
        assertSameFrames(List.of("bouncing_ball", "bouncing_ball_rubber", "bouncing_ball_metal"), 11);
        assertSameFrames(List.of("knocking", "miming_knock"), 12);
    }

    private static void assertSameFrames(List<String> names, long seed) {
        SynthSample first = KinemaMotion.sample(names.get(0), SPEC, seed);
        for (String name : names.subList(1, names.size())) {
            SynthSample other = KinemaMotion.sample(name, SPEC, seed);
            for (int i = 0; i < SPEC.frames(); i++) {
                assertArrayEquals(first.frame(i), other.frame(i), name + " frame " + i);
            }
            assertArrayEquals(first.eventTimes(), other.eventTimes(), name);
        }
    }

    @Test
    void theRubberBallThudsLowAndTheMetalBallRingsHigh() {
        for (long seed = 0; seed < 4; seed++) {
            double rubber = zeroCrossingsPerSecond(KinemaMotion.sample("bouncing_ball_rubber", SPEC, seed));
            double metal = zeroCrossingsPerSecond(KinemaMotion.sample("bouncing_ball_metal", SPEC, seed));
            // A zero-crossing rate is about twice the dominant frequency: thud 70-130 Hz, ring 1.5-2.2 kHz.
            assertTrue(rubber > 100 && rubber < 400, "rubber crossings/s " + rubber);
            assertTrue(metal > 2500, "metal crossings/s " + metal);
        }
    }

    @Test
    void knockingSoundsAtItsKnocksAndTheMimeIsSilent() {
        SynthSample knocking = KinemaMotion.sample("knocking", SPEC, 5);
        SynthSample mime = KinemaMotion.sample("miming_knock", SPEC, 5);
        double[] events = knocking.eventTimes();
        assertTrue(events.length >= 3, "knocks in 2.4 s: " + events.length);
        float[] loud = knocking.audio(RATE);
        float[] quiet = mime.audio(RATE);
        for (double e : events) {
            int at = (int) Math.round(e * RATE);
            if (at + 160 > loud.length) {
                continue;
            }
            assertTrue(peak(loud, at, at + 160) > 0.2, "a knock at " + e);
            assertTrue(peak(quiet, at, at + 160) < 0.01, "no sound at the mimed knock " + e);
        }
        assertEquals(Timbre.KNOCK, KinemaMotion.timbre(knocking.actionClass()));
        assertEquals(Timbre.SILENT, KinemaMotion.timbre(mime.actionClass()));
    }

    @Test
    void evidenceSaysWhichSensesTellEachClassApartInTheComparisonSet() {
        Map<String, Evidence> evidence = KinemaMotion.evidence(List.of("slide_right", "rotate_clockwise", "waving", "pendulum",
                "bouncing_ball", "bouncing_ball_rubber", "bouncing_ball_metal", "knocking", "miming_knock", "not_a_class"));
        assertEquals(Map.of("slide_right", Evidence.VISUAL, "rotate_clockwise", Evidence.VISUAL, "waving", Evidence.VISUAL,
                "pendulum", Evidence.VISUAL, "bouncing_ball", Evidence.SOUND, "bouncing_ball_rubber", Evidence.SOUND,
                "bouncing_ball_metal", Evidence.SOUND, "knocking", Evidence.SOUND, "miming_knock", Evidence.BOTH), evidence);
        assertEquals(Map.of("bouncing_ball_rubber", Evidence.EITHER, "clapping", Evidence.EITHER),
                KinemaMotion.evidence(List.of("bouncing_ball_rubber", "clapping")));
    }

    @Test
    void withoutAudioTheyStillRenderTheirFrames() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sound-classes");
        java.nio.file.Path file = dir.resolve("knocking.mp4");
        KinemaMotion.sample("knocking", ClipSpec.ofSeconds(32, 24, 10, 0.6), 1).write(file, false);
        assertTrue(java.nio.file.Files.size(file) > 0);
    }

    private static double zeroCrossingsPerSecond(SynthSample s) {
        float[] audio = s.audio(RATE);
        int crossings = 0;
        int samples = 0;
        for (double e : s.eventTimes()) {
            // The first 20 ms after each bounce, where the sound is far above the noise floor.
            int from = (int) Math.round(e * RATE);
            int to = Math.min(audio.length, from + RATE / 50);
            for (int i = Math.max(from, 0) + 1; i < to; i++) {
                crossings += (audio[i - 1] < 0) != (audio[i] < 0) ? 1 : 0;
                samples++;
            }
        }
        assertTrue(samples > 0, "the clip has bounces");
        return crossings * (double) RATE / samples;
    }

    private static double peak(float[] a, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(a[i]));
        }
        return max;
    }

    @Test
    void accuracyIsSplitBySenseOnlyInSetsWithSoundClasses() {
        List<String> classes = List.of("waving", "pendulum", "knocking", "miming_knock");
        int[][] confusion = {{2, 0, 0, 0}, {1, 1, 0, 0}, {0, 0, 2, 0}, {0, 0, 2, 0}};
        Map<Evidence, long[]> split = KinemaMotion.accuracyByEvidence(classes, confusion);
        assertEquals(List.of(Evidence.VISUAL, Evidence.SOUND, Evidence.BOTH), List.copyOf(split.keySet()));
        assertArrayEquals(new long[] {3, 4}, split.get(Evidence.VISUAL));
        assertArrayEquals(new long[] {2, 2}, split.get(Evidence.SOUND));
        assertArrayEquals(new long[] {0, 2}, split.get(Evidence.BOTH));
        assertTrue(KinemaMotion.accuracyByEvidence(List.of("waving", "pendulum"), new int[][] {{1, 0}, {0, 1}}).isEmpty());
    }
}
