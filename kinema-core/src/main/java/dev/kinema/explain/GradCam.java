package dev.kinema.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.eval.Metrics;
import dev.kinema.models.SmallestClips;
import dev.kinema.models.VideoModel;
import dev.kinema.viz.MapResize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grad-CAM over time (Selvaraju et al. 2017) for a video model, with mmaction2's convention
 * ({@code mmaction.utils.GradCAM}) for 3D feature maps:
 * <ol>
 *   <li>the target layer's output A (C×T'×H'×W') and the gradient G of the class score at it;</li>
 *   <li>channel weights per time step: {@code w[t][c] = mean over h, w of G[c][t][h][w]};</li>
 *   <li>the map {@code L[t] = ReLU(Σ_c w[t][c]·A[c][t])}, one per time step of the layer;</li>
 *   <li>trilinear upsampling to the clip's T×H×W ({@code align_corners=False}, as
 *       {@code F.interpolate});</li>
 *   <li>min–max normalisation over the whole clip: {@code (L - min) / (max - min + 1e-6)}.</li>
 * </ol>
 * A per-frame layer (TSM's and the frame models' (N·T)×C×H×W maps) is read as T' = N·T time steps,
 * as mmaction2's 2D branch does.
 *
 * <p><b>The class score</b> is the model's inference output for the class (the logit for most
 * models, before any softmax, as in the Grad-CAM paper); mmaction2 differentiates its averaged
 * softmax instead, which gives the same map up to the softmax's coupling of classes. The target is
 * the top class unless one is given.
 *
 * <p>The layer is any stage of {@link VideoModel#forwardIntermediates} with a spatio-temporal
 * output, or a layer inside one (see {@link LayerTap}); by default the backbone's last stage, what
 * mmaction2's configs name ({@code backbone/layer4/1/relu}) and {@link #defaultLayer} returns.
 *
 * <pre>{@code
 * GradCam.Result r = GradCam.of(model).explain(clip, null);   // clip 1×C×T×H×W, top class
 * float[] map = r.map();                                      // T×H×W in [0, 1]
 * }</pre>
 */
public final class GradCam {
    /** mmaction2's guard against a flat map: the normalisation divides by max - min + 1e-6. */
    static final double EPSILON = 1e-6;

    private final VideoModel model;
    private final String layer;

    private GradCam(VideoModel model, String layer) {
        this.model = model;
        this.layer = layer;
    }

    /** Grad-CAM at the model's default layer. */
    public static GradCam of(VideoModel model) {
        return new GradCam(model, null);
    }

    /** Grad-CAM at {@code layer} (a module path such as {@code conv3} or {@code layer4}); null for the default. */
    public static GradCam of(VideoModel model, String layer) {
        return new GradCam(model, layer);
    }

    /**
     * One clip's explanation.
     *
     * @param target the class explained
     * @param score its score (the model's inference output)
     * @param layer the layer whose output was weighted
     * @param layerShape that output's shape, C×T'×H'×W'
     * @param scores every class's score
     * @param map the Grad-CAM, T×H×W row-major in [0, 1], the clip's size
     * @param frames T, the clip's frames
     * @param height H
     * @param width W
     */
    public record Result(int target, double score, String layer, Shape layerShape, float[] scores, float[] map,
            int frames, int height, int width) {
        /** The mean of the map over each frame: where in time the evidence lies. */
        public double[] perFrame() {
            return Maps.perFrame(map, frames, height * width);
        }
    }

    /**
     * The backbone's last stage with a spatio-temporal output for a clip of the model's input
     * shape: the name Grad-CAM uses when none is given.
     */
    public static String defaultLayer(VideoModel model) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray clip = manager.zeros(new Shape(1).addAll(model.inputShape()));
            return defaultLayer(LayerTap.stages(model, clip, new ParameterStore(manager, false)));
        }
    }

    /**
     * The layer Grad-CAM explains by default for the registered model {@code name} (with
     * {@code backbone}, or null for the default), as its model card names it ({@code kinema models
     * NAME}): {@link #defaultLayer(VideoModel)} of the model on its smallest clip, since stage names
     * do not depend on the clip's size. Null for a model none of whose stages has a spatio-temporal
     * output (a transformer's token sequences, a recurrent model's per-frame vectors).
     */
    public static String defaultLayer(String name, String backbone) {
        VideoModel model = SmallestClips.smallest(name, backbone, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager);
            NDArray clip = manager.zeros(new Shape(1).addAll(model.inputShape()));
            return spatioTemporalStage(LayerTap.stages(model, clip, new ParameterStore(manager, false)));
        }
    }

    private static String defaultLayer(Map<String, NDList> stages) {
        String found = spatioTemporalStage(stages);
        if (found == null) {
            throw new IllegalArgumentException("no stage has a spatio-temporal output; stages are " + stages.keySet());
        }
        return found;
    }

    /** The last stage whose output is a clip map N×C×T×H×W or a per-frame map (N·T)×C×H×W; null if none. */
    private static String spatioTemporalStage(Map<String, NDList> stages) {
        String found = null;
        for (Map.Entry<String, NDList> e : stages.entrySet()) {
            int dims = e.getValue().head().getShape().dimension();
            if (dims == 5 || dims == 4) {
                found = e.getKey();
            }
        }
        return found;
    }

    /**
     * Explains one clip.
     *
     * @param clip 1×C×T×H×W, as the model takes it
     * @param target the class to explain, or null for the top class
     * @throws IllegalArgumentException for a bad clip, class or layer, naming it
     */
    public Result explain(NDArray clip, Integer target) {
        Shape s = clip.getShape();
        if (s.dimension() != 5 || s.get(0) != 1) {
            throw new IllegalArgumentException("Grad-CAM explains one clip 1 x C x T x H x W, got " + s);
        }
        try (NDManager manager = clip.getManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = clip.duplicate();
            x.attach(manager);
            Map<String, NDList> stageMap = LayerTap.stages(model, x, store);
            List<String> stages = new ArrayList<>(stageMap.keySet());
            String name = layer != null ? layer : defaultLayer(stageMap);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                LayerTap.Pass pass = LayerTap.forward(model, name, x, store, stages);
                float[] scores = pass.scores().toFloatArray();
                int k = target != null ? checkTarget(target, scores.length) : Metrics.argmax(scores);
                collector.backward(pass.scores().get(0, k));
                return result(name, pass.activation(), k, scores, s);
            }
        }
    }

    /**
     * The Grad-CAM of {@code layer}'s output {@code activation} (a leaf whose gradient the backward
     * pass of class {@code target}'s score has filled in) for a clip of shape {@code clip} (1×C×T×H×W).
     */
    static Result result(String layer, NDArray activation, int target, float[] scores, Shape clip) {
        NDArray g = activation.getGradient();
        Shape as = activation.getShape();
        int[] ctHW = layout(as, layer);
        float[] act = toCTHW(activation.toFloatArray(), as, ctHW);
        float[] grad = toCTHW(g.toFloatArray(), as, ctHW);
        int t = (int) clip.get(2);
        int h = (int) clip.get(3);
        int w = (int) clip.get(4);
        float[] map = localizationMap(act, grad, ctHW[0], ctHW[1], ctHW[2], ctHW[3], t, h, w);
        return new Result(target, scores[target], layer, new Shape(ctHW[0], ctHW[1], ctHW[2], ctHW[3]), scores, map,
                t, h, w);
    }

    /**
     * The arithmetic alone, mmaction2's: activations and gradients C×T'×H'×W' (row-major) to the
     * normalised map T×H×W in [0, 1].
     */
    public static float[] localizationMap(float[] activations, float[] gradients, int c, int t, int h, int w,
            int outT, int outH, int outW) {
        int plane = h * w;
        if (activations.length != c * t * plane || gradients.length != activations.length) {
            throw new IllegalArgumentException("activations and gradients must both be " + c + "x" + t + "x" + h + "x" + w);
        }
        double[] map = new double[t * plane];
        for (int ti = 0; ti < t; ti++) {
            for (int ci = 0; ci < c; ci++) {
                int base = (ci * t + ti) * plane;
                double weight = 0;
                for (int p = 0; p < plane; p++) {
                    weight += gradients[base + p];
                }
                weight /= plane;
                for (int p = 0; p < plane; p++) {
                    map[ti * plane + p] += weight * activations[base + p];
                }
            }
        }
        for (int i = 0; i < map.length; i++) {
            map[i] = Math.max(0, map[i]);
        }
        return Maps.normalise(MapResize.trilinear(map, t, h, w, outT, outH, outW));
    }

    /** C, T', H', W' of a layer output: N×C×T×H×W with N = 1, or per frame T×C×H×W. */
    private static int[] layout(Shape s, String name) {
        if (s.dimension() == 5 && s.get(0) == 1) {
            return new int[] {(int) s.get(1), (int) s.get(2), (int) s.get(3), (int) s.get(4)};
        }
        if (s.dimension() == 4) {
            return new int[] {(int) s.get(1), (int) s.get(0), (int) s.get(2), (int) s.get(3)};
        }
        throw new IllegalArgumentException("layer " + name + " has output " + s
                + ", not a spatio-temporal map (1 x C x T x H x W, or per frame T x C x H x W)");
    }

    /** Row-major values of shape {@code s} in C×T×H×W order (a per-frame T×C×H×W map is transposed). */
    private static float[] toCTHW(float[] values, Shape s, int[] ctHW) {
        if (s.dimension() == 5) {
            return values;
        }
        int c = ctHW[0];
        int t = ctHW[1];
        int plane = ctHW[2] * ctHW[3];
        float[] out = new float[values.length];
        for (int ti = 0; ti < t; ti++) {
            for (int ci = 0; ci < c; ci++) {
                System.arraycopy(values, (ti * c + ci) * plane, out, (ci * t + ti) * plane, plane);
            }
        }
        return out;
    }

    static int checkTarget(int target, int classes) {
        if (target < 0 || target >= classes) {
            throw new IllegalArgumentException("class " + target + " is not one of the model's " + classes + " classes");
        }
        return target;
    }
}
