package dev.kinema.models.videomae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.LayerTable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VideoMaeTest {

    @Test
    void vitBaseFineTuningModelHasTheReferenceParameterCount() {
        // VideoMAE's vit_base_patch16_224, 16 frames, 400 classes: patch_embed 1,180,416 + 12 blocks of
        // 7,087,104 + fc_norm 1,536 + head 307,600
        VideoModel model = ModelRegistry.create("videomae", 400);
        assertEquals(86_534_800L, model.parameterCount());
    }

    @Test
    void theEncoderAtNinetyPercentMaskingCostsAboutATenthOfTheUnmaskedEncoder() {
        Shape clip = new Shape(3, 16, 224, 224);
        VideoMaeSpec spec = VideoMaeSpec.base();
        LayerTable unmasked = new VideoMaeEncoder(spec, 3, false, true, 0).layerTable(clip);
        LayerTable masked = new VideoMaeEncoder(spec, 3, false, true, 0.9).layerTable(clip);
        assertEquals(unmasked.totalParams(), masked.totalParams(), "masking changes the tokens, not the weights");
        double fraction = (double) masked.totalMacs() / unmasked.totalMacs();
        // 1568 tokens, 160 visible (10.2%): the linear layers scale with that fraction, attention with its
        // square, and the tubelet embedding runs on the whole clip: 8.8% in all
        assertTrue(fraction > 0.08 && fraction < 160.0 / 1568, "masked / unmasked MACs " + fraction);
        LayerTable pretraining = Profiler_of(VideoMaes.pretraining("videomae", 3, 0.9), clip);
        assertTrue(pretraining.totalMacs() > masked.totalMacs(), "the decoder adds to the encoder's cost");
        assertTrue(pretraining.totalMacs() < unmasked.totalMacs() / 2, "pretraining at 90% costs less than half a pass"
                + " of the unmasked encoder: " + pretraining.totalMacs() + " vs " + unmasked.totalMacs());
    }

    private static LayerTable Profiler_of(VideoMaePretraining net, Shape clip) {
        return dev.kinema.nn.Profiler.profile(net, clip);
    }

    @Test
    void theEncoderRunsOnTheVisibleTokensAndTheDecoderPredictsTheMaskedTubelets() {
        VideoMaePretraining net = VideoMaes.pretraining("videomae-small", 3, 0.9);
        Shape clips = new Shape(2, 3, 8, 112, 112);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, clips);
            TubeMask mask = TubeMask.draw(2, net.grid(clips), 0.9, new SplittableRandom(3));
            assertEquals(4 * 5, mask.visibleTokens(), "4 token-frames of 5 visible positions out of 7x7");
            NDArray x = m.randomNormal(clips);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray encoded = net.encoder().forward(ps, new NDList(x, mask.visibleIndex(m)), false).singletonOrThrow();
            assertEquals(new Shape(2, 20, 96), encoded.getShape());
            NDArray predicted = net.forward(ps, new NDList(x, mask.visibleIndex(m), mask.maskedIndex(m)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 4 * 44, 3 * 2 * 16 * 16), predicted.getShape());
            assertEquals(predicted.getShape(), net.getOutputShapes(new Shape[] {clips})[0]);
        }
    }

    @Test
    void tubeletPixelsGoBackToTheClipAndTheirTargetsAreStandardised() {
        TubeletPixels pixels = new TubeletPixels(2, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray clips = m.randomUniform(0, 1, new Shape(2, 3, 4, 32, 48));
            NDArray tubelets = pixels.of(clips);
            assertEquals(new Shape(2, 2 * 2 * 3, 2 * 16 * 16 * 3), tubelets.getShape());
            assertTrue(pixels.clips(tubelets, new long[] {2, 2, 3}).sub(clips).abs().max().getFloat() == 0f);
            // the first tubelet, channel 0: frames 0-1, rows 0-15, columns 0-15 of the clip
            assertEquals(clips.getFloat(0, 0, 1, 15, 15), tubelets.getFloat(0, 0, (1 * 256 + 15 * 16 + 15) * 3), 0f);
            NDArray targets = pixels.normalised(clips);
            NDArray perChannel = targets.reshape(2, 12, 512, 3);
            assertTrue(perChannel.mean(new int[] {2}).abs().max().getFloat() < 1e-5f);
            NDArray back = pixels.denormalise(targets, pixels.statistics(clips));
            assertTrue(back.sub(tubelets).abs().max().getFloat() < 1e-5f);
        }
    }
}
