package dev.kinema.models.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.nn.KvCache;
import java.util.List;
import org.junit.jupiter.api.Test;

class CausalDecoderTest {
    private static final int VOCAB = 23;

    private static CausalDecoder decoder(NDManager manager) {
        manager.getEngine().setRandomSeed(7);
        CausalDecoder d = new CausalDecoder(VOCAB, 32, 4, 2, 24);
        d.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
        return d;
    }

    private static NDArray tokens(NDManager manager, long... ids) {
        return manager.create(ids).reshape(1, ids.length);
    }

    @Test
    void aTokenNeverSeesTheTokensAfterIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalDecoder d = decoder(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = d.forward(ps, new NDList(tokens(manager, 2, 5, 9, 11, 4, 7)), false).singletonOrThrow();
            NDArray b = d.forward(ps, new NDList(tokens(manager, 2, 5, 9, 20, 1, 0)), false).singletonOrThrow();
            assertTrue(a.get(new NDIndex(":, :3")).allClose(b.get(new NDIndex(":, :3")), 1e-6, 1e-6, false), "positions 0..2 ignore 3..5");
            assertFalse(a.get(new NDIndex(":, 3")).allClose(b.get(new NDIndex(":, 3")), 1e-3, 1e-3, false), "position 3 sees its own token");
            assertEquals(new Shape(1, 6, VOCAB), a.getShape());
        }
    }

    @Test
    void feedingOneTokenAtATimeThroughTheCacheGivesTheFullPassLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalDecoder d = decoder(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            long[] ids = {2, 5, 9, 11, 4, 7, 13};
            NDArray full = d.forward(ps, new NDList(tokens(manager, ids)), false).singletonOrThrow();
            KvCache cache = new KvCache(d.layers());
            // A three-token prefix at once, then one token at a time.
            NDList parts = new NDList(d.forwardEmbeddings(ps, d.embed(ps, tokens(manager, 2, 5, 9)), false, cache));
            for (int i = 3; i < ids.length; i++) {
                parts.add(d.forwardEmbeddings(ps, d.embed(ps, tokens(manager, ids[i])), false, cache));
            }
            assertEquals(ids.length, cache.length());
            NDArray stepwise = NDArrays.concat(parts, 1);
            assertTrue(full.allClose(stepwise, 1e-5, 1e-5, false), "max difference " + full.sub(stepwise).abs().max().getFloat());
        }
    }

    @Test
    void cachedGenerationEqualsUncachedForGreedyBeamAndSampling() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalDecoder d = decoder(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray prefix = d.embed(ps, tokens(manager, 2, 5, 9));
            TextGenerator generator = new TextGenerator(d, 3);
            for (TextGenerator.Options o : List.of(TextGenerator.Options.greedy(8), TextGenerator.Options.beam(6, 2),
                    new TextGenerator.Options(8, 1, 0.8, 5, 42))) {
                int[] cached = generator.generate(ps, prefix, o, true);
                int[] uncached = generator.generate(ps, prefix, o, false);
                assertArrayEquals(uncached, cached, o.toString());
                assertTrue(cached.length <= o.maxTokens());
            }
            assertArrayEquals(generator.generate(ps, prefix, TextGenerator.Options.greedy(12), true),
                    generator.generate(ps, prefix, TextGenerator.Options.beam(12, 1), true), "a beam of one is greedy");
        }
    }

    @Test
    void greedyFollowsTheArgmaxOfTheFullPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalDecoder d = decoder(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            int[] generated = new TextGenerator(d, -1).generate(ps, d.embed(ps, tokens(manager, 2, 5)),
                    TextGenerator.Options.greedy(5), false);
            long[] sequence = {2, 5, 0, 0, 0, 0, 0};
            for (int i = 0; i < 5; i++) {
                NDArray logits = d.forward(ps, new NDList(tokens(manager, java.util.Arrays.copyOf(sequence, 2 + i))), false)
                        .singletonOrThrow();
                sequence[2 + i] = TextGenerator.argmax(logits.get(new NDIndex("0, -1")).toFloatArray());
                assertEquals(sequence[2 + i], generated[i], "token " + i);
            }
        }
    }

    @Test
    void aSequenceLongerThanThePositionTableIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalDecoder d = decoder(manager);
            NDArray ids = manager.zeros(new Shape(1, 25), DataType.INT64);
            assertThrows(IllegalArgumentException.class, () -> d.forward(new ParameterStore(manager, false), new NDList(ids), false));
        }
    }

    @Test
    void tokenizerRoundTripsAndMapsUnknownWords() {
        WordTokenizer t = WordTokenizer.fit(List.of("a red figure waves", "which way do the shapes move?"));
        assertEquals(WordTokenizer.SPECIAL, t.vocabulary().subList(0, 5));
        assertEquals("which way do the shapes move?", t.decode(t.encode("Which way do the shapes move?")));
        assertEquals(t.id(WordTokenizer.UNK), t.encode("a purple figure")[1]);
        assertArrayEquals(new int[] {t.id("<video>"), t.id("a")}, t.encode("<video> a"));
        assertEquals(t.vocabulary(), new WordTokenizer(t.vocabulary()).vocabulary());
    }
}
