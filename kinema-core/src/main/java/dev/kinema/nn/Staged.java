package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * A network whose forward pass can hand out its stages' outputs (timm's
 * {@code forward_intermediates}), for heads that need more than the last feature map: detection,
 * localisation, feature pyramids.
 */
public interface Staged {
    /**
     * Runs the block on {@code inputs} and puts, in order, each stage's output into {@code stages}
     * under its module path (below {@code prefix}, as in the layer table); the last one put is the
     * block's output, which is also returned. Outputs keep the clip layout N×C×T×H×W where the
     * network has one; a multi-pathway stage gives one array per pathway.
     */
    NDList forwardStages(ParameterStore parameterStore, NDList inputs, boolean training, String prefix,
            Map<String, NDList> stages);
}
