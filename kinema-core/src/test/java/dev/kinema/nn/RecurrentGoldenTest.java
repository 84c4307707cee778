package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.io.FloatTensor;
import dev.kinema.weights.LoadReport;
import dev.kinema.weights.ParameterNames;
import dev.kinema.weights.SafetensorsFile;
import dev.kinema.weights.WeightLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kinema's LSTM, GRU, ConvLSTM and ConvGRU layers and the non-local block against torch 1.13
 * ({@code tools/golden/recurrent.py}): PyTorch's weights load by their own names, and the outputs
 * and the gradients of the input and of every parameter agree within 1e-5.
 */
class RecurrentGoldenTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> cases() {
        Supplier<Block> lstm = () -> Recurrent.lstm(4, 2);
        Supplier<Block> gru = () -> Recurrent.gru(4, 2);
        Supplier<Block> convLstm = () -> NamedSequential.layers()
                .add("0", new ConvRecurrentCell(Recurrent.Kind.LSTM, 3, 4, 3))
                .add("1", new ConvRecurrentCell(Recurrent.Kind.LSTM, 4, 4, 3));
        Supplier<Block> convGru = () -> NamedSequential.layers()
                .add("0", new ConvRecurrentCell(Recurrent.Kind.GRU, 3, 4, 3))
                .add("1", new ConvRecurrentCell(Recurrent.Kind.GRU, 4, 4, 3));
        Supplier<Block> nonLocal = () -> new NonLocalBlock(8, new Shape(1, 2, 2));
        return Stream.of(Arguments.of("lstm", lstm), Arguments.of("gru", gru), Arguments.of("conv_lstm", convLstm),
                Arguments.of("conv_gru", convGru), Arguments.of("non_local", nonLocal));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputsAndGradientsMatchTorch(String name, Supplier<Block> make) throws Exception {
        Block block = make.get();
        try (SafetensorsFile io = SafetensorsFile.open(golden(name + "_io.safetensors"));
                NDManager manager = NDManager.newBaseManager()) {
            FloatTensor input = io.read("input");
            Engine.getInstance().setRandomSeed(3);
            block.initialize(manager, DataType.FLOAT32, new Shape(input.shape()));
            LoadReport report = WeightLoader.strict().load(block, golden(name + ".safetensors"));
            assertTrue(report.isComplete(), report.summary());

            NDArray x = array(manager, input);
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
                collector.backward(y.mul(array(manager, io.read("grad_output"))).sum());
            }
            assertClose(name + " output", io.read("output"), y);
            assertClose(name + " input gradient", io.read("grad.input"), x.getGradient());
            Map<String, Parameter> parameters = ParameterNames.of(block);
            int checked = 0;
            for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
                if (p.getValue().requiresGradient()) {
                    assertClose(name + " gradient of " + p.getKey(), io.read("grad." + p.getKey()),
                            p.getValue().getArray().getGradient());
                    checked++;
                }
            }
            long torchGradients = io.names().stream().filter(n -> n.startsWith("grad.") && !n.equals("grad.input")).count();
            assertEquals(torchGradients, checked, "every torch parameter's gradient is compared");
        }
    }

    private static NDArray array(NDManager manager, FloatTensor t) {
        return manager.create(t.data(), new Shape(t.shape()));
    }

    private static void assertClose(String what, FloatTensor expected, NDArray actual) {
        assertEquals(new Shape(expected.shape()), actual.getShape(), what + " shape");
        float[] a = actual.toFloatArray();
        float[] e = expected.data();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - e[i]) / (1 + Math.abs(e[i])));
        }
        assertTrue(worst <= TOLERANCE, what + " differs from torch by " + worst);
    }

    private static Path golden(String file) throws Exception {
        return Path.of(RecurrentGoldenTest.class.getResource("/golden/recurrent/" + file).toURI());
    }
}
