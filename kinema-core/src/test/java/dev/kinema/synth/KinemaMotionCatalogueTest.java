package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class KinemaMotionCatalogueTest {
    @Test
    void hasEnoughClassesOfEachKind() {
        List<ActionClass> classes = KinemaMotion.classes();
        assertTrue(classes.size() >= 12, "classes: " + classes.size());
        assertTrue(KinemaMotion.classes(ActionKind.APPEARANCE).size() >= 4);
        assertTrue(KinemaMotion.classes(ActionKind.MOTION).size() >= 8);
        assertEquals(classes.size(), new HashSet<>(KinemaMotion.labels()).size(), "labels are unique");
        for (int i = 0; i < classes.size(); i++) {
            assertEquals(i, classes.get(i).index());
            assertEquals(classes.get(i).name(), KinemaMotion.labels().get(i));
            assertTrue(classes.get(i).name().matches("[a-z_]+"), "folder-safe name: " + classes.get(i).name());
        }
    }

    @Test
    void motionClassesComeInMutualPairs() {
        int pairs = 0;
        for (ActionClass c : KinemaMotion.classes(ActionKind.MOTION)) {
            ActionClass partner = KinemaMotion.get(c.pairedWith());
            assertEquals(c.name(), partner.pairedWith(), c.name() + " and its partner name each other");
            assertEquals(ActionKind.MOTION, partner.kind());
            if (c.index() < partner.index()) {
                pairs++;
            }
        }
        assertTrue(pairs >= 4, "motion pairs: " + pairs);
        KinemaMotion.classes(ActionKind.APPEARANCE).forEach(c -> assertTrue(c.partner().isEmpty()));
    }

    @Test
    void unknownClassNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KinemaMotion.get("moonwalk"));
        assertTrue(e.getMessage().contains("moonwalk") && e.getMessage().contains("walk_forward"), e.getMessage());
    }

    @Test
    void splitsAreSeventyFifteenFifteenWithEverySplitPresentFromThreeVideos() {
        assertEquals(List.of("train", "val", "test"), splits(3));
        List<String> hundred = splits(100);
        assertEquals(70, hundred.stream().filter("train"::equals).count());
        assertEquals(15, hundred.stream().filter("val"::equals).count());
        assertEquals(15, hundred.stream().filter("test"::equals).count());
        assertEquals(List.of("train"), splits(1));
    }

    private static List<String> splits(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> SynthDatasetWriter.split(i, n)).toList();
    }
}
