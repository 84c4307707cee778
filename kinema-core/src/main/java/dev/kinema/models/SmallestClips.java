package dev.kinema.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.nn.ConvGeometry;
import dev.kinema.nn.ConvNormFolding;
import dev.kinema.nn.InferenceOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every registered model on the smallest clip it accepts: the models the registry-wide tests run,
 * and the convolution geometries the kernel check verifies ({@link dev.kinema.nn.KernelCheck}).
 */
public final class SmallestClips {
    /** The batch the tests and the kernel check use: 2, the smallest that exercises batch handling. */
    public static final int BATCH = 2;

    private SmallestClips() {}

    /** A registered model and, for models that take one, a backbone. */
    public record Variant(String name, String backbone) {
        @Override
        public String toString() {
            return backbone == null ? name : name + " " + backbone;
        }
    }

    /** Every registered model, with every backbone it takes. */
    public static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (ModelInfo info : ModelRegistry.models()) {
            if (info.takesBackbone()) {
                info.backbones().forEach(b -> out.add(new Variant(info.name(), b)));
            } else {
                out.add(new Variant(info.name(), null));
            }
        }
        return out;
    }

    /**
     * The model with {@code classes} classes on the shortest clip it accepts (T from 2), then the
     * smallest square frames (multiples of 16), as found by the registry's own input check.
     */
    public static VideoModel smallest(String name, String backbone, int classes) {
        int frames = -1;
        for (int t = 2; t <= 32 && frames < 0; t++) {
            if (accepts(name, backbone, classes, t, 128)) {
                frames = t;
            }
        }
        for (int size = 16; size <= 128; size += 16) {
            if (accepts(name, backbone, classes, frames, size)) {
                return ModelRegistry.create(name, config(backbone, classes, frames, size));
            }
        }
        throw new IllegalArgumentException(name + " accepts no clip up to " + frames + "x128x128");
    }

    /** A configuration with the given backbone (or none), classes, frames and square size. */
    public static ModelConfig config(String backbone, int classes, int frames, int size) {
        ModelConfig.Builder b = ModelConfig.builder().setNumClasses(classes).optFrames(frames).optSize(size);
        if (backbone != null) {
            b.optBackbone(backbone);
        }
        return b.build();
    }

    /**
     * Every convolution geometry of every registered model at its smallest clip, each once, in
     * registry order: as declared, at a batch of {@link #BATCH}, and as the kernel actually gets it
     * ({@link ConvGeometry#whileRunning}) in a training pass and an inference pass (batch norms folded,
     * as a trained run classifies) at that batch, and
     * those of an inference pass at a batch of one that run re-batched to {@link #BATCH}
     * ({@link dev.kinema.nn.GuardedConv3d}'s two halves, checked although off by default).
     */
    public static Set<ConvGeometry> convolutionGeometries() {
        Set<ConvGeometry> all = new LinkedHashSet<>();
        for (Variant v : variants()) {
            VideoModel model = smallest(v.name(), v.backbone(), 3);
            try (NDManager manager = NDManager.newBaseManager()) {
                model.initialize(manager, DataType.FLOAT32, new Shape(BATCH).addAll(model.inputShape()));
                all.addAll(ConvGeometry.within(model));
                all.addAll(geometriesRun(model, manager, BATCH, true));
                // Inference runs batch norms folded into their convolutions, which then have a bias (kinema classify).
                ConvNormFolding.apply(model);
                all.addAll(geometriesRun(model, manager, BATCH, false));
                // Of a batch of one, only what runs re-batched to BATCH (two halves, off by default but a switch
                // away): the check verifies batches of BATCH.
                String twoHalves = System.getProperty(InferenceOptions.TWO_HALVES);
                System.setProperty(InferenceOptions.TWO_HALVES, "true");
                try {
                    geometriesRun(model, manager, 1, false).stream().filter(g -> g.input().get(0) == BATCH).forEach(all::add);
                } finally {
                    if (twoHalves == null) {
                        System.clearProperty(InferenceOptions.TWO_HALVES);
                    } else {
                        System.setProperty(InferenceOptions.TWO_HALVES, twoHalves);
                    }
                }
            }
        }
        return all;
    }

    private static Set<ConvGeometry> geometriesRun(VideoModel model, NDManager manager, int batch, boolean training) {
        try (NDManager step = manager.newSubManager()) {
            NDArray clip = step.zeros(new Shape(batch).addAll(model.inputShape()));
            ParameterStore store = new ParameterStore(step, false);
            return ConvGeometry.whileRunning(() -> model.forward(store, new NDList(clip), training).close());
        }
    }

    private static boolean accepts(String name, String backbone, int classes, int frames, int size) {
        if (frames < 0) {
            return false;
        }
        try {
            ModelRegistry.create(name, config(backbone, classes, frames, size));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
