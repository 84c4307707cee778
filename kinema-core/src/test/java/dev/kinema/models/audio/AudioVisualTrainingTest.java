package dev.kinema.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.audio.PackedAudio;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.synth.ClipSpec;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.SynthDatasetWriter;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clips carry their sound into the audio and audio-visual models, and those train like any other. */
class AudioVisualTrainingTest {
    @TempDir
    Path dir;

    @Test
    void anAudioVisualClipPacksTheLogMelOfItsSpanAfterTheFrames() throws Exception {
        Path video = dir.resolve("clap.mp4");
        KinemaMotion.sample("clapping", new ClipSpec(40, 32, 25, 50), 7).write(video, true);
        ModelInput input = new ModelInput(8, 4, null, 32, 32, Modality.RGB_AUDIO);
        ClipSampler sampler = input.sampler().mode("uniform").clips(1).build();
        List<Clip> clips = input.decoder(sampler, null).decode(VideoSample.ofFile(video, 0, "clapping", "train"), new SplittableRandom(1));
        Clip clip = clips.get(0).cut(0, 4, 32, 32, false);
        ClipBatch batch = input.collate().collate(0, List.of(clip));
        assertArrayEquals(new long[] {1, 4, 8, 32, 32}, batch.shape().getShape());
        int plane = 8 * 32 * 32;
        float[] expected = new float[plane];
        PackedAudio.pack(clip.audio(), expected, 0, plane);
        float[] actual = java.util.Arrays.copyOfRange(batch.values(), 3 * plane, 4 * plane);
        assertArrayEquals(expected, actual);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : actual) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(hi - lo > 5, "claps stand out of the noise floor: " + lo + " to " + hi);
        // The span of frames 0, 4, ..., 28 at 25 fps: 29 frames, 1.16 s; the plane's last 12 columns are silence.
        assertEquals(1.16, clip.audio().durationSeconds(), 0.01, "the sound of the clip's span");
    }

    @Test
    void avMidTrainsWithKinemaTrainOnClipsWithSound() throws Exception {
        Path data = dir.resolve("data");
        SynthDatasetWriter.builder().setOutput(data).optVideosPerClass(3).optSize(40, 32).optFps(25).optSeconds(1.6, 1.6)
                .optClasses(List.of(KinemaMotion.get("clapping"), KinemaMotion.get("waving"))).optAudio(true).optWorkers(1)
                .build().write(d -> {});
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel("av-mid").optFrames(8).optStride(4)
                .optSize(32).optResize(32).optEpochs(1).optBatch(2).optOptimizer("sgd").optLr(0.01).optWarmupEpochs(0)
                .optValClips(1).optWorkers(1).optSeed(3).build();
        assertEquals(Modality.RGB_AUDIO, config.data().modality());
        List<EpochMetrics> metrics = Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry())
                .setRunDirectory(dir.resolve("run")).build().fit();
        assertEquals(1, metrics.size());
        assertTrue(Double.isFinite(metrics.get(0).trainLoss()), metrics.get(0).toString());
    }
}
