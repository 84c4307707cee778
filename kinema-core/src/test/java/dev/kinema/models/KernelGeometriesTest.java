package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.engine.EngineGuard;
import dev.kinema.nn.CausalConv3d;
import dev.kinema.nn.ConvGeometry;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.GuardedConv3d;
import dev.kinema.nn.InferenceOptions;
import dev.kinema.nn.KernelCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kernel check's goldens cover exactly the convolutions the registered models run: adding a
 * model, or changing one's layers, fails here until the geometries and goldens are regenerated.
 * With {@code -Dkinema.writeGeometries=true} this test writes the geometry list instead, for
 * {@code tools/golden/kernel_goldens.py}.
 */
class KernelGeometriesTest {
    private static final Path LIST = Path.of("src/main/resources/dev/kinema/nn/kernel-geometries.txt");

    @Test
    void goldensCoverEveryConvolutionOfEveryRegisteredModel() throws IOException {
        Set<String> models = SmallestClips.convolutionGeometries().stream().map(ConvGeometry::line)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (Boolean.getBoolean("kinema.writeGeometries")) {
            Files.writeString(LIST, "# " + models.size() + " convolution geometries: every registered model at its smallest"
                    + " clip, batch " + SmallestClips.BATCH + ", as declared and as run (KernelGeometriesTest)\n" + String.join("\n", models) + "\n");
        }
        Set<String> golden = KernelCheck.goldens().stream().map(g -> g.geometry().line())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String regenerate = "regenerate: mvn -q -pl kinema-core test -Dtest=KernelGeometriesTest"
                + " -Dkinema.writeGeometries=true, then /usr/bin/python3 tools/golden/kernel_goldens.py";
        Set<String> missing = new LinkedHashSet<>(models);
        missing.removeAll(golden);
        assertTrue(missing.isEmpty(), () -> missing.size() + " geometries without goldens, e.g. "
                + missing.iterator().next() + "; " + regenerate);
        assertEquals(models, golden, "goldens for geometries no model runs; " + regenerate);
        assertTrue(models.size() > 50, "too few geometries: " + models.size());
    }

    @Test
    void theGeometryCheckedIsTheOneTheKernelGets() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A causal 3x3x3 convolution declares a symmetric temporal padding of 1 but pads two past frames itself.
            CausalConv3d causal = CausalConv3d.of(ConvSpec.conv3d(4, 8, 3, 3, 3));
            causal.initialize(m, DataType.FLOAT32, new Shape(2, 4, 4, 16, 16));
            assertEquals(Set.of("3d 2x4x4x16x16 o8 k3x3x3 s1x1x1 p1x1x1 d1x1x1 g1 b0"),
                    ConvGeometry.within(causal).stream().map(ConvGeometry::line).collect(Collectors.toSet()));
            assertEquals(Set.of("3d 2x4x6x16x16 o8 k3x3x3 s1x1x1 p0x1x1 d1x1x1 g1 b0"), run(causal, m, 2));

            // Switched on, an eval-mode batch of one runs as two halves, a batch of two, wherever oneDNN is verified.
            GuardedConv3d conv = GuardedConv3d.of(ConvSpec.conv3d(64, 64, 3, 3, 3));
            conv.initialize(m, DataType.FLOAT32, new Shape(1, 64, 4, 14, 14));
            String whole = "3d 1x64x4x14x14 o64 k3x3x3 s1x1x1 p1x1x1 d1x1x1 g1 b0";
            assertEquals(Set.of(whole), run(conv, m, 1), "off by default");
            System.setProperty(InferenceOptions.TWO_HALVES, "true");
            try {
                assertEquals(Set.of(EngineGuard.onednnEnabled() ? "3d 2x64x4x14x14 o64 k3x3x3 s1x1x1 p0x1x1 d1x1x1 g1 b0" : whole),
                        run(conv, m, 1));
            } finally {
                System.clearProperty(InferenceOptions.TWO_HALVES);
            }
        }
    }

    private static Set<String> run(GuardedConv3d conv, NDManager m, int batch) {
        try (NDManager step = m.newSubManager()) {
            NDArray x = step.ones(new Shape(batch).addAll(conv.getInputShapes()[0].slice(1)));
            return ConvGeometry.whileRunning(() -> conv.forward(new ParameterStore(step, false), new NDList(x), false))
                    .stream().map(ConvGeometry::line).collect(Collectors.toSet());
        }
    }

    @Test
    void geometriesAreReadAsTheConvolutionsRun() {
        ConvGeometry g = ConvGeometry.parse("3d 2x64x4x8x8 o128 k3x1x1 s2x1x1 p1x0x0 d1x1x1 g1 b0");
        assertEquals(5, g.input().dimension());
        assertEquals(List.of(128L, 64L, 3L, 1L, 1L), List.of(g.weightShape().get(0), g.weightShape().get(1),
                g.weightShape().get(2), g.weightShape().get(3), g.weightShape().get(4)));
        assertEquals("3d 2x64x4x8x8 o128 k3x1x1 s2x1x1 p1x0x0 d1x1x1 g1 b0", g.line());
        VideoModel x3d = SmallestClips.smallest("x3d_xs", null, 3);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            x3d.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(2).addAll(x3d.inputShape()));
            // X3D's depthwise 3x3x3 convolutions are grouped by channel: the geometry keeps the groups.
            assertTrue(ConvGeometry.within(x3d).stream().anyMatch(c -> c.groups() > 1 && c.groups() == c.input().get(1)));
        }
    }
}
