package dev.kinema.models.tsm;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.Residual;
import java.util.function.LongFunction;

/**
 * torchvision's 2D ResNet-18 and ResNet-50 (v1.5: a bottleneck's stride sits on its 3×3 conv), built
 * under torchvision's module names: {@code conv1}, {@code bn1}, {@code relu}, {@code maxpool},
 * {@code layer1} .. {@code layer4} of blocks {@code 0}, {@code 1}, ... with {@code conv1}, {@code bn1},
 * {@code conv2}, {@code bn2} ({@code conv3}, {@code bn3}) and {@code downsample.0} / {@code .1}. The
 * classifier ({@code fc}) belongs to the model's head. So {@link dev.kinema.weights.ParameterNames}
 * gives a model built on it exactly torchvision's {@code state_dict} keys (without
 * {@code num_batches_tracked}), and an ImageNet checkpoint loads unchanged.
 */
enum ResNet2d {
    RESNET18(new int[] {2, 2, 2, 2}, false),
    RESNET50(new int[] {3, 4, 6, 3}, true);

    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final int EXPANSION = 4;

    private final int[] blocks;
    private final boolean bottleneck;

    ResNet2d(int[] blocks, boolean bottleneck) {
        this.blocks = blocks;
        this.bottleneck = bottleneck;
    }

    /**
     * Appends the network (up to global pooling) to {@code net}, for frames of {@code inChannels}
     * channels. {@code shift}, if not null, makes a parameter-free block for a block's input
     * channels that runs on its residual branch (TSM's residual shift).
     */
    void addTo(NamedSequential net, LayerFactory layers, long inChannels, LongFunction<Block> shift) {
        net.add("conv1", layers.conv(ConvSpec.conv2d(inChannels, 64, 7).stride(2)));
        layers.norm(64, 2).ifPresent(n -> net.add("bn1", n));
        net.add("relu", layers.activation());
        net.add("maxpool", Pooling.max(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        long in = 64;
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            NamedSequential layer = NamedSequential.layers();
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                Residual block = bottleneck
                        ? bottleneckBlock(layers, in, WIDTHS[stage], stride, shift)
                        : basicBlock(layers, in, WIDTHS[stage], stride, shift);
                layer.add(Integer.toString(b), block);
                in = bottleneck ? (long) WIDTHS[stage] * EXPANSION : WIDTHS[stage];
            }
            net.add("layer" + (stage + 1), layer);
        }
    }

    private static Residual basicBlock(LayerFactory layers, long in, long out, int stride, LongFunction<Block> shift) {
        Residual.Builder b = start("BasicBlock", in, out, stride, shift);
        convNorm(b, layers, "1", ConvSpec.conv2d(in, out, 3).stride(stride));
        b.branch("relu1", layers.activation());
        convNorm(b, layers, "2", ConvSpec.conv2d(out, out, 3));
        return finish(b, layers, in, out, stride);
    }

    private static Residual bottleneckBlock(LayerFactory layers, long in, long width, int stride,
            LongFunction<Block> shift) {
        long out = width * EXPANSION;
        Residual.Builder b = start("Bottleneck", in, out, stride, shift);
        convNorm(b, layers, "1", ConvSpec.conv2d(in, width, 1));
        b.branch("relu1", layers.activation());
        convNorm(b, layers, "2", ConvSpec.conv2d(width, width, 3).stride(stride));
        b.branch("relu2", layers.activation());
        convNorm(b, layers, "3", ConvSpec.conv2d(width, out, 1));
        return finish(b, layers, in, out, stride);
    }

    private static void convNorm(Residual.Builder b, LayerFactory layers, String index, ConvSpec spec) {
        b.branch("conv" + index, layers.conv(spec));
        layers.norm(spec.outChannels(), 2).ifPresent(n -> b.branch("bn" + index, n));
    }

    private static Residual finish(Residual.Builder b, LayerFactory layers, long in, long out, int stride) {
        if (stride != 1 || in != out) {
            NamedSequential projection = NamedSequential.layers()
                    .add("0", layers.conv(ConvSpec.conv2d(in, out, 1).stride(stride)));
            layers.norm(out, 2).ifPresent(n -> projection.add("1", n));
            b.shortcut("downsample", projection);
        }
        return b.activation("relu", layers.activation()).build();
    }

    /** A block's builder, with the shift (if any) as its first child, before {@code conv1}. */
    private static Residual.Builder start(String kind, long in, long out, int stride, LongFunction<Block> shift) {
        String label = (shift != null ? "Shift+" : "") + kind + "(" + in + "->" + out
                + (stride != 1 ? ", stride " + stride : "") + ")";
        Residual.Builder b = Residual.builder(label);
        if (shift != null) {
            b.shift("shift", shift.apply(in));
        }
        return b;
    }
}
