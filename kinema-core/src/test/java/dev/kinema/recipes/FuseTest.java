package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.models.twostream.TwoStreamModels;
import dev.kinema.train.Checkpoint;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Fuse}: two stream runs become one two-stream run that averages them, without the CLI. */
class FuseTest {
    private static final int L = 4;
    private static final int SIZE = 32;
    private static final List<String> LABELS = List.of("a", "b", "c");

    @TempDir
    Path tmp;

    /** A stream's run directory with a (randomly initialised) checkpoint, as training would leave it. */
    private RunDir streamRun(String model, List<String> labels) throws IOException {
        TrainConfig config = TrainConfig.builder().setData(tmp.toString()).setModel(model).optFrames(L).optSize(SIZE)
                .optStride(1).build();
        RunDir run = RunDir.create(tmp.resolve(model + labels.size()), config, labels);
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer none = StatefulOptimizer.create(config.optimizer().name(), manager, 0f)) {
            VideoModel m = ModelRegistry.create(model, ModelConfig.builder().setNumClasses(labels.size()).optFrames(L)
                    .optSize(SIZE).build());
            m.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, config.input().shape(1));
            Checkpoint.write(run.checkpoint(), new Checkpoint.Header(config, labels, 1, 1, List.of()), m, none);
        }
        return RunDir.open(run.dir());
    }

    @Test
    void theFusedRunAveragesTheStreamsProbabilities() throws IOException {
        Engine.getInstance().setRandomSeed(5);
        RunDir spatial = streamRun(Fuse.SPATIAL, LABELS);
        RunDir temporal = streamRun(Fuse.TEMPORAL, LABELS);
        Path out = tmp.resolve("fused");
        try (NDManager manager = NDManager.newBaseManager()) {
            Fuse.Fused fused = Fuse.builder().setSpatial(spatial).setTemporal(temporal).setModel("two-stream")
                    .setOutput(out).build().fuse(manager);
            assertEquals(0, fused.fitSeconds());
            assertEquals("two-stream", fused.run().config().model());
            assertEquals(LABELS, fused.run().labels());
            // The card counts both streams.
            assertEquals(spatial.card().params() + temporal.card().params(), fused.run().card().params());
            assertEquals(spatial.card().macs() + temporal.card().macs(), fused.run().card().macs(),
                    0.01 * fused.run().card().macs());

            // Read back from disk, the fused model is the mean of the two streams' probabilities.
            RunDir back = RunDir.open(out);
            VideoModel two = (VideoModel) back.loadModel(manager, ModelFactory.registry());
            VideoModel s = (VideoModel) spatial.loadModel(manager, ModelFactory.registry());
            VideoModel t = (VideoModel) temporal.loadModel(manager, ModelFactory.registry());
            ParameterStore store = new ParameterStore(manager, false);
            NDArray rgb = manager.randomNormal(new Shape(2, 3, L, SIZE, SIZE));
            NDArray flow = manager.randomNormal(new Shape(2, 2, L, SIZE, SIZE));
            NDArray ps = s.predictProbabilities(store, rgb);
            NDArray pt = t.predictProbabilities(store, flow);
            NDArray pf = two.predictProbabilities(store, TwoStreamModels.pack(rgb, flow));
            assertTrue(pf.allClose(ps.add(pt).div(2), 1e-5, 1e-6, false), pf + " vs " + ps.add(pt).div(2));
            assertTrue(ps.sub(pt).abs().max().getFloat() > 1e-3, "random streams disagree, so the test tells them apart");
        }
    }

    @Test
    void streamsMustBeStreamsOfTheSameClasses() throws IOException {
        RunDir spatial = streamRun(Fuse.SPATIAL, LABELS);
        RunDir other = streamRun(Fuse.TEMPORAL, List.of("x", "y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fuse.builder()
                .setSpatial(spatial).setTemporal(other).setModel("two-stream").setOutput(tmp.resolve("f")).build());
        assertEquals("the spatial and temporal streams were trained on different classes", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Fuse.builder().setSpatial(spatial).setTemporal(spatial)
                .setModel("two-stream").setOutput(tmp.resolve("f")).build());
        assertTrue(e.getMessage().startsWith("fuses a spatial-stream and a temporal-stream run, got spatial-stream"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Fuse.trainedStream(tmp.resolve("none"), Fuse.TEMPORAL,
                "two-stream-avg"));
        assertTrue(e.getMessage().contains("no trained temporal-stream in " + tmp.resolve("none")), e.getMessage());
    }
}
