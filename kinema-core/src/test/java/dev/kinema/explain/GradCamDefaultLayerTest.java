package dev.kinema.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.models.SmallestClips;
import dev.kinema.models.VideoModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grad-CAM layer each model card names ({@link GradCam#defaultLayer(String, String)}) across the
 * registry: the convolutional families name their last spatio-temporal stage, mmaction2's choice
 * ({@code layer4} of a ResNet, {@code Mixed_5c} of I3D), and Grad-CAM without a layer explains that
 * very layer, with a map of the clip's size in [0, 1].
 */
class GradCamDefaultLayerTest {
    /** One model of each convolutional family, and the stage its card must name. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("slow-fusion", "conv4");
        EXPECTED.put("tiny-3d", "conv2");
        EXPECTED.put("r3d_18", "layer4");
        EXPECTED.put("r2plus1d_18", "layer4");
        EXPECTED.put("tsm_r18", "clips");   // layer4's per-frame maps regrouped into clips
        EXPECTED.put("i3d", "Mixed_5c");
        EXPECTED.put("temporal-stream", "pool4");
    }

    @Test
    void convolutionalFamiliesNameTheirLastStage() {
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            assertEquals(e.getValue(), GradCam.defaultLayer(e.getKey(), null), e.getKey());
        }
    }

    @Test
    void gradCamWithoutALayerExplainsTheNamedOne() {
        for (String name : EXPECTED.keySet()) {
            if (name.equals("i3d") || name.equals("r2plus1d_18")) {
                continue;   // the others already cover 3D, per-frame and flow stages in seconds
            }
            VideoModel model = SmallestClips.smallest(name, null, 2);
            try (NDManager manager = NDManager.newBaseManager()) {
                model.initialize(manager);
                NDArray clip = manager.randomNormal(new Shape(1).addAll(model.inputShape()));
                GradCam.Result r = GradCam.of(model).explain(clip, 1);
                assertEquals(EXPECTED.get(name), r.layer(), name);
                Shape s = model.inputShape();
                assertEquals(s.get(1) * s.get(2) * s.get(3), r.map().length, name + ": one value per input pixel");
                for (float m : r.map()) {
                    assertTrue(m >= 0 && m <= 1, name + ": map value " + m);
                }
            }
        }
    }

    /**
     * Across the registry, every model with a convolutional backbone names a layer; the ones that
     * name none are those whose stages are token sequences or whose backbone output is pooled
     * vectors already (transformers, the two-stream and audio-visual fusions, whose streams
     * {@link VideoExplainer} explains one by one).
     */
    @Test
    void everyConvolutionalModelInTheRegistryNamesALayer() {
        Set<String> none = new TreeSet<>();
        for (SmallestClips.Variant v : SmallestClips.variants()) {
            if (REFERENCE_TRANSFORMER.matcher(v.name()).matches()) {
                continue;   // 35-120 M parameters each to build; their small configurations are the same blocks
            }
            if (GradCam.defaultLayer(v.name(), v.backbone()) == null) {
                none.add(v.name());
            }
        }
        for (String name : none) {
            assertTrue(NO_SPATIO_TEMPORAL_STAGE.matcher(name).matches(), name + " names no Grad-CAM layer");
        }
        assertTrue(none.contains("vivit-joint-small") && none.contains("two-stream"), none.toString());
    }

    private static final Pattern REFERENCE_TRANSFORMER =
            Pattern.compile("vivit-(joint|fe|fsa|fdp)|timesformer(-joint|-space)?|mvit_v1_b|mvit_v2_s|videomae");

    private static final Pattern NO_SPATIO_TEMPORAL_STAGE =
            Pattern.compile("vivit.*|timesformer.*|mvit.*|videomae.*|two-stream.*|av-.*");
}
