package dev.kinema.cli;

import dev.kinema.models.videomae.TubeMask;
import dev.kinema.models.videomae.VideoMaeSpec;
import dev.kinema.models.videomae.VideoMaes;
import dev.kinema.recipes.Pretrain;
import dev.kinema.tasks.MaskedVideoTask;
import dev.kinema.tasks.Metric;
import dev.kinema.tasks.TaskDefinition;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Masked-video pretraining (VideoMAE) on any folder of videos, labels ignored: tube masking,",
            "an encoder on the visible tokens, a decoder predicting the masked tubelets' normalised pixels.",
            "Writes checkpoints (--resume continues exactly), report.html with a reconstruction sheet per epoch,",
            "and RUN/encoder.safetensors, which kinema train --init loads."})
public final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "A folder of videos (searched recursively).")
    Path data;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "videomae-small",
            description = "videomae or videomae-small (default).")
    String model;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "Run directory.")
    Path out;

    @Option(names = "--mask-ratio", paramLabel = "R", defaultValue = "0.9",
            description = "Share of each clip's positions hidden in every frame (default 0.9; 0.95 allowed).")
    double maskRatio;

    @Option(names = "--target", paramLabel = "T", defaultValue = "normalised",
            description = "What the decoder predicts for a masked tubelet: normalised (its pixels standardised per"
                    + " tubelet, the paper's default) or pixels (VideoMAE's normlize_target False).")
    String target;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs (default 10).")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "8", description = "Clips per update (default 8).")
    int batch;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "1.5e-3", description = "AdamW's peak learning rate (default 1.5e-3).")
    double lr;

    @Option(names = "--warmup-epochs", paramLabel = "E", defaultValue = "1", description = "Linear warm-up epochs (default 1).")
    double warmupEpochs;

    @Option(names = "--frames", paramLabel = "T", description = "Frames per clip (default the model's).")
    int frames;

    @Option(names = "--stride", paramLabel = "K", description = "Source frames between clip frames (default 4); as train's --stride.")
    int stride;

    @Option(names = "--size", paramLabel = "S", description = "Clip height and width (default the model's).")
    int size;

    @Option(names = "--val-videos", paramLabel = "K", defaultValue = "2",
            description = "Videos kept out to validate on and draw (default 2).")
    int valVideos;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "2", description = "Decoding threads (default 2).")
    int workers;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default 0).")
    long seed;

    @Option(names = "--resume", description = "Continue the run in RUN from its checkpoint.")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        VideoMaeSpec mae = VideoMaes.spec(model);
        TubeMask.maskedPerFrame(2, maskRatio);
        if (!resume) {
            RunDir.checkFree(out);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s %s on %s, mask ratio %s -> %s%n", resume ? "resuming pretraining of" : "pretraining",
                model, data, maskRatio, out);
        MaskedVideoTask.Target predicted = MaskedVideoTask.Target.parse(target);
        TaskDefinition task = MaskedVideoTask.definition(maskRatio, mae.tubelet(), mae.patch(), predicted);
        Metric best = task.validationMetric(null);
        TrainProgress progress = new TrainProgress(o, epochs, task, best);
        Pretrain.Pretrained done;
        try {
            done = Pretrain.builder().setData(data).setModel(model).setRunDirectory(out).optMaskRatio(maskRatio).optTarget(predicted)
                    .optEpochs(epochs).optBatch(batch).optLr(lr).optWarmupEpochs(warmupEpochs).optFrames(frames)
                    .optStride(stride).optSize(size).optValVideos(valVideos).optWorkers(workers).optSeed(seed).optResume(resume)
                    .optListener(progress).build().run();
        } finally {
            progress.finish();
        }
        if (!done.history().isEmpty()) {
            EpochMetrics last = done.history().get(done.history().size() - 1);
            Double value = last.validation(best.name());
            o.printf(Locale.ROOT, "done: %d epochs on %d videos; last train loss %.3f%s%n", last.epoch(),
                    done.trainVideos(), last.trainLoss(), value == null ? "" : String.format(Locale.ROOT,
                            ", val %.3f", value));
        }
        o.println("encoder: " + done.encoder());
        o.println("report: " + out.resolve(RunDir.REPORT));
        return 0;
    }
}
