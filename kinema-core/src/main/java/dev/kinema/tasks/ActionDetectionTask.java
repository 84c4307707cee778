package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.FieldTransform;
import dev.kinema.data.loader.KeyframeBoxes;
import dev.kinema.eval.detection.ActionDetector;
import dev.kinema.eval.detection.AvaFrameMap;
import dev.kinema.viz.Html;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spatio-temporal action detection, AVA's task as MMAction2's AVA recipe trains it: each training
 * clip is labelled with the actor boxes of the keyframe nearest its centre ({@link KeyframeBoxes},
 * from the dataset folder's AVA CSV), each actor box is one region of interest with a multi-hot
 * target over the label map's actions, and the loss is the mean per-action sigmoid binary
 * cross-entropy. Ground-truth boxes are jittered in training (each corner moved by up to
 * {@link #JITTER} of the box's size, drawn from the batch's generator), standing in for the
 * imperfect person boxes seen at test time. Validation detects on the validation videos' keyframes
 * with their ground-truth person boxes ({@link ActionDetector}; AVA's "ground-truth boxes" setting)
 * and reports AVA's frame mAP@0.5 ({@link AvaFrameMap}).
 *
 * <p>The model takes {@code (clips, rois)}, rois R×5 {@code batchIndex, x1, y1, x2, y2} normalised
 * to the clip's frame, and gives R×actions logits: a RoI model such as {@code roi-tiny-3d}.
 */
public final class ActionDetectionTask implements TrainingTask {
    public static final String NAME = "action-detection";
    public static final String FRAME_MAP = "frame_map";
    public static final String ACTOR_HIT = "actor_hit";
    /** How far each corner of a training box may move, as a share of the box's width or height. */
    public static final double JITTER = 0.05;

    public static final TaskDefinition DEFINITION = new TaskDefinition(NAME,
            "spatio-temporal action detection on AVA-format data: per-actor multi-label actions from RoI features",
            List.of(Metric.accuracy(ACTOR_HIT, "actor top-1 hit")),
            List.of(Metric.accuracy(FRAME_MAP, "frame mAP@0.5"), Metric.accuracy(ACTOR_HIT, "actor top-1 hit")),
            FRAME_MAP, ActionDetectionTask::new);

    private static final Logger LOG = LoggerFactory.getLogger(ActionDetectionTask.class);
    private static final Loss BCE = Loss.sigmoidBinaryCrossEntropyLoss();

    private final AvaDataset ava;
    private final KeyframeBoxes boxes;
    private final int actions;

    ActionDetectionTask(TaskContext context) {
        if (context.dataRoot() == null) {
            throw new IllegalArgumentException("the " + NAME + " task reads its boxes from an AVA-format dataset folder; "
                    + "the run has none");
        }
        try {
            ava = AvaDataset.read(context.dataRoot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!ava.labelNames().equals(context.labels())) {
            throw new IllegalArgumentException(context.dataRoot() + ": the label map's actions " + ava.labelNames()
                    + " differ from the run's labels " + context.labels());
        }
        boxes = KeyframeBoxes.of(ava);
        actions = ava.labels().size();
    }

    @Override
    public int outputs() {
        return actions;
    }

    @Override
    public FieldTransform clipTargets() {
        return boxes;
    }

    /** One region of interest: its clip, its corners normalised to the clip's frame, and its actions. */
    public record Region(int clip, float x1, float y1, float x2, float y2, boolean[] actions) {}

    /**
     * The regions of a batch: each clip's boxes on its keyframe, those at one place (one actor) merged
     * into one region with all their actions. A batch with no box at all gets one whole-frame region
     * of its first clip with no action (background), so every step has a loss.
     */
    public static List<Region> regions(ClipBatch batch, int actions) {
        float height = batch.shape().get(batch.shape().dimension() - 2);
        float width = batch.shape().get(batch.shape().dimension() - 1);
        List<Region> out = new ArrayList<>();
        for (int c = 0; c < batch.size(); c++) {
            Map<List<Float>, boolean[]> actors = new LinkedHashMap<>();
            for (Clip.Box b : batch.boxes().get(c)) {
                actors.computeIfAbsent(List.of(b.x1(), b.y1(), b.x2(), b.y2()), k -> new boolean[actions])[b.label()] = true;
            }
            for (Map.Entry<List<Float>, boolean[]> a : actors.entrySet()) {
                List<Float> k = a.getKey();
                out.add(new Region(c, k.get(0) / width, k.get(1) / height, k.get(2) / width, k.get(3) / height, a.getValue()));
            }
        }
        if (out.isEmpty()) {
            out.add(new Region(0, 0, 0, 1, 1, new boolean[actions]));
        }
        return out;
    }

    @Override
    public Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
        List<Region> regions = regions(batch, actions);
        float[] rois = new float[5 * regions.size()];
        float[] targets = new float[actions * regions.size()];
        for (int r = 0; r < regions.size(); r++) {
            Region g = regions.get(r);
            float dw = g.x2() - g.x1();
            float dh = g.y2() - g.y1();
            float x1 = clamp(g.x1() + jitter(rng) * dw);
            float y1 = clamp(g.y1() + jitter(rng) * dh);
            float x2 = clamp(g.x2() + jitter(rng) * dw);
            float y2 = clamp(g.y2() + jitter(rng) * dh);
            System.arraycopy(new float[] {g.clip(), Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)},
                    0, rois, 5 * r, 5);
            for (int a = 0; a < actions; a++) {
                targets[r * actions + a] = g.actions()[a] ? 1 : 0;
            }
        }
        return new Step(new NDList(batch.data(manager), manager.create(rois, new Shape(regions.size(), 5))),
                new NDList(manager.create(targets, new Shape(regions.size(), actions))));
    }

    private static float jitter(SplittableRandom rng) {
        return (float) ((rng.nextDouble() * 2 - 1) * JITTER);
    }

    private static float clamp(float v) {
        return Math.max(0, Math.min(1, v));
    }

    @Override
    public NDArray loss(NDList outputs, NDList targets) {
        return BCE.evaluate(targets, outputs);
    }

    @Override
    public EpochMetricsAccumulator newEpoch() {
        return new EpochMetricsAccumulator() {
            private double loss;
            private int clips;
            private final HitRate hits = new HitRate();

            @Override
            public void add(ClipBatch batch, float[] outputs, float meanLoss) {
                List<Region> regions = regions(batch, actions);
                for (int r = 0; r < regions.size(); r++) {
                    hits.add(outputs, r * actions, actions, regions.get(r).actions());
                }
                loss += (double) meanLoss * batch.size();
                clips += batch.size();
            }

            @Override
            public int clips() {
                return clips;
            }

            @Override
            public double meanLoss() {
                return clips == 0 ? Double.NaN : loss / clips;
            }

            @Override
            public Map<String, Double> summary() {
                return Map.of(ACTOR_HIT, hits.rate());
            }
        };
    }

    /** Actors whose highest-scoring action is one of theirs (actors with no action are not counted). */
    static final class HitRate {
        private int hit;
        private int actors;

        void add(float[] scores, int offset, int count, boolean[] truth) {
            int best = 0;
            boolean any = false;
            for (int a = 0; a < count; a++) {
                any |= truth[a];
                if (scores[offset + a] > scores[offset + best]) {
                    best = a;
                }
            }
            if (any) {
                actors++;
                hit += truth[best] ? 1 : 0;
            }
        }

        double rate() {
            return actors == 0 ? Double.NaN : (double) hit / actors;
        }
    }

    @Override
    public Validation validate(ValidationPass pass) {
        ActionDetector detector = new ActionDetector(pass.model(), pass.input(), List.copyOf(ava.labels().keySet()));
        List<ActorBox> truth = new ArrayList<>();
        List<ActorBox> detections = new ArrayList<>();
        Set<String> excluded = new HashSet<>();
        ava.exclusions().values().forEach(excluded::addAll);
        HitRate hits = new HitRate();
        int done = 0;
        // The dataset has one sample per keyframe; detection runs once per video, on all its keyframes.
        Map<Path, Integer> keyframeSamples = new LinkedHashMap<>();
        pass.videos().forEach(s -> keyframeSamples.merge(s.path(), 1, Integer::sum));
        for (Map.Entry<Path, Integer> video : keyframeSamples.entrySet()) {
            String id = KeyframeBoxes.videoId(video.getKey());
            List<ActorBox> rows = ava.allBoxes().stream().filter(b -> b.videoId().equals(id) && !excluded.contains(b.key())).toList();
            truth.addAll(rows);
            Map<Integer, List<ActorBox>> persons = ActionDetector.personBoxes(rows);
            try {
                List<ActorBox> found = detector.detect(video.getKey(), id, persons);
                detections.addAll(found);
                countHits(hits, rows, persons, found);
            } catch (IOException | RuntimeException e) {
                // An unreadable validation video counts as no detections: its actors are misses.
                LOG.warn("validation skips {}: {}", video.getKey(), e.getMessage());
            }
            done += video.getValue();
            pass.progress().accept(done);
        }
        AvaFrameMap.Result result = AvaFrameMap.evaluate(truth, detections, ava.labels(), excluded);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(FRAME_MAP, result.map());
        metrics.put(ACTOR_HIT, hits.rate());
        int keyframes = (int) truth.stream().map(ActorBox::key).distinct().count();
        return new Validation() {
            @Override
            public Map<String, Double> metrics() {
                return metrics;
            }

            @Override
            public String report(Path dir) {
                StringBuilder b = new StringBuilder("<p>").append(keyframeSamples.size()).append(" videos, ").append(keyframes)
                        .append(" keyframes with ground-truth person boxes. Frame mAP@0.5 ")
                        .append(Html.percent(result.map())).append(".</p>\n<table><tr><th class=\"l\">action</th><th>AP</th></tr>\n");
                result.apByClass().forEach((id, ap) -> b.append("<tr><td class=\"l\">").append(Html.escape(ava.labels().get(id)))
                        .append("</td><td>").append(Html.percent(ap)).append("</td></tr>\n"));
                return b.append("</table>\n").toString();
            }
        };
    }

    /** Adds each ground-truth actor's top-1 hit, from the detections of its box. */
    private void countHits(HitRate hits, List<ActorBox> rows, Map<Integer, List<ActorBox>> persons, List<ActorBox> found) {
        List<Integer> ids = List.copyOf(ava.labels().keySet());
        int row = 0;
        for (Map.Entry<Integer, List<ActorBox>> keyframe : persons.entrySet()) {
            for (ActorBox p : keyframe.getValue()) {
                float[] scores = new float[actions];
                for (int a = 0; a < actions; a++) {
                    scores[a] = (float) found.get(row++).score();
                }
                boolean[] truth = new boolean[actions];
                for (ActorBox r : rows) {
                    if (r.timestamp() == keyframe.getKey() && r.x1() == p.x1() && r.y1() == p.y1() && r.x2() == p.x2()
                            && r.y2() == p.y2() && ava.labelIndex(r.actionId()) >= 0) {
                        truth[ids.indexOf(r.actionId())] = true;
                    }
                }
                hits.add(scores, 0, actions, truth);
            }
        }
    }
}
