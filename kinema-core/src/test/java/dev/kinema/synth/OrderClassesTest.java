package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order classes: two sub-actions apart in time, the same two in both classes of a pair, in the other order. */
class OrderClassesTest {
    private static final ClipSpec SPEC = new ClipSpec(64, 64, 10, 60);   // 6 s: parts of 1.8 s, a 2.4 s gap

    @Test
    void orderClassesArePairsOutsideTheDefaultSet() {
        List<ActionClass> order = KinemaMotion.orderClasses();
        assertEquals(List.of("approach_then_clap", "clap_then_approach", "sit_down_then_wave", "wave_then_sit_down"),
                order.stream().map(ActionClass::name).toList());
        assertEquals(order, KinemaMotion.classes(ActionKind.ORDER));
        for (ActionClass c : order) {
            assertFalse(KinemaMotion.classes().contains(c), "order classes are asked for by name");
            assertEquals(c.name(), KinemaMotion.get(c.pairedWith()).pairedWith());
            assertEquals(ActionKind.ORDER, KinemaMotion.get(c.pairedWith()).kind());
        }
        assertEquals(KinemaMotion.classes().size(), order.get(0).index(), "indexed after the default classes");
        assertThrows(IllegalArgumentException.class, () -> KinemaMotion.actor(order.get(0),
                Stage.fullFrame(1, Palette.random(new java.util.SplittableRandom(1))), 0, 1, new java.util.SplittableRandom(1)));
    }

    @Test
    void thePartsAreTheSamePerformancesInTheOtherOrderWithABackgroundGap() {
        long seed = 42;
        List<Actor> ab = labelled(KinemaMotion.sample("approach_then_clap", SPEC, seed));
        List<Actor> ba = labelled(KinemaMotion.sample("clap_then_approach", SPEC, seed));
        assertEquals(List.of("approach", "clapping"), ab.stream().map(Actor::action).toList());
        assertEquals(List.of("clapping", "approach"), ba.stream().map(Actor::action).toList());
        double duration = SPEC.duration();
        double part = duration * KinemaMotion.ORDER_PART_PERCENT / 100.0;
        double shift = duration - part;
        for (int i = 0; i < SPEC.frames(); i++) {
            double t = SPEC.time(i);
            if (t < part) {
                // approach at the start of one is approach at the end of the other, frame for frame
                assertBoxesEqual(ab.get(0).bounds(t), ba.get(1).bounds(t + shift));
                assertBoxesEqual(ba.get(0).bounds(t), ab.get(1).bounds(t + shift));
            } else if (t > part && t < shift) {
                for (Actor a : ab) {
                    assertNull(a.bounds(t), "nothing acts in the gap at " + t);
                }
            }
        }
        // A window of 16 frames at 2.5 fps (every 4th frame at 10 fps) spans 6 s; at 10 fps 1.6 s, shorter than the gap.
        assertTrue(shift - part > 16 / SPEC.fps(), "a 16-frame window at the clip's rate sees one part at most");
    }

    @Test
    void rendersAndIsDeterministic() {
        SynthSample a = KinemaMotion.sample("sit_down_then_wave", SPEC, 7);
        SynthSample b = KinemaMotion.sample("sit_down_then_wave", SPEC, 7);
        assertTrue(java.util.Arrays.equals(a.frame(5), b.frame(5)));
        assertFalse(java.util.Arrays.equals(a.frame(5), a.frame(54)), "the start and the end differ");
    }

    private static List<Actor> labelled(SynthSample s) {
        return s.scene().actors().stream().filter(Actor::isLabelled).toList();
    }

    private static void assertBoxesEqual(Rectangle2D a, Rectangle2D b) {
        assertNotNull(a);
        assertNotNull(b);
        assertEquals(a.getX(), b.getX(), 1e-9);
        assertEquals(a.getY(), b.getY(), 1e-9);
        assertEquals(a.getWidth(), b.getWidth(), 1e-9);
        assertEquals(a.getHeight(), b.getHeight(), 1e-9);
    }
}
