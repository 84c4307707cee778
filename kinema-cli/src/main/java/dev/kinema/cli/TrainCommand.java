package dev.kinema.cli;

import dev.kinema.cards.ModelCards;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.flow.FlowSource;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.videomae.VideoMaes;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.tasks.Metric;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.FeatureTrainer;
import dev.kinema.train.BackboneInit;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.Regularization;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kinema train}: trains a video model for a task (classification by default) into a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a video model clip by clip for a task (--task, default classification: cross-entropy,",
            "optionally label smoothing, mixup/cutmix, RandAugment): one random clip per video per epoch, warm-up +",
            "cosine learning rate, weight decay; validation each epoch with several clips per video.",
            "RUN gets checkpoint.ckpt (every epoch, atomically), best.ckpt (the epoch best by --best-metric),",
            "metrics.jsonl, report.html with plots, config.json and labels.txt.",
            "--resume continues a run exactly where its last checkpoint ended."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Dataset root: a folder per class under train/ and val/, or any layout with --annotations.")
    Path data;

    @Option(names = "--annotations", paramLabel = "FILE", description = "Annotation file or folder (Kinetics CSV, UCF101, ...).")
    Path annotations;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name (tiny-3d, ...).")
    String model;

    @Option(names = "--task", paramLabel = "NAME", description = "What the model learns (default classification).")
    String task;

    @Option(names = "--best-metric", paramLabel = "NAME", description = {"Validation metric best.ckpt follows, as in "
            + "metrics.jsonl with or without val_ (classification: video_top1 (default), clip_top1, video_top5, "
            + "mean_class_accuracy)."})
    String bestMetric;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "Run directory.")
    Path out;

    @Mixin
    ClipOptions clip;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 10).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Clips per update (default 8).")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "sgd|adamw", description = "Optimizer (default adamw).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default 1e-3 for adamw, 0.01 for sgd).")
    Double lr;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default 0.05 for adamw, 1e-4 for sgd).")
    Double weightDecay;

    @Option(names = "--init", paramLabel = "FILE|RUN", description = {"Start from a pretrained VideoMAE encoder (kinema"
            + " pretrain's RUN/encoder.safetensors), or from the features of a trained run (a directory: e.g. a"
            + " classification run of the same model before action detection); checked by name and shape; the head is new."})
    Path init;

    @Option(names = "--layer-decay", paramLabel = "D", description = {"Layer-wise learning-rate decay for transformers"
            + " (VideoMAE fine-tunes with 0.75): block i of L learns at lr*D^(L-i), the head at lr."})
    Double layerDecay;

    @Option(names = "--clip-grad-norm", paramLabel = "X", description = {"Clip the gradients to global L2 norm X before"
            + " each update (MMAction2's clip_grad max_norm, often 40; timm's --clip-grad); default off."})
    Double clipGradNorm;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum, AdamW's beta1 (default 0.9).")
    Double momentum;

    @Option(names = "--warmup-epochs", paramLabel = "E", description = "Linear warm-up epochs, at most half the run (default 1).")
    Double warmupEpochs;

    @Option(names = "--val-clips", paramLabel = "K", description = "Validation clips per video (default 4).")
    Integer valClips;

    @Option(names = "--no-flip", description = "No random horizontal flips (when left and right are different classes).")
    Boolean noFlip;

    @Option(names = "--workers", paramLabel = "W", description = "Decoding threads (default 2).")
    Integer workers;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for initialisation, clips and augmentation (default 0).")
    Long seed;

    @Option(names = "--features", paramLabel = "FEATS",
            description = "Train only the model's head (lrcn: the LSTM) on a `kinema features` cache; no video is decoded.")
    Path features;

    @Option(names = "--non-local", paramLabel = "STAGE", split = ",",
            description = "Insert a non-local block after each of these stages of a 3D CNN, e.g. layer2,layer3.")
    List<String> nonLocal;

    @Option(names = "--resume", description = "Continue the run in RUN from its checkpoint, with its saved settings.")
    boolean resume;

    @Option(names = "--flow-length", paramLabel = "L",
            description = "Flow fields per stack for temporal-stream and two-stream models (default 10, as in the two-stream paper).")
    Integer flowLength;

    @Option(names = "--strict", description = "Stop at the first annotation problem instead of skipping its sample.")
    boolean strict;

    @Mixin
    FlowOptions flow;

    @Mixin
    RegularizationOptions regularization;

    @Override
    public Integer call() throws IOException {
        if (features != null) {
            return trainOnFeatures();
        }
        TrainConfig config = config();
        // Everything that can be refused is checked before "training ..." is printed.
        FlowSource flowSource = flow.sourceFor(config);
        VideoDataset videos = config.data().open(strict);
        ModelRegistry.info(config.model());
        if (!resume) {
            RunDir.checkFree(out);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s %s on %s -> %s%n", resume ? "resuming" : "training", config.model(),
                config.data().root(), out);
        Metric best = config.taskDefinition().validationMetric(config.bestMetric());
        TrainProgress progress = new TrainProgress(o, config.schedule().epochs(), config.taskDefinition(), best);
        List<EpochMetrics> history;
        try {
            history = Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry()).setRunDirectory(out)
                    .optResume(resume).optListener(progress).optFlowSource(flowSource).optDataset(videos)
                    .optInit(init == null ? null : model -> o.printf(Locale.ROOT, "initialised %d tensors from %s%n",
                            Files.isDirectory(init) ? BackboneInit.fromRun(model, init) : VideoMaes.initFromEncoder(model, init),
                            init))
                    .build().fit();
        } finally {
            progress.finish();
        }
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            Double value = last.validation(best.name());
            o.printf(Locale.ROOT, "done: %d epochs; last train loss %.3f%s%n", last.epoch(), last.trainLoss(),
                    value == null ? "" : ", val " + best.format(value));
        }
        if (Files.exists(out.resolve(RunDir.BEST))) {
            o.println("best: " + out.resolve(RunDir.BEST) + " (by " + best.name() + ")");
        }
        o.println("report: " + out.resolve(RunDir.REPORT));
        return 0;
    }

    /** {@code --features}: the head alone on cached features, with this command's optimisation options. */
    private int trainOnFeatures() throws IOException {
        if (model == null || data != null || resume || nonLocal != null) {
            throw new ParameterException(spec.commandLine(), "--features FEATS takes --model NAME (and not --data,"
                    + " --resume or --non-local)");
        }
        boolean sgd = "sgd".equalsIgnoreCase(optimizer);
        FeatureTrainer.Settings settings = new FeatureTrainer.Settings(model, features.toString(),
                epochs != null ? epochs : 10, batch != null ? batch : 8, optimizer != null ? optimizer : "adamw",
                lr != null ? lr : sgd ? 0.01 : 1e-3, weightDecay != null ? weightDecay : sgd ? 1e-4 : 0.05,
                warmupEpochs != null ? warmupEpochs : 1, seed != null ? seed : 0);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "training %s's head on cached features %s -> %s%n", model, features, out);
        FeatureTrainer.Result r = FeatureTrainer.train(settings, out, e -> {
            o.printf(Locale.ROOT, "epoch %d: train loss %.3f, train top-1 %.1f%%%s (%.1f s)%n", e.epoch(), e.trainLoss(),
                    100 * e.trainTop1(), e.valTop1() == null ? "" : String.format(Locale.ROOT, ", val top-1 %.1f%%",
                            100 * e.valTop1()), e.seconds());
            o.flush();
        });
        if (r.testTop1() != null) {
            int[][] confusion = new int[r.labels().size()][r.labels().size()];
            for (int i = 0; i < r.testLabels().length; i++) {
                confusion[r.testLabels()[i]][r.testPredictions()[i]]++;
            }
            String kinds = byKind(r.labels(), confusion);
            o.printf(Locale.ROOT, "test top-1 %.1f%% of %d videos%s%n", 100 * r.testTop1(), r.testLabels().length,
                    kinds.isEmpty() ? "" : "; by kind: " + kinds);
        }
        o.println("run: " + out.resolve(FeatureTrainer.RECORD));
        return 0;
    }

    /** Video top-1 of each kind of Kinema-Motion class, e.g. {@code order 90.0% of 20, appearance 100.0% of 10}; empty for other data. */
    static String byKind(List<String> classes, int[][] confusion) {
        List<String> parts = new java.util.ArrayList<>();
        KinemaMotion.accuracyByKind(classes, confusion).forEach((kind, c) -> parts.add(String.format(Locale.ROOT,
                "%s %.1f%% of %d", kind.jsonName(), 100.0 * c[0] / c[1], c[1])));
        return String.join(", ", parts);
    }

    /** The options given, on top of the defaults, or on top of the saved configuration when resuming. */
    private TrainConfig config() throws IOException {
        TrainConfig.Builder b;
        Regularization saved = Regularization.NONE;
        if (resume) {
            TrainConfig savedConfig = RunDir.open(out).config();
            b = savedConfig.toBuilder();
            saved = savedConfig.regularization();
        } else {
            if (data == null || model == null) {
                throw new ParameterException(spec.commandLine(), "give --data DIR and --model NAME (or --resume)");
            }
            b = TrainConfig.builder();
        }
        if (data != null) {
            b.setData(data);
        }
        if (annotations != null) {
            b.optAnnotations(annotations);
        }
        if (model != null) {
            b.setModel(model);
        }
        if (task != null) {
            b.optTask(task);
        }
        if (bestMetric != null) {
            b.optBestMetric(bestMetric);
        }
        if (nonLocal != null) {
            b.optNonLocal(nonLocal.stream().map(String::strip).toList());
        }
        boolean flowModel = !resume && model != null && ModelCards.modalityOf(model).needsFlow();
        if (flowModel) {
            // A flow model's clip is a stack of L fields.
            b.optFrames(flowLength != null ? flowLength : clip.frames != null ? clip.frames : FlowOptions.DEFAULT_LENGTH);
        } else if (clip.frames != null) {
            b.optFrames(clip.frames);
        }
        flow.applyTo(b);
        if (clip.size != null) {
            b.optSize(clip.size);
        }
        clip.applyRateTo(b);
        if (epochs != null) {
            b.optEpochs(epochs);
        }
        if (batch != null) {
            b.optBatch(batch);
        }
        if (optimizer != null) {
            b.optOptimizer(optimizer);
        }
        if (lr != null) {
            b.optLr(lr);
        }
        if (weightDecay != null) {
            b.optWeightDecay(weightDecay);
        }
        if (layerDecay != null) {
            b.optLayerDecay(layerDecay);
        }
        if (clipGradNorm != null) {
            b.optClipGradNorm(clipGradNorm);
        }
        if (momentum != null) {
            b.optMomentum(momentum);
        }
        if (warmupEpochs != null) {
            b.optWarmupEpochs(warmupEpochs);
        }
        if (valClips != null) {
            b.optValClips(valClips);
        }
        if (noFlip != null && noFlip) {
            b.optFlip(false);
        }
        if (workers != null) {
            b.optWorkers(workers);
        }
        if (seed != null) {
            b.optSeed(seed);
        }
        b.optRegularization(regularization.over(saved));
        return b.build();
    }
}
