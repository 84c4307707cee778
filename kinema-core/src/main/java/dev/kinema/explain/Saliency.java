package dev.kinema.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.eval.Metrics;
import dev.kinema.models.VideoModel;

/**
 * Saliency (Simonyan et al. 2014) over a clip: {@code |∂score/∂input|}, the maximum over the input's
 * channels, per pixel and frame, then min–max normalised like {@link GradCam}'s maps. For a flow
 * or two-stream input the channels are the flow's dx and dy (and RGB), so the map says where the
 * model is sensitive, whichever channel it reads.
 */
public final class Saliency {
    private Saliency() {}

    /**
     * @param clip 1×C×T×H×W, as the model takes it
     * @param target the class, or null for the top class
     * @return the map T×H×W in [0, 1]
     */
    public static float[] of(VideoModel model, NDArray clip, Integer target) {
        Shape s = clip.getShape();
        if (s.dimension() != 5 || s.get(0) != 1) {
            throw new IllegalArgumentException("saliency explains one clip 1 x C x T x H x W, got " + s);
        }
        try (NDManager manager = clip.getManager().newSubManager()) {
            NDArray x = clip.duplicate();
            x.attach(manager);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray scores = model.forward(new ParameterStore(manager, false), new NDList(x), false)
                        .singletonOrThrow();
                float[] values = scores.toFloatArray();
                int k = target != null ? GradCam.checkTarget(target, values.length) : Metrics.argmax(values);
                collector.backward(scores.get(0, k));
            }
            float[] grad = x.getGradient().abs().max(new int[] {1}).toFloatArray();
            double[] map = new double[grad.length];
            for (int i = 0; i < grad.length; i++) {
                map[i] = grad[i];
            }
            return Maps.normalise(map);
        }
    }
}
