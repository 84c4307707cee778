package dev.kinema.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalarsTest {
    /** DJL's array-with-number operators that free the number while autograd still holds it. */
    @Test
    void noKinemaCodeCallsTheOperatorsThatFreeTheirNumberEarly() {
        JavaClasses kinema = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.kinema");
        ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName(Scalars.class.getName())
                .should().callMethod(NDArray.class, "mul", Number.class)
                .orShould().callMethod(NDArray.class, "div", Number.class)
                .orShould().callMethod(NDArray.class, "pow", Number.class)
                .orShould().callMethod(NDArray.class, "maximum", Number.class)
                .orShould().callMethod(NDArray.class, "minimum", Number.class)
                .orShould().callMethod(NDArrays.class, "mul", Number.class, NDArray.class)
                .orShould().callMethod(NDArrays.class, "maximum", Number.class, NDArray.class)
                .orShould().callMethod(NDArrays.class, "minimum", Number.class, NDArray.class)
                .because("DJL 0.35.1 frees the number's buffer while autograd still reads it; use dev.kinema.engine.Scalars");
        rule.check(kinema);
    }

    @Test
    void gradientsStayRightWhenTheCollectorRunsBetweenForwardAndBackward() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(1f, 65f).reshape(8, 8);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Scalars.mul(x, 0.25).add(Scalars.div(x, 4.0)).add(Scalars.pow(x, 2.0))
                        .add(Scalars.maximum(x, 10.5)).add(Scalars.minimum(x, 20.5));
                reuseFreedDirectMemory();
                collector.backward(y.sum());
            }
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                double v = i + 1;
                double want = 0.25 + 0.25 + 2 * v + (v > 10.5 ? 1 : 0) + (v < 20.5 ? 1 : 0);
                assertEquals(want, g[i], 1e-5, "d/dx at x = " + v);
            }
        }
    }

    @Test
    void theNumberTakesTheArraysType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ints = manager.create(new int[] {3, 6});
            NDArray scaled = Scalars.mul(ints, 2);
            assertEquals(ints.getDataType(), scaled.getDataType());
            assertEquals(12, scaled.toIntArray()[1]);
            assertEquals(new Shape(2), scaled.getShape());
        }
    }

    /** Collects garbage, then fills direct buffers of small sizes with NaN, so that freed ones are reused. */
    private static void reuseFreedDirectMemory() throws InterruptedException {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(20);
            for (int size = 4; size <= 256; size *= 2) {
                for (int k = 0; k < 16; k++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                    while (b.remaining() >= 4) {
                        b.putFloat(Float.NaN);
                    }
                    keep.add(b);
                }
            }
        }
        keep.clear();
    }
}
