package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Shape INPUT = new Shape(2, 3, 4, 8, 8);
    private static final TrainConfig CONFIG = TrainConfig.builder().setData("data").setModel(TestModels.NAME)
            .optFrames(4).optSize(8).build();
    private static final List<String> LABELS = List.of("left", "right");

    @TempDir
    Path dir;

    /** A model and optimiser after one real update, so parameters, BN statistics and moments are all non-trivial. */
    private static Block trained(NDManager manager, StatefulOptimizer optimizer) {
        Engine.getInstance().setRandomSeed(7);
        Block model = TestModels.smallConv(2);
        model.initialize(manager, DataType.FLOAT32, INPUT);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(INPUT);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = model.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.square().sum());
            }
            optimizer.step(model.getParameters(), 0.01f, step);
        }
        return model;
    }

    private static Checkpoint.Header header(int epoch) {
        EpochMetrics m = new EpochMetrics(epoch, 0.01, 0.7, Map.of("top1", 0.5), 8, 10, 1,
                Map.of("clip_top1", 0.5, "video_top1", 0.75, "video_top5", 1.0, "mean_class_accuracy", 0.75));
        return new Checkpoint.Header(CONFIG, LABELS, epoch, 4L * epoch, List.of(m));
    }

    private static byte[] optimizerBytes(StatefulOptimizer optimizer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        optimizer.save(new DataOutputStream(out));
        return out.toByteArray();
    }

    @Test
    void roundTripRestoresParametersStatisticsAndOptimizer() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0.05f);
                StatefulOptimizer restored = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0.05f)) {
            Block model = trained(manager, optimizer);
            Path file = Checkpoint.write(dir.resolve("c.ckpt"), header(3), model, optimizer);

            Engine.getInstance().setRandomSeed(99);
            Block fresh = TestModels.smallConv(2);
            fresh.initialize(manager, DataType.FLOAT32, INPUT);
            Checkpoint.Header h = Checkpoint.load(file, fresh, manager, restored);
            // The header survives JSON: configuration and history with the task's metrics.
            assertEquals(header(3), h);
            assertEquals(0.75, h.history().get(0).validation("video_top1"));
            List<Pair<String, Parameter>> a = model.getParameters().stream().toList();
            List<Pair<String, Parameter>> b = fresh.getParameters().stream().toList();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).getKey(), b.get(i).getKey());
                assertArrayEquals(a.get(i).getValue().getArray().toFloatArray(),
                        b.get(i).getValue().getArray().toFloatArray(), a.get(i).getKey());
                // Trainable parameters can train again after loading.
                assertEquals(a.get(i).getValue().requiresGradient(), b.get(i).getValue().getArray().hasGradient(),
                        a.get(i).getKey());
            }
            // The running mean moved away from its initial zeros in the update, so it was saved for real.
            float[] runningMean = b.stream().filter(p -> p.getValue().getType() == Parameter.Type.RUNNING_MEAN)
                    .findFirst().orElseThrow().getValue().getArray().toFloatArray();
            assertTrue(IntStream.range(0, runningMean.length).anyMatch(i -> runningMean[i] != 0),
                    Arrays.toString(runningMean));
            assertArrayEquals(optimizerBytes(optimizer), optimizerBytes(restored));
            assertEquals(1, restored.steps());
        }
    }

    @Test
    void aFailureMidWriteLeavesThePreviousCheckpointIntact() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.sgd(manager, 0.9f, 1e-4f)) {
            Block model = trained(manager, optimizer);
            Path file = Checkpoint.write(dir.resolve("c.ckpt"), header(1), model, optimizer);
            byte[] before = Files.readAllBytes(file);

            // A model whose parameters fail to save halfway, like a full disk.
            Block failing = new SequentialBlock() {
                @Override
                public void saveParameters(DataOutputStream os) throws IOException {
                    os.write(new byte[4096]);
                    throw new IOException("no space left on device");
                }
            };
            IOException e = assertThrows(IOException.class,
                    () -> Checkpoint.write(file, header(2), failing, optimizer));
            assertEquals(file + ": could not be written: no space left on device; the previous c.ckpt is intact",
                    e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
            }
            assertEquals(1, Checkpoint.readHeader(file).epoch());
        }
    }

    @Test
    void damagedFilesAreReportedWithTheirName() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.sgd(manager, 0.9f, 1e-4f);
                StatefulOptimizer other = StatefulOptimizer.sgd(manager, 0.9f, 1e-4f)) {
            Block model = trained(manager, optimizer);
            Path file = Checkpoint.write(dir.resolve("c.ckpt"), header(1), model, optimizer);
            byte[] bytes = Files.readAllBytes(file);
            Path cut = Files.write(dir.resolve("cut.ckpt"), Arrays.copyOf(bytes, bytes.length - 40));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(cut, model, manager, other));
            assertEquals(cut + ": damaged: it has no checksum (cut short, or not written by Kinema)", e.getMessage());

            Path text = Files.writeString(dir.resolve("notes.ckpt"), "hello");
            e = assertThrows(IOException.class, () -> Checkpoint.readHeader(text));
            assertEquals(text + ": not a Kinema checkpoint", e.getMessage());

            // Parameters of another architecture do not fit.
            Block bigger = ModelFactory.registry().create("tiny-3d", 2, 4, 16);
            bigger.initialize(manager, DataType.FLOAT32, INPUT);
            e = assertThrows(IOException.class, () -> Checkpoint.load(file, bigger, manager, null));
            assertTrue(e.getMessage().startsWith(file + ": the saved parameters do not fit model 'test-conv'"),
                    e.getMessage());
        }
    }

    @Test
    void flippedBytesAnywhereAreRefusedByNameBeforeAnythingLoads() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.sgd(manager, 0.9f, 1e-4f)) {
            Block model = trained(manager, optimizer);
            Path file = Checkpoint.write(dir.resolve("c.ckpt"), header(1), model, optimizer);
            byte[] whole = Files.readAllBytes(file);
            // In the parameters (the middle) and in the header's JSON: both would load without the checksum.
            for (int at : new int[] {whole.length / 2, 40}) {
                byte[] damaged = whole.clone();
                for (int k = at; k < at + 16; k++) {
                    damaged[k] ^= 0x01;
                }
                Files.write(file, damaged);
                IOException e = assertThrows(IOException.class, () -> Checkpoint.readHeader(file));
                assertTrue(e.getMessage().startsWith(file + ": damaged"), e.getMessage());
                Block fresh = TestModels.smallConv(2);
                fresh.initialize(manager, DataType.FLOAT32, INPUT);
                float[] before = fresh.getParameters().get(0).getValue().getArray().toFloatArray();
                e = assertThrows(IOException.class, () -> Checkpoint.load(file, fresh, manager, null));
                assertTrue(e.getMessage().startsWith(file + ": damaged"), e.getMessage());
                assertArrayEquals(before, fresh.getParameters().get(0).getValue().getArray().toFloatArray(), "nothing was loaded");
            }
        }
    }

    @Test
    void aCheckpointOfTheFormatBeforeChecksumsStillLoads() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.sgd(manager, 0.9f, 1e-4f)) {
            Block model = trained(manager, optimizer);
            Path file = Checkpoint.write(dir.resolve("c.ckpt"), header(2), model, optimizer);
            byte[] v2 = Files.readAllBytes(file);
            // Version 1: the same bytes without the 16-byte trailer, version int after the UTF magic.
            byte[] v1 = Arrays.copyOf(v2, v2.length - 16);
            int versionAt = 2 + Checkpoint.MAGIC.length();
            java.nio.ByteBuffer.wrap(v1).putInt(versionAt, 1);
            Files.write(file, v1);
            assertEquals(2, Checkpoint.readHeader(file).epoch());
        }
    }
}
