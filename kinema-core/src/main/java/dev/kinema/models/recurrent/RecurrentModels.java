package dev.kinema.models.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.frame.Backbone;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.ConvRecurrentCell;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.GlobalAvgPool;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PerFrame;
import dev.kinema.nn.Recurrent;
import dev.kinema.nn.TemporalReadout;

/**
 * The lecture's models of long-term temporal structure: a 2D CNN on every frame, then a recurrence
 * over the frames, so the last state has seen the whole clip however long it is.
 *
 * <ul>
 *   <li>{@code lrcn} (Donahue et al. 2015): features are the backbone on every frame; the head
 *       pools each frame's map to a vector ({@code pool}), runs an LSTM over the vectors
 *       ({@code lstm}), reads out the last step or the mean over steps ({@code readout}, from the
 *       config) and classifies ({@code fc}). The CNN is the features and the recurrence is the
 *       head, so a frozen CNN's pooled features can be cached and the head trained on them alone.
 *   <li>{@code conv-gru}, {@code conv-lstm} (Ballas et al. 2016; Shi et al. 2015): the backbone on
 *       every frame, then two stacked recurrent convolutional layers on its last map
 *       ({@code gru1}, {@code gru2} or {@code lstm1}, {@code lstm2}), whose hidden states are maps;
 *       the head reads out a step, pools and classifies. Ballas et al.'s GRU-RCN also puts
 *       recurrent units on lower levels of the CNN; only this stacked form is offered.
 * </ul>
 *
 * <p>{@link #frameScores} gives the many-to-many output of any of them: a class score per step.
 */
public final class RecurrentModels {
    /** LSTM width of {@code lrcn}. */
    static final int LRCN_HIDDEN = 256;
    /** Hidden channels of each recurrent convolutional layer. */
    static final int RCN_HIDDEN = 64;
    /** Kernel of the recurrent convolutions. */
    static final int RCN_KERNEL = 3;

    private RecurrentModels() {}

    /** CNN + LSTM. */
    static VideoModel lrcn(ModelConfig c) {
        NamedSequential head = NamedSequential.layers()
                .add("pool", new PerFrame(new GlobalAvgPool()))
                .add("lstm", Recurrent.lstm(LRCN_HIDDEN, 1))
                .add("readout", readout(c))
                .add("flatten", new Flatten())
                .add("fc", new LinearClassifier(c.numClasses()));
        return new VideoModel("lrcn", c, FrameNet.of(c).perFrame(), head);
    }

    /** CNN + stacked ConvGRU. */
    static VideoModel convGru(ModelConfig c) {
        return recurrentConv("conv-gru", Recurrent.Kind.GRU, c);
    }

    /** CNN + stacked ConvLSTM. */
    static VideoModel convLstm(ModelConfig c) {
        return recurrentConv("conv-lstm", Recurrent.Kind.LSTM, c);
    }

    private static VideoModel recurrentConv(String name, Recurrent.Kind kind, ModelConfig c) {
        FrameNet cnn = FrameNet.of(c);
        NamedSequential features = NamedSequential.layers().add("frames", cnn.perFrame());
        long channels = cnn.channels();
        String layer = kind == Recurrent.Kind.GRU ? "gru" : "lstm";
        features.add(layer + "1", new ConvRecurrentCell(kind, channels, RCN_HIDDEN, RCN_KERNEL));
        features.add(layer + "2", new ConvRecurrentCell(kind, RCN_HIDDEN, RCN_HIDDEN, RCN_KERNEL));
        NamedSequential head = NamedSequential.layers()
                .add("readout", readout(c))
                .add("pool", new GlobalAvgPool())
                .add("flatten", new Flatten())
                .add("fc", new LinearClassifier(c.numClasses()));
        return new VideoModel(name, c, features, head);
    }

    /** The backbone on every frame, and its output channels. */
    private record FrameNet(PerFrame perFrame, long channels) {
        static FrameNet of(ModelConfig c) {
            Backbone backbone = Backbone.named(c.backbone().orElseThrow(() -> new IllegalArgumentException("no backbone in " + c)));
            NamedSequential frameNet = NamedSequential.layers();
            long channels = backbone.addTo(frameNet, c.layers(), c.channels());
            return new FrameNet(new PerFrame(frameNet), channels);
        }
    }

    private static TemporalReadout readout(ModelConfig c) {
        return new TemporalReadout(c.readout().orElse(TemporalReadout.Mode.LAST));
    }

    /**
     * Many-to-many: class scores N×T×numClasses for clips N×C×T×H×W, one per step, from a model of
     * this family: the head's classifier applied to every step's state instead of the readout's.
     * With the {@code last} readout the last step's scores are the model's output.
     */
    public static NDArray frameScores(VideoModel model, ParameterStore store, NDArray clips) {
        if (!(model.head() instanceof NamedSequential head) || !head.names().contains("readout")) {
            throw new IllegalArgumentException(model.name() + " has no per-step states (not a recurrent model)");
        }
        NDList x = model.forwardFeatures(store, new NDList(clips), false);
        for (String name : head.names()) {
            if (name.equals("readout")) {
                break;
            }
            x = head.get(name).forward(store, x, false);
        }
        // N×D×T×H×W, each step's map averaged over space as the head's pooling does (a no-op on lrcn's 1×1)
        NDArray steps = x.singletonOrThrow().mean(new int[] {3}, true).mean(new int[] {4}, true);
        long n = steps.getShape().get(0);
        long t = steps.getShape().get(2);
        NDArray perStep = steps.swapAxes(1, 2).reshape(n * t, -1);
        Block fc = head.get("fc");
        return fc.forward(store, new NDList(perStep), false).singletonOrThrow().reshape(n, t, -1);
    }
}
