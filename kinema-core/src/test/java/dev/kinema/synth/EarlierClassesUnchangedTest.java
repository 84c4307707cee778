package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Adding classes (the sound classes) must not change a single earlier one: every default and order
 * class renders the same frames and the same soundtrack for a seed as before they were added. The
 * checksums were recorded from the code before the sound classes existed (commit 4689469).
 */
class EarlierClassesUnchangedTest {
    private static final ClipSpec SPEC = ClipSpec.ofSeconds(24, 16, 10, 1.2);

    static long checksum(ActionClass c, long seed) {
        SynthSample s = KinemaMotion.sample(c, SPEC, seed);
        CRC32 crc = new CRC32();
        for (int i = 0; i < SPEC.frames(); i++) {
            crc.update(s.frame(i));
        }
        float[] audio = s.audio(16_000);
        ByteBuffer bytes = ByteBuffer.allocate(audio.length * 4);
        bytes.asFloatBuffer().put(audio);
        crc.update(bytes.array());
        return crc.getValue();
    }

    static Map<String, Long> checksums() {
        Map<String, Long> out = new LinkedHashMap<>();
        Stream.concat(KinemaMotion.classes().stream(), KinemaMotion.orderClasses().stream())
                .forEach(c -> out.put(c.name(), checksum(c, KinemaMotion.sampleSeed(3, c.name(), 1))));
        return out;
    }

    @Test
    void earlierClassesKeepTheirLabelsFramesAndSound() {
        assertEquals(List.of("slide_right", "slide_left", "rotate_clockwise", "rotate_anticlockwise", "approach", "recede",
                "walk_forward", "walk_backward", "sit_down", "stand_up", "jumping_jacks", "waving", "clapping", "juggling",
                "bouncing_ball", "pendulum"), KinemaMotion.labels());
        assertEquals(RECORDED, checksums().toString());
    }

    private static final String RECORDED = "{slide_right=818021467, slide_left=3244194840, rotate_clockwise=1595281622, "
            + "rotate_anticlockwise=1792338581, approach=2804736092, recede=1742077697, walk_forward=3032372773, "
            + "walk_backward=3721430010, sit_down=2232518275, stand_up=3249346473, jumping_jacks=2035945716, "
            + "waving=1126006215, clapping=2005578651, juggling=2403663801, bouncing_ball=872297086, "
            + "pendulum=4167836131, approach_then_clap=3477472766, clap_then_approach=3744781879, "
            + "sit_down_then_wave=519621660, wave_then_sit_down=110340259}";
}
