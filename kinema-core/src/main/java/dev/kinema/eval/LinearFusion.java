package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.SpatialAugment;
import dev.kinema.flow.FlowSource;
import dev.kinema.models.VideoModel;
import dev.kinema.models.twostream.TwoStreamModels;
import java.util.ArrayList;
import java.util.List;

/**
 * The lecture's "SVM fusion" of a two-stream network: with both streams trained and frozen, a
 * linear classifier is fitted on the concatenation of their pooled features over the training
 * videos' clips and becomes the {@code two-stream-linear} model's {@code fusion} layer. The
 * classifier is multinomial logistic regression ({@link LogisticRegression}): deterministic and
 * with probabilities, where a linear SVM would need a calibration step for them.
 */
public final class LinearFusion {
    private LinearFusion() {}

    /**
     * Fits the fusion of {@code model} ({@code two-stream-linear}, initialised, streams loaded) on
     * {@code clipsPerVideo} uniformly spaced centre-cropped clips of every video in {@code train},
     * installs it and returns it.
     *
     * @throws IllegalArgumentException when no training video can be read
     */
    public static LogisticRegression fit(VideoModel model, ModelInput input, List<VideoSample> train, FlowSource flow,
            int clipsPerVideo, int workers) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (ClipLoader loader = input.configure(ClipLoader.builder(), flow).setSamples(train)
                .setSampler(input.sampler().mode("uniform").test(true).clips(clipsPerVideo).build())
                .optSpatialAugment(SpatialAugment.center(input.size())).optBatchSize(2).optShuffle(false)
                .optWorkers(workers).build();
                ClipLoader.Epoch epoch = loader.epoch(0);
                NDManager manager = NDManager.newBaseManager()) {
            for (ClipBatch batch : epoch) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = batch.data(step);
                    NDArray f = model.forwardFeatures(new ParameterStore(step, false), new NDList(x), false)
                            .singletonOrThrow();
                    int n = batch.size();
                    int d = Math.toIntExact(f.getShape().get(1));
                    float[] flat = f.toFloatArray();
                    for (int i = 0; i < n; i++) {
                        float[] row = new float[d];
                        System.arraycopy(flat, i * d, row, 0, d);
                        rows.add(row);
                        labels.add(batch.labels()[i]);
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no training video could be read to fit the linear fusion");
        }
        LogisticRegression fusion = LogisticRegression.fit(rows.toArray(float[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), model.config().numClasses(),
                LogisticRegression.DEFAULT_L2, LogisticRegression.DEFAULT_STEPS);
        TwoStreamModels.setFusion(model, fusion.weight(), fusion.bias());
        return fusion;
    }
}
