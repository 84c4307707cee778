package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.nn.ConvGeometry;
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
                    + " clip, batch " + SmallestClips.BATCH + " (KernelGeometriesTest)\n" + String.join("\n", models) + "\n");
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
