package dev.kinema.models.frame;

import ai.djl.ndarray.types.Shape;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.Residual;
import java.util.Arrays;
import java.util.List;

/**
 * The 2D image networks the frame-based models are built on. Each appends its layers (up to, not
 * including, global pooling) to a container and reports its output channels; the model decides
 * whether it runs per frame or on early-fused frames, and what head follows.
 */
public enum Backbone {
    /**
     * Four 3×3 conv + norm + activation layers of 16, 32, 64 and 128 channels, each followed by 2×2
     * max pooling (/16 overall): small and fast enough for tests and a CPU demo.
     */
    SMALL("small", "4 x (3x3 conv + 2x2 max pool), 16-32-64-128 channels, /16") {
        @Override
        public long addTo(NamedSequential net, LayerFactory layers, long inChannels) {
            long in = inChannels;
            int[] widths = {16, 32, 64, 128};
            for (int i = 0; i < widths.length; i++) {
                net.add("conv" + (i + 1), layers.convNormAct(ConvSpec.conv2d(in, widths[i], 3)));
                net.add("pool" + (i + 1), Pooling.max(new Shape(2, 2)));
                in = widths[i];
            }
            return in;
        }
    },
    /**
     * ResNet-18 as in torchvision: 7×7/2 stem, 3×3/2 max pool, four stages of two basic blocks (64,
     * 128, 256, 512 channels; stages 2 to 4 start with stride 2 and a 1×1 projection shortcut), /32
     * overall. With a 512→1000 classifier it has 11,689,512 parameters.
     */
    RESNET18("resnet18", "torchvision's ResNet-18 structure, /32, 512 channels") {
        @Override
        public long addTo(NamedSequential net, LayerFactory layers, long inChannels) {
            net.add("stem", layers.convNormAct(ConvSpec.conv2d(inChannels, 64, 7).stride(2)));
            net.add("pool", Pooling.max(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
            long in = 64;
            int[] widths = {64, 128, 256, 512};
            for (int stage = 0; stage < widths.length; stage++) {
                NamedSequential blocks = NamedSequential.layers();
                for (int b = 0; b < 2; b++) {
                    int stride = stage > 0 && b == 0 ? 2 : 1;
                    blocks.add(Integer.toString(b), basicBlock(layers, in, widths[stage], stride));
                    in = widths[stage];
                }
                net.add("layer" + (stage + 1), blocks);
            }
            return in;
        }
    };

    private final String cliName;
    private final String description;

    Backbone(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /**
     * Appends the backbone's layers to {@code net} for {@code inChannels} input channels (3 per frame;
     * 3T for early fusion) and returns its output channels.
     */
    public abstract long addTo(NamedSequential net, LayerFactory layers, long inChannels);

    /** The name used in configs and on the command line. */
    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** All backbone names. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Backbone::cliName).toList();
    }

    /** The backbone called {@code name}. */
    public static Backbone named(String name) {
        for (Backbone b : values()) {
            if (b.cliName.equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + name + "'; known backbones: " + String.join(", ", names()));
    }

    /** Two 3×3 convolutions around a shortcut, projected when the shape changes. */
    private static Residual basicBlock(LayerFactory layers, long in, long out, int stride) {
        NamedSequential main = NamedSequential.unit()
                .add("conv1", layers.convNormAct(ConvSpec.conv2d(in, out, 3).stride(stride)))
                .add("conv2", layers.convNorm(ConvSpec.conv2d(out, out, 3)));
        NamedSequential shortcut = stride != 1 || in != out
                ? layers.convNorm(ConvSpec.conv2d(in, out, 1).stride(stride))
                : null;
        String label = "BasicBlock(" + in + "->" + out + (stride != 1 ? ", stride " + stride : "") + ")";
        Residual.Builder block = Residual.builder(label).branch("main", main);
        if (shortcut != null) {
            block.shortcut("shortcut", shortcut);
        }
        return block.activation("activation", layers.activation()).build();
    }
}
