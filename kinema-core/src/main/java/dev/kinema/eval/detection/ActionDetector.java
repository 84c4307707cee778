package dev.kinema.eval.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipCollate;
import dev.kinema.data.loader.ClipDecoder;
import dev.kinema.data.loader.ModelInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs a RoI action model (e.g. {@code roi-tiny-3d}) on a video's keyframes, as MMAction2's AVA
 * test pipeline does: for each keyframe, the clip centred on it (the middle one of a window of
 * {@link #WINDOW_SECONDS} around it, shorter at the video's ends), decoded at the model's decode
 * size and <em>not</em> cropped (the whole frame, so no actor is cut away), the given person boxes
 * as regions, and one sigmoid score per box and action. The result rows are AVA detections
 * ({@link ActorBox} with a score), ready for {@link AvaFrameMap} or an AVA CSV.
 */
public final class ActionDetector {
    /** The window each keyframe's clip is taken from the middle of. */
    public static final double WINDOW_SECONDS = AvaDataset.KEYFRAME_WINDOW_SECONDS;

    private final Block model;
    private final ClipDecoder decoder;
    private final ClipCollate collate;
    private final List<Integer> actionIds;

    /**
     * @param model the trained model, whose outputs follow {@code actionIds}
     * @param input how the run's clips are made (frames, stride or fps, decode size, normalisation)
     * @param actionIds the AVA action id of each model output, in output order
     */
    public ActionDetector(Block model, ModelInput input, List<Integer> actionIds) {
        this.model = Objects.requireNonNull(model, "model");
        this.decoder = input.decoder(input.sampler().mode("uniform").test(true).clips(1).build(), null);
        this.collate = input.collate();
        this.actionIds = List.copyOf(actionIds);
    }

    /**
     * Detections of every person box on every keyframe of {@code video}: one row per box and action,
     * scored by the action's sigmoid, with the box's person id.
     *
     * @param persons person boxes by keyframe (whole seconds), corners normalised to [0, 1]
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public List<ActorBox> detect(Path video, String videoId, Map<Integer, List<ActorBox>> persons) throws IOException {
        List<ActorBox> out = new ArrayList<>();
        for (Map.Entry<Integer, List<ActorBox>> keyframe : new LinkedHashMap<>(persons).entrySet()) {
            List<ActorBox> boxes = keyframe.getValue();
            if (boxes.isEmpty()) {
                continue;
            }
            float[][] scores = scores(video, keyframe.getKey(), boxes);
            for (int b = 0; b < boxes.size(); b++) {
                ActorBox p = boxes.get(b);
                for (int a = 0; a < actionIds.size(); a++) {
                    out.add(new ActorBox(videoId, keyframe.getKey(), p.x1(), p.y1(), p.x2(), p.y2(), actionIds.get(a),
                            p.personId(), scores[b][a]));
                }
            }
        }
        return out;
    }

    /** The sigmoid scores, boxes × actions, of {@code boxes} on the keyframe at {@code timestamp}. */
    public float[][] scores(Path video, int timestamp, List<ActorBox> boxes) throws IOException {
        double start = Math.max(0, timestamp - WINDOW_SECONDS / 2);
        VideoSample sample = VideoSample.ofFile(video, -1, null, "test").withTimes(start, timestamp + WINDOW_SECONDS / 2);
        List<Clip> clips = decoder.decode(sample, null);
        ClipBatch batch = collate.collate(0, clips.subList(0, 1));
        float[] rois = new float[5 * boxes.size()];
        for (int b = 0; b < boxes.size(); b++) {
            ActorBox p = boxes.get(b);
            System.arraycopy(new float[] {0, (float) p.x1(), (float) p.y1(), (float) p.x2(), (float) p.y2()}, 0, rois, 5 * b, 5);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = model.forward(new ParameterStore(manager, false),
                    new NDList(batch.data(manager), manager.create(rois, new Shape(boxes.size(), 5))), false).singletonOrThrow();
            float[] flat = Activation.sigmoid(logits).toFloatArray();
            int k = actionIds.size();
            if (flat.length != boxes.size() * k) {
                throw new IllegalArgumentException("the model gives " + flat.length / Math.max(1, boxes.size())
                        + " scores per box, not one per action of the label map (" + k + ")");
            }
            float[][] out = new float[boxes.size()][k];
            for (int b = 0; b < boxes.size(); b++) {
                System.arraycopy(flat, b * k, out[b], 0, k);
            }
            return out;
        }
    }

    /**
     * The distinct boxes of ground-truth rows (an actor with several actions has one row each, at
     * one place), by keyframe: the person boxes AVA's "ground-truth boxes" setting detects on.
     */
    public static Map<Integer, List<ActorBox>> personBoxes(List<ActorBox> rows) {
        Map<Integer, Map<List<Double>, ActorBox>> byKeyframe = new TreeMap<>();
        for (ActorBox r : rows) {
            byKeyframe.computeIfAbsent(r.timestamp(), t -> new LinkedHashMap<>())
                    .putIfAbsent(List.of(r.x1(), r.y1(), r.x2(), r.y2()), r);
        }
        Map<Integer, List<ActorBox>> out = new LinkedHashMap<>();
        byKeyframe.forEach((t, boxes) -> out.put(t, List.copyOf(boxes.values())));
        return out;
    }
}
