package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conv, norm and activation are injected into every model through the config's LayerFactory. */
class LayerFactoryTest {
    @Test
    void everyConvolutionComesFromTheFactory() {
        List<ConvSpec> specs = new ArrayList<>();
        LayerFactory recording = LayerFactory.builder().optConv(spec -> {
            specs.add(spec);
            return LayerFactory.djlConv(spec);
        }).build();
        ModelRegistry.create("c3d", ModelConfig.builder().setNumClasses(5).optLayers(recording).build());
        assertEquals(8, specs.size());
        assertEquals(List.of(3L, 64L, 128L, 256L, 256L, 512L, 512L, 512L), specs.stream().map(ConvSpec::inChannels).toList());
        for (ConvSpec s : specs) {
            assertEquals(3, s.dims());
            assertEquals(new ai.djl.ndarray.types.Shape(3, 3, 3), s.kernel());
            assertEquals(new ai.djl.ndarray.types.Shape(1, 1, 1), s.padding());
            assertEquals(false, s.bias(), "a conv followed by BatchNorm needs no bias");
        }
    }

    @Test
    void normAndActivationAreInjected() {
        List<Long> normChannels = new ArrayList<>();
        LayerFactory custom = LayerFactory.builder()
                .optNorm((channels, dims) -> {
                    normChannels.add(channels);
                    return BatchNorm.builder().build();
                })
                .optActivation("GELU", Activation::gelu)
                .build();
        VideoModel model = ModelRegistry.create("toy-3d", ModelConfig.builder().setNumClasses(5).optLayers(custom).build());
        assertEquals(List.of(12L, 24L), normChannels);
        NamedSequential conv1 = (NamedSequential) ((NamedSequential) model.features()).get("conv1");
        assertEquals(List.of("conv", "norm", "act"), conv1.names());
        assertEquals("GELU", conv1.get("act").toString());
    }

    @Test
    void withoutNormConvolutionsGetBiases() {
        LayerFactory plain = LayerFactory.builder().optNoNorm().build();
        VideoModel model = ModelRegistry.create("toy-3d", ModelConfig.builder().setNumClasses(5).optLayers(plain).build());
        assertEquals((3 * 12 * 27 + 12) + (12 * 24 * 27 + 24) + (24 * 5 + 5), model.parameterCount());
        NamedSequential conv1 = (NamedSequential) ((NamedSequential) model.features()).get("conv1");
        assertEquals(List.of("conv", "act"), conv1.names());
    }
}
