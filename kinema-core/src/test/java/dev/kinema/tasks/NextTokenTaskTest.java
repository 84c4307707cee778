package dev.kinema.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.language.CausalDecoder;
import dev.kinema.models.language.TextGenerator;
import dev.kinema.models.language.TokenRows;
import dev.kinema.models.language.VideoLanguageModel;
import dev.kinema.models.language.WordTokenizer;
import dev.kinema.train.StatefulOptimizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three stages of video-language training with the task's inputs, targets and loss, on two tiny clips. */
class NextTokenTaskTest {
    private static final List<TokenRows.Example> CAPTIONS = List.of(new TokenRows.Example("caption:", "a red figure waves"),
            new TokenRows.Example("caption:", "a blue ball bounces"));
    private static final WordTokenizer TOKENS = WordTokenizer.fit(List.of("caption: a red figure waves a blue ball bounces"));

    @Test
    void theMaskCoversTheTargetAndEosOnly() {
        TokenRows rows = TokenRows.of(TOKENS, List.of(new TokenRows.Example("caption:", "a red")), true, 32);
        // <bos> <video> caption : a red <eos>
        assertEquals(7, rows.length());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1}, rows.mask());
        assertEquals(TOKENS.id(WordTokenizer.EOS), rows.tokens()[6]);
        TokenRows.Example e = NextTokenTask.example(NextTokenTask.text("question: which way?", "left"));
        assertEquals("left", e.target());
    }

    @Test
    void pretrainAlignAndFineTune() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(11);
            CausalDecoder decoder = new CausalDecoder(TOKENS.size(), 32, 2, 2, 16);
            VideoLanguageModel model = new VideoLanguageModel(
                    ModelRegistry.create("toy-3d", ModelConfig.of(4, 8, 16)), decoder, 2, 64);
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 8, 16, 16), new Shape(2, 8));
            // Two clips the encoder tells apart: bright and dark.
            NDArray clips = manager.ones(new Shape(2, 3, 8, 16, 16)).mul(manager.create(new float[] {1, -1}).reshape(2, 1, 1, 1, 1));
            TokenRows rows = TokenRows.of(TOKENS, CAPTIONS, true, 16);

            // 1. Text only: the decoder learns the captions' language.
            NextTokenTask text = new NextTokenTask(TOKENS, false, 16);
            float[] textLoss = train(manager, decoder, text, TokenRows.of(TOKENS, CAPTIONS, false, 16), null, 40, 3e-3f);
            assertTrue(textLoss[1] < 0.5 * textLoss[0], "text pretraining: " + textLoss[0] + " -> " + textLoss[1]);

            // 2. Align: only the projector learns; encoder and decoder stay bit for bit.
            NextTokenTask withVideo = new NextTokenTask(TOKENS, true, 16);
            model.encoder().freezeParameters(true);
            decoder.freezeParameters(true);
            float[] encoderBefore = firstWeight(model.encoder());
            float[] decoderBefore = firstWeight(decoder);
            float[] projectorBefore = firstWeight(model.projector());
            float[] alignLoss = train(manager, model, withVideo, rows, clips, 30, 3e-3f);
            assertArrayEquals(encoderBefore, firstWeight(model.encoder()));
            assertArrayEquals(decoderBefore, firstWeight(decoder));
            assertFalse(java.util.Arrays.equals(projectorBefore, firstWeight(model.projector())));
            assertTrue(alignLoss[1] < alignLoss[0], "alignment: " + alignLoss[0] + " -> " + alignLoss[1]);

            // 3. Fine-tune projector and decoder: each clip gets its own caption.
            decoder.freezeParameters(false);
            train(manager, model, withVideo, rows, clips, 40, 3e-3f);
            ParameterStore ps = new ParameterStore(manager, false);
            TextGenerator generator = new TextGenerator(decoder, TOKENS.id(WordTokenizer.EOS));
            for (int i = 0; i < 2; i++) {
                NDArray video = model.videoEmbeddings(ps, clips.get(i).expandDims(0), false);
                NDArray prompt = model.splice(ps, manager.create(new long[] {TOKENS.id(WordTokenizer.BOS),
                        TOKENS.id(WordTokenizer.VIDEO), TOKENS.id("caption"), TOKENS.id(":")}).reshape(1, 4), video,
                        TOKENS.id(WordTokenizer.VIDEO));
                assertEquals(CAPTIONS.get(i).target(), TOKENS.decode(generator.generate(ps, prompt, TextGenerator.Options.greedy(8), true)));
            }
        }
    }

    /** {@code steps} AdamW updates of the task's loss; the first and last loss. */
    private static float[] train(NDManager manager, Block model, NextTokenTask task, TokenRows rows, NDArray clips, int steps,
            float lr) {
        float first = Float.NaN;
        float last = Float.NaN;
        try (StatefulOptimizer optimizer = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0f)) {
            for (int s = 0; s < steps; s++) {
                try (NDManager step = manager.newSubManager()) {
                    TrainingTask.Step batch = task.step(rows, clips, step);
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDList out = model.forward(new ParameterStore(step, false), batch.inputs(), true);
                        NDArray loss = task.loss(out, batch.targets());
                        last = loss.getFloat();
                        first = s == 0 ? last : first;
                        collector.backward(loss);
                    }
                    optimizer.step(model.getParameters(), lr, step);
                }
            }
        }
        return new float[] {first, last};
    }

    private static float[] firstWeight(Block block) {
        return block.getParameters().valueAt(0).getArray().toFloatArray();
    }
}
