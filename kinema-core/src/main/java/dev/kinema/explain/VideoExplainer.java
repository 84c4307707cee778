package dev.kinema.explain;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.eval.Metrics;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.flow.FlowSource;
import dev.kinema.models.VideoModel;
import dev.kinema.models.twostream.TwoStreamModels;
import dev.kinema.tasks.ClassificationTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.video.VideoFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Grad-CAM and saliency over a video's clips for a trained run (what {@code kinema explain gradcam}
 * runs): the clips are made as classification makes them ({@link VideoClassifier#centreClips}),
 * each is explained for one class, and {@link ExplanationFiles} writes the overlay GIF, the
 * per-frame timeline, the JSON and the page.
 *
 * <pre>{@code
 * try (VideoExplainer explainer = VideoExplainer.open(Path.of("kinema-out/demo/run"))) {
 *     VideoExplainer.Explanation e = explainer.explain(Path.of("video.mp4"), null, null, 1);
 * }
 * }</pre>
 */
public final class VideoExplainer implements AutoCloseable {
    private final Model holder;
    private final VideoModel model;
    private final ModelInput input;
    private final List<String> labels;
    private final VideoClassifier clips;

    /**
     * One clip explained.
     *
     * @param frames what the model saw, as pictures (RGB frames, or the flow stack's colours for a
     *     flow model)
     * @param flow the flow stack's colours for a two-stream model, else null
     * @param gradcam the Grad-CAM, T×H×W in [0, 1] (a two-stream model's: its spatial stream's)
     * @param flowGradcam a two-stream model's temporal stream's Grad-CAM, over the flow; else null
     * @param saliency the saliency map, T×H×W in [0, 1]
     */
    public record ClipExplanation(Clip.Source source, VideoFrames frames, VideoFrames flow, GradCam.Result gradcam,
            GradCam.Result flowGradcam, float[] saliency) {
        /** The saliency's mean per frame. */
        public double[] saliencyPerFrame() {
            return Maps.perFrame(saliency, gradcam.frames(), gradcam.height() * gradcam.width());
        }
    }

    /**
     * A video explained.
     *
     * @param target the class explained
     * @param top the top classes of the clips' averaged softmax
     */
    public record Explanation(Path video, String model, String layer, String target,
            List<VideoClassifier.LabelProbability> top, List<ClipExplanation> clips) {}

    private VideoExplainer(Model holder, VideoModel model, ModelInput input, List<String> labels, FlowSource flow) {
        this.holder = holder;
        this.model = model;
        this.input = input;
        this.labels = List.copyOf(labels);
        this.clips = new VideoClassifier(model, input, labels, flow);
    }

    /** A model already in memory: clips made by {@code input}, classes named by {@code labels}. */
    public static VideoExplainer of(VideoModel model, ModelInput input, List<String> labels, FlowSource flow) {
        return new VideoExplainer(null, model, input, labels, flow);
    }

    /**
     * The trained run in {@code run}, with the optical flow it trained on if its model takes flow.
     *
     * @throws IOException naming the run's file that is missing or bad
     * @throws IllegalArgumentException for a TorchScript run, which has no layers to explain
     */
    public static VideoExplainer open(Path run) throws IOException {
        RunDir dir = RunDir.open(run);
        return open(dir, dir.config().flowSource(null, null, null));
    }

    /**
     * The trained run {@code dir}.
     *
     * @param flow where optical flow comes from; null unless the model takes flow
     */
    public static VideoExplainer open(RunDir dir, FlowSource flow) throws IOException {
        Path run = dir.requireTask("explaining a classifier", ClassificationTask.NAME).dir();
        Model holder = Model.newInstance("explain");
        try {
            Block block = dir.loadModel(holder.getNDManager(), ModelFactory.registry());
            if (!(block instanceof VideoModel model)) {
                throw new IllegalArgumentException(run + ": a TorchScript model cannot be explained (its layers are not"
                        + " Kinema's); import the weights into a registry model instead");
            }
            return new VideoExplainer(holder, model, dir.input(), dir.labels(), flow);
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    public VideoModel model() {
        return model;
    }

    public List<String> labels() {
        return labels;
    }

    public ModelInput input() {
        return input;
    }

    /** The index of class {@code name}, or an error listing the classes. */
    public int classIndex(String name) {
        int k = labels.indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException("no class '" + name + "'; the classes are " + labels);
        }
        return k;
    }

    /**
     * Explains {@code clipCount} uniformly spaced clips of {@code video}.
     *
     * @param layer the Grad-CAM layer, or null for the model's default
     * @param className the class to explain, or null for the top class of the video (the clips'
     *     averaged softmax), so that every clip is explained for the same class
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public Explanation explain(Path video, String layer, String className, int clipCount) {
        Objects.requireNonNull(video, "video");
        List<Clip> decoded = clips.centreClips(video, clipCount);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = input.collate().collate(0, decoded).data(manager);
            float[][] probabilities = new float[decoded.size()][];
            for (int i = 0; i < decoded.size(); i++) {
                probabilities[i] = model.predictProbabilities(new ParameterStore(manager, false),
                        batch.get(i).expandDims(0)).toFloatArray();
            }
            float[] mean = Metrics.mean(List.of(probabilities));
            List<VideoClassifier.LabelProbability> top = new ArrayList<>();
            for (int k : Metrics.topK(mean, 5)) {
                top.add(new VideoClassifier.LabelProbability(labels.get(k), mean[k]));
            }
            int target = className != null ? classIndex(className) : Metrics.argmax(mean);
            boolean twoStream = TwoStreamModels.isTwoStream(model);
            if (twoStream && layer != null) {
                throw new IllegalArgumentException(model.name() + ": a two-stream model is explained at both streams'"
                        + " feature maps; it takes no --layer");
            }
            GradCam cam = GradCam.of(model, layer);
            List<ClipExplanation> out = new ArrayList<>();
            for (int i = 0; i < decoded.size(); i++) {
                NDArray one = batch.get(i).expandDims(0);
                GradCam.Result r;
                GradCam.Result flowMap = null;
                if (twoStream) {
                    TwoStreamGradCam.Result both = TwoStreamGradCam.explain(model, one, target);
                    r = both.spatial();
                    flowMap = both.temporal();
                } else {
                    r = cam.explain(one, target);
                }
                float[] saliency = Saliency.of(model, one, target);
                Clip c = decoded.get(i);
                VideoFrames pictures = c.frames() != null ? c.frames() : FlowPictures.of(c.flow());
                VideoFrames flow = c.frames() != null && c.flow() != null ? FlowPictures.of(c.flow()) : null;
                out.add(new ClipExplanation(c.source(), fit(pictures, r.frames()), flow, r, flowMap, saliency));
            }
            String layers = twoStream ? TwoStreamGradCam.SPATIAL + " and " + TwoStreamGradCam.TEMPORAL
                    : out.get(0).gradcam().layer();
            return new Explanation(video, model.name(), layers, labels.get(target), top, out);
        }
    }

    /** The pictures of a clip with as many frames as the model's input (a flow stack has L fields, a two-stream clip L frames). */
    private static VideoFrames fit(VideoFrames pictures, int frames) {
        if (pictures.frames() == frames) {
            return pictures;
        }
        int[] ts = new int[frames];
        for (int t = 0; t < frames; t++) {
            ts[t] = Math.min(pictures.frames() - 1, t);
        }
        return pictures.select(ts);
    }

    @Override
    public void close() {
        if (holder != null) {
            holder.close();
        }
    }
}
