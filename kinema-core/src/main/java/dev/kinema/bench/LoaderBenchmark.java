package dev.kinema.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.transforms.Compose;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import dev.kinema.video.FrameSize;
import java.util.Iterator;
import java.util.List;

/**
 * Clips per second delivered by {@link ClipLoader} with a training pipeline: one random clip per
 * video (MMAction2 SampleFrames), short side scaled in the decoder, random crop, flip, Kinetics
 * normalisation, batches collated into an NDArray. {@code tools/bench/torch_loader.py} does the
 * same work with a PyTorch DataLoader and PyAV.
 */
public final class LoaderBenchmark {
    /** One run's outcome. */
    public record Result(int workers, int batches, int clips, double seconds, double clipsPerSecond) {}

    private LoaderBenchmark() {}

    public static Result run(List<VideoSample> samples, int workers, int batches, int batchSize, int clipLen,
            int stride, int size, int shortSide, int warmupBatches) {
        try (ClipLoader loader = ClipLoader.builder().setSamples(samples)
                        .setSampler(ClipSamplers.builder().mode("random").clipLen(clipLen).frameStride(stride).build())
                        .optDecodeSize(FrameSize.shortSide(shortSide))
                        .optTransform(Compose.of(Crop.random(size), Flip.horizontal(0.5)))
                        .optBatchSize(batchSize).optWorkers(workers).optSeed(0).build();
                NDManager manager = NDManager.newBaseManager()) {
            int clips = 0;
            int timed = 0;
            long start = System.nanoTime();
            int epoch = 0;
            while (timed < batches) {
                try (ClipLoader.Epoch e = loader.epoch(epoch++)) {
                    Iterator<ClipBatch> it = e.iterator();
                    while (it.hasNext() && timed < batches) {
                        ClipBatch batch = it.next();
                        try (NDArray x = batch.data(manager)) {
                            if (warmupBatches > 0) {
                                warmupBatches--;
                                start = System.nanoTime();
                                continue;
                            }
                            clips += batch.size();
                            timed++;
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(workers, timed, clips, seconds, clips / seconds);
        }
    }
}
