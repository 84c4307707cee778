package dev.kinema.persons;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.kinema.data.annotations.ActorBox;
import dev.kinema.engine.Scalars;
import dev.kinema.eval.detection.ActionDetector;
import dev.kinema.eval.detection.AvaFrameMap;
import dev.kinema.eval.detection.Nms;
import dev.kinema.io.AtomicFiles;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A light anchor-free person detector in the manner of CenterNet (Zhou et al. 2019, "Objects as
 * Points"), sized for Kinema-Motion's figures: the keyframe at {@value #INPUT}×{@value #INPUT}, four
 * 3×3 convolutions (two of stride 2) to a {@value #GRID}×{@value #GRID} map with five outputs per cell:
 * a centre heatmap, the box's width and height (shares of the frame) and the centre's sub-cell offset.
 * It is trained with CenterNet's penalty-reduced focal loss on Gaussian centre targets and an L1 loss
 * on size and offset at the centres (Adam), and decodes boxes at the heatmap's 3×3 local maxima,
 * then drops duplicates by class-agnostic box NMS.
 * Boxes are AVA's: corners normalised to [0, 1], action id 0, scored by the heatmap.
 */
public final class PersonDetector implements AutoCloseable {
    public static final int INPUT = 64;
    public static final int GRID = 16;
    private static final int WIDTH = 32;

    private final Model model;

    private PersonDetector(Model model) {
        this.model = model;
    }

    private static SequentialBlock net() {
        return new SequentialBlock()
                .add(conv(16, 3, 2)).add(Activation::relu)
                .add(conv(WIDTH, 3, 2)).add(Activation::relu)
                .add(conv(WIDTH, 3, 1)).add(Activation::relu)
                .add(conv(WIDTH, 3, 1)).add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(5).build());
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    private static PersonDetector create(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("person-centernet");
        SequentialBlock block = net();
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, INPUT, INPUT));
        model.setBlock(block);
        return new PersonDetector(model);
    }

    /** A keyframe's image (3×{@value #INPUT}×{@value #INPUT}, centred on 0) and its person boxes. */
    public record Keyframe(String videoId, int timestamp, float[] image, List<ActorBox> boxes) {}

    /**
     * The keyframes of {@code video} at {@code timestamps} (whole seconds), read at the detector's
     * input size, with {@code persons}' boxes of each (empty lists where none are known).
     */
    public static List<Keyframe> keyframes(Path video, String videoId, List<Integer> timestamps,
            Map<Integer, List<ActorBox>> persons) {
        List<Keyframe> out = new ArrayList<>();
        try (VideoReader reader = VideoReader.open(video,
                ReaderOptions.builder().optSize(FrameSize.exact(INPUT, INPUT)).build())) {
            int[] indices = timestamps.stream()
                    .mapToInt(t -> Math.min(reader.frameCount() - 1, (int) Math.round(t * reader.fps()))).toArray();
            VideoFrames frames = reader.read(indices);
            for (int i = 0; i < indices.length; i++) {
                out.add(new Keyframe(videoId, timestamps.get(i), image(frames, i),
                        persons.getOrDefault(timestamps.get(i), List.of())));
            }
        }
        return out;
    }

    private static float[] image(VideoFrames frames, int t) {
        int plane = INPUT * INPUT;
        float[] x = new float[3 * plane];
        byte[] rgb = frames.rgb();
        int o = frames.offset(t, 0, 0);
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                x[c * plane + p] = (rgb[o + 3 * p + c] & 0xff) / 255f - 0.5f;
            }
        }
        return x;
    }

    /**
     * CenterNet's targets on the grid: channel 0 a Gaussian (σ a third of the box's size in cells, at
     * least 0.5) peaking at 1 on each box's centre cell; channels 1–2 the box's width and height and
     * 3–4 the centre's offset in its cell, at centre cells only; and the centre mask.
     */
    static float[][] targets(List<ActorBox> boxes) {
        int cells = GRID * GRID;
        float[] heat = new float[cells];
        float[] regression = new float[4 * cells];
        float[] mask = new float[cells];
        for (ActorBox b : boxes) {
            double cx = (b.x1() + b.x2()) / 2 * GRID;
            double cy = (b.y1() + b.y2()) / 2 * GRID;
            int ix = Math.min(GRID - 1, (int) cx);
            int iy = Math.min(GRID - 1, (int) cy);
            double sx = Math.max(0.5, (b.x2() - b.x1()) * GRID / 3);
            double sy = Math.max(0.5, (b.y2() - b.y1()) * GRID / 3);
            for (int y = 0; y < GRID; y++) {
                for (int x = 0; x < GRID; x++) {
                    double g = Math.exp(-((x - ix) * (x - ix) / (2 * sx * sx) + (y - iy) * (y - iy) / (2 * sy * sy)));
                    heat[y * GRID + x] = (float) Math.max(heat[y * GRID + x], g);
                }
            }
            int c = iy * GRID + ix;
            mask[c] = 1;
            regression[c] = (float) (b.x2() - b.x1());
            regression[cells + c] = (float) (b.y2() - b.y1());
            regression[2 * cells + c] = (float) (cx - ix);
            regression[3 * cells + c] = (float) (cy - iy);
        }
        return new float[][] {heat, regression, mask};
    }

    /**
     * Fits a detector on keyframes with their person boxes.
     *
     * @param epochs passes over the keyframes, in batches of 16, shuffled from {@code seed}
     */
    public static PersonDetector fit(List<Keyframe> data, int epochs, double lr, long seed) {
        PersonDetector d = create(seed);
        SequentialBlock block = (SequentialBlock) d.model.getBlock();
        NDManager root = d.model.getNDManager();
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build();
        Random order = new Random(seed);
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            indices.add(i);
        }
        int batch = 16;
        int cells = GRID * GRID;
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(indices, order);
            for (int from = 0; from < indices.size(); from += batch) {
                List<Integer> chunk = indices.subList(from, Math.min(indices.size(), from + batch));
                int n = chunk.size();
                float[] x = new float[n * 3 * INPUT * INPUT];
                float[] heat = new float[n * cells];
                float[] regression = new float[n * 4 * cells];
                float[] mask = new float[n * cells];
                for (int i = 0; i < n; i++) {
                    Keyframe k = data.get(chunk.get(i));
                    System.arraycopy(k.image(), 0, x, i * k.image().length, k.image().length);
                    float[][] t = targets(k.boxes());
                    System.arraycopy(t[0], 0, heat, i * cells, cells);
                    System.arraycopy(t[1], 0, regression, i * 4 * cells, 4 * cells);
                    System.arraycopy(t[2], 0, mask, i * cells, cells);
                }
                try (NDManager step = root.newSubManager()) {
                    NDArray input = step.create(x, new Shape(n, 3, INPUT, INPUT));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray out = block.forward(new ParameterStore(step, false), new NDList(input), true).singletonOrThrow();
                        NDArray loss = loss(out, step.create(heat, new Shape(n, 1, GRID, GRID)),
                                step.create(regression, new Shape(n, 4, GRID, GRID)), step.create(mask, new Shape(n, 1, GRID, GRID)));
                        collector.backward(loss);
                    }
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        NDArray w = p.getValue().getArray();
                        NDArray g = w.getGradient();
                        g.attach(step);
                        adam.update(p.getKey(), w, g);
                        g.subi(g); // PyTorch accumulates gradients: zero them for the next step
                    }
                }
            }
        }
        return d;
    }

    /** Penalty-reduced focal loss (α 2, β 4) on the heatmap plus L1 on size and offset, each per centre. */
    private static NDArray loss(NDArray out, NDArray heat, NDArray regression, NDArray mask) {
        NDArray p = Activation.sigmoid(out.get(":, 0:1")).clip(1e-4f, 1 - 1e-4f);
        NDArray centres = Scalars.maximum(mask.sum(), 1);
        NDArray positive = Scalars.pow(p.neg().add(1), 2).mul(p.log()).mul(mask);
        NDArray negative = Scalars.pow(heat.neg().add(1), 4).mul(Scalars.pow(p, 2)).mul(p.neg().add(1).log()).mul(mask.neg().add(1));
        NDArray focal = positive.add(negative).sum().neg().div(centres);
        NDArray l1 = out.get(":, 1:5").sub(regression).abs().mul(mask).sum().div(centres);
        return focal.add(l1);
    }

    /**
     * {@code iou} when it can be the box NMS IoU of {@link #detect}: in [0, 1], 1 turning NMS off.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static double checkNmsIou(double iou) {
        if (!(iou >= 0 && iou <= 1)) {
            throw new IllegalArgumentException("the person NMS IoU must be in [0, 1] (1: no NMS), got " + iou);
        }
        return iou;
    }

    /**
     * Person boxes of one keyframe image, best first: the heatmap's peaks at or above
     * {@code minScore}, class-agnostic box NMS at {@code nmsIou} ({@link Nms#boxes}), then at most
     * {@code max}.
     *
     * @param nmsIou IoU above which a lower-scored box is dropped; 1 turns NMS off
     */
    public List<ActorBox> detect(Keyframe keyframe, double minScore, int max, double nmsIou) {
        try (NDManager step = model.getNDManager().newSubManager()) {
            NDArray input = step.create(keyframe.image(), new Shape(1, 3, INPUT, INPUT));
            NDArray out = model.getBlock().forward(new ParameterStore(step, false), new NDList(input), false).singletonOrThrow();
            return decode(keyframe.videoId(), keyframe.timestamp(), out.get(":, 0:1").toFloatArray(),
                    out.get(":, 1:5").toFloatArray(), minScore, max, nmsIou);
        }
    }

    /**
     * Boxes from the network's output of one keyframe: peaks are CenterNet's (cells equal to the
     * 3×3 max-pool of the sigmoid heatmap, padded so border cells compete only with real neighbours).
     * One figure can give two peaks a couple of cells apart, each with a whole-figure box; NMS keeps
     * the higher one, as detectors without CenterNet's training scale do.
     *
     * @param heatLogits the heatmap channel before the sigmoid, {@value #GRID}×{@value #GRID} row-major
     * @param regression width, height, x offset and y offset planes, each {@value #GRID}×{@value #GRID}
     */
    static List<ActorBox> decode(String videoId, int timestamp, float[] heatLogits, float[] regression, double minScore,
            int max, double nmsIou) {
        checkNmsIou(nmsIou);
        int cells = GRID * GRID;
        float[] heat;
        try (NDManager step = NDManager.newBaseManager()) {
            NDArray p = Activation.sigmoid(step.create(heatLogits, new Shape(1, 1, GRID, GRID)));
            NDArray peaks = p.eq(Pool.maxPool2d(p, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false));
            heat = p.mul(peaks.toType(DataType.FLOAT32, false)).toFloatArray();
        }
        List<ActorBox> found = new ArrayList<>();
        for (int c = 0; c < cells; c++) {
            if (heat[c] >= minScore) {
                double cx = (c % GRID + regression[2 * cells + c]) / GRID;
                double cy = (c / GRID + regression[3 * cells + c]) / GRID;
                double w = Math.max(0, regression[c]);
                double h = Math.max(0, regression[cells + c]);
                found.add(new ActorBox(videoId, timestamp, clamp(cx - w / 2), clamp(cy - h / 2), clamp(cx + w / 2),
                        clamp(cy + h / 2), 0, -1, heat[c]));
            }
        }
        List<ActorBox> kept = Nms.boxes(found, nmsIou, max);
        List<ActorBox> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            ActorBox b = kept.get(i);
            out.add(new ActorBox(b.videoId(), b.timestamp(), b.x1(), b.y1(), b.x2(), b.y2(), 0, i, b.score()));
        }
        return out;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * The person AP at IoU 0.5 of detections against ground-truth rows (each place once), by AVA's
     * frame-level rules ({@link AvaFrameMap}) with one class.
     */
    public static double averagePrecision(List<ActorBox> truth, List<ActorBox> detections) {
        List<ActorBox> persons = new ArrayList<>();
        ActionDetector.personBoxes(truth).values().forEach(l -> l.forEach(b -> persons.add(asPerson(b))));
        List<ActorBox> dets = detections.stream().map(PersonDetector::asPerson).toList();
        return AvaFrameMap.evaluate(persons, dets, Map.of(1, "person"), Set.of()).map();
    }

    private static ActorBox asPerson(ActorBox b) {
        return new ActorBox(b.videoId(), b.timestamp(), b.x1(), b.y1(), b.x2(), b.y2(), 1, b.personId(), b.score());
    }

    /** Saves the parameters (DJL's format). */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            model.getBlock().saveParameters(data);
            data.flush();
        });
    }

    /** Loads a detector saved by {@link #save}. */
    public static PersonDetector load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            PersonDetector d = create(0);
            try {
                d.model.getBlock().loadParameters(d.model.getNDManager(), data);
            } catch (MalformedModelException | RuntimeException e) {
                d.close();
                throw new IOException(file + ": not a saved person detector (" + e.getMessage() + ")", e);
            }
            return d;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
