package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynthRenderTest {
    private static final ClipSpec SPEC = new ClipSpec(64, 48, 24, 36);

    @Test
    void everyClassRendersTheRequestedFormatWithItsActorInView() {
        for (ActionClass c : KinemaMotion.classes()) {
            SynthSample s = KinemaMotion.sample(c, SPEC, 7);
            VideoFrames frames = s.frames();
            assertEquals(36, frames.frames(), c.name());
            assertEquals(48, frames.height(), c.name());
            assertEquals(64, frames.width(), c.name());
            assertEquals(1.5, SPEC.duration(), 1e-12);
            int visible = 0;
            for (int i = 0; i < SPEC.frames(); i++) {
                List<ActorBox> boxes = s.boxes(i);
                assertTrue(boxes.size() <= 1, c.name() + ": one labelled actor");
                if (!boxes.isEmpty()) {
                    ActorBox b = boxes.get(0);
                    assertEquals(c.name(), b.action());
                    assertTrue(b.x() >= 0 && b.y() >= 0 && b.x() + b.width() <= 64 + 1e-9
                            && b.y() + b.height() <= 48 + 1e-9, c.name() + " box inside the frame: " + b);
                    visible++;
                }
            }
            assertTrue(visible >= SPEC.frames() * 0.9, c.name() + " actor visible in " + visible + " frames");
            for (double t : s.eventTimes()) {
                assertTrue(t >= 0 && t <= SPEC.duration(), c.name() + " event at " + t);
            }
        }
    }

    @Test
    void theActorChangesThePicture() {
        for (ActionClass c : KinemaMotion.classes()) {
            SynthSample s = KinemaMotion.sample(c, SPEC, 11).withoutNoise();
            byte[] with = s.frame(SPEC.frames() / 2);
            byte[] without = s.withoutActors().frame(SPEC.frames() / 2);
            long changed = 0;
            for (int i = 0; i < with.length; i++) {
                if (Math.abs((with[i] & 0xff) - (without[i] & 0xff)) > 20) {
                    changed++;
                }
            }
            assertTrue(changed > 30, c.name() + ": only " + changed + " channel values changed by the actor");
        }
    }

    @Test
    void contactClassesHaveSynchronisedSounds() {
        ClipSpec spec = ClipSpec.ofSeconds(32, 32, 25, 3);
        for (String name : List.of("clapping", "bouncing_ball", "jumping_jacks", "juggling", "walk_forward")) {
            SynthSample s = KinemaMotion.sample(name, spec, 3);
            double[] events = s.eventTimes();
            assertTrue(events.length >= 2, name + " has " + events.length + " events in 3 s");
            float[] audio = s.audio(16_000);
            assertEquals(48_000, audio.length);
            // Loud right after each event, quiet just before it.
            for (double e : events) {
                int at = (int) Math.round(e * 16_000);
                if (at < 200 || at + 200 > audio.length) {
                    continue;
                }
                assertTrue(rms(audio, at, at + 160) > 5 * rms(audio, at - 160, at) || rms(audio, at - 160, at) > 0.05,
                        name + " sound at " + e);
                assertTrue(rms(audio, at, at + 160) > 0.05, name + " loud at " + e);
            }
        }
        assertEquals(0, KinemaMotion.sample("pendulum", spec, 3).eventTimes().length);
    }

    @Test
    void stickFiguresReportThirteenKeypointsInsideTheirBox() {
        ClipSpec spec = ClipSpec.ofSeconds(96, 96, 25, 1);
        for (String name : List.of("walk_forward", "sit_down", "jumping_jacks", "waving", "clapping", "juggling")) {
            SynthSample s = KinemaMotion.sample(name, spec, 5);
            Actor actor = s.scene().actors().get(0);
            double t = spec.time(10);
            var points = actor.keypoints(t);
            assertEquals(Skeleton.Joint.values().length, points.length, name);
            var box = actor.bounds(t);
            for (var p : points) {
                assertTrue(box.getMinX() - 1e-9 <= p.getX() && p.getX() <= box.getMaxX() + 1e-9
                        && box.getMinY() - 1e-9 <= p.getY() && p.getY() <= box.getMaxY() + 1e-9, name + " " + p);
            }
        }
        assertEquals(0, KinemaMotion.sample("pendulum", spec, 5).scene().actors().get(0).keypoints(0.1).length);
    }

    @Test
    void sameSeedSameFramesDifferentSeedDifferentFrames() {
        for (ActionClass c : KinemaMotion.classes()) {
            SynthSample a = KinemaMotion.sample(c, SPEC, 42);
            SynthSample b = KinemaMotion.sample(c, SPEC, 42);
            SynthSample other = KinemaMotion.sample(c, SPEC, 43);
            assertArrayEquals(a.frames().rgb(), b.frames().rgb(), c.name());
            assertArrayEquals(a.audio(16_000), b.audio(16_000), c.name());
            assertFalse(Arrays.equals(a.frame(5), other.frame(5)), c.name());
        }
    }

    @Test
    void renderingOrderDoesNotMatter() {
        SynthSample a = KinemaMotion.sample("juggling", SPEC, 9);
        SynthSample b = KinemaMotion.sample("juggling", SPEC, 9);
        byte[] late = a.frame(30);
        a.frame(2);
        assertArrayEquals(late, a.frame(30));
        assertArrayEquals(late, b.frame(30), "a fresh sample rendering only frame 30 agrees");
    }

    @Test
    void sampleSeedsDependOnDatasetSeedClassAndIndex() {
        long s = KinemaMotion.sampleSeed(0, "waving", 0);
        assertEquals(s, KinemaMotion.sampleSeed(0, "waving", 0));
        assertTrue(s != KinemaMotion.sampleSeed(1, "waving", 0));
        assertTrue(s != KinemaMotion.sampleSeed(0, "clapping", 0));
        assertTrue(s != KinemaMotion.sampleSeed(0, "waving", 1));
    }

    private static double rms(float[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += a[i] * a[i];
        }
        return Math.sqrt(sum / (to - from));
    }
}
