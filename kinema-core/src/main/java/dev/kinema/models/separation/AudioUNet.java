package dev.kinema.models.separation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.Axis;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import java.util.ArrayList;
import java.util.List;

/**
 * The audio network of "The Sound of Pixels": a U-Net over the mixture's log-frequency magnitude,
 * N×1×F×T to K feature channels N×K×F×T. Each level is a 3×3 conv + BN + ReLU; going down, 2×2 max
 * pooling; coming up, nearest-neighbour upsampling by 2 (DJL has no transposed convolution) and the
 * level's skip connection concatenated before its 3×3 conv; a final 1×1 convolution (with bias) to
 * the K channels. F and T must be multiples of {@code 2^(levels - 1)}.
 */
final class AudioUNet extends AbstractBlock implements Profiled {
    private final int[] widths;
    private final int outputs;
    private final List<Block> down = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final Block pool;
    private final Block out;

    AudioUNet(LayerFactory layers, int[] widths, int outputs) {
        this.widths = widths.clone();
        this.outputs = outputs;
        long in = 1;
        for (int i = 0; i < widths.length; i++) {
            down.add(addChildBlock("down" + (i + 1), layers.convNormAct(ConvSpec.conv2d(in, widths[i], 3))));
            in = widths[i];
        }
        for (int i = widths.length - 2; i >= 0; i--) {
            up.add(addChildBlock("up" + (i + 1), layers.convNormAct(ConvSpec.conv2d(widths[i + 1] + widths[i], widths[i], 3))));
        }
        this.pool = addChildBlock("pool", Pooling.max(new Shape(2, 2)));
        this.out = addChildBlock("out", LayerFactory.djlConv(ConvSpec.conv2d(widths[0], outputs, 1).bias(true)));
    }

    /** How much F and T must divide by. */
    int divisor() {
        return 1 << (widths.length - 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (int i = 0; i < down.size(); i++) {
            if (i > 0) {
                x = pool.forward(ps, new NDList(x), training).singletonOrThrow();
            }
            x = down.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
            skips.add(x);
        }
        for (int j = 0; j < up.size(); j++) {
            int level = widths.length - 2 - j;
            NDArray upsampled = x.repeat(2, 2).repeat(3, 2);
            x = up.get(j).forward(ps, new NDList(upsampled.concat(skips.get(level), 1)), training, params).singletonOrThrow();
        }
        return out.forward(ps, new NDList(x), training, params);
    }

    private Shape[] levelShapes(Shape input) {
        check(input);
        Shape[] s = new Shape[widths.length];
        for (int i = 0; i < widths.length; i++) {
            s[i] = new Shape(input.get(0), widths[i], input.get(2) >> i, input.get(3) >> i);
        }
        return s;
    }

    private void check(Shape input) {
        if (input.dimension() != 4 || input.get(1) != 1 || input.get(2) % divisor() != 0 || input.get(3) % divisor() != 0) {
            throw new IllegalArgumentException("the U-Net takes N x 1 x F x T spectrograms with F and T multiples of "
                    + divisor() + ", got " + input);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        Shape[] level = levelShapes(input);
        for (int i = 0; i < widths.length; i++) {
            Shape in = i == 0 ? input : new Shape(input.get(0), widths[i - 1], level[i].get(2), level[i].get(3));
            down.get(i).initialize(manager, dataType, in);
        }
        for (int j = 0; j < up.size(); j++) {
            int l = widths.length - 2 - j;
            up.get(j).initialize(manager, dataType, new Shape(input.get(0), widths[l + 1] + widths[l], level[l].get(2), level[l].get(3)));
        }
        pool.initialize(manager, dataType, level[0]);
        out.initialize(manager, dataType, level[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        check(in);
        return new Shape[] {new Shape(in.get(0), outputs, in.get(2), in.get(3))};
    }

    /** A spectrogram's feature map, 1×F×T, as the 2D networks see an image. */
    static FeatureMap spectrogramMap(long bins, long frames) {
        return FeatureMap.ofClip(new Shape(1, 1, bins, frames)).foldIntoChannels(Axis.T).withChannels(1);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return walk(in, (name, block, map) -> profiler.visit(block, map));
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        return walk(in, (child, block, map) -> profiler.rows(Profiler.childName(name, child), block, map));
    }

    private interface Visit {
        FeatureMap apply(String name, Block block, FeatureMap in);
    }

    /** The layers in forward order on their maps: the same walk for the costs and the rows. */
    private FeatureMap walk(FeatureMap in, Visit visit) {
        List<FeatureMap> skips = new ArrayList<>();
        FeatureMap x = in;
        for (int i = 0; i < down.size(); i++) {
            if (i > 0) {
                x = visit.apply("pool", pool, x);
            }
            x = visit.apply("down" + (i + 1), down.get(i), x);
            skips.add(x);
        }
        for (int j = 0; j < up.size(); j++) {
            int level = widths.length - 2 - j;
            FeatureMap skip = skips.get(level);
            x = visit.apply("up" + (level + 1), up.get(j), skip.withChannels(x.channels() + skip.channels()));
        }
        return visit.apply("out", out, x);
    }

    @Override
    public String label(FeatureMap in) {
        return "AudioUNet(" + java.util.Arrays.toString(widths) + " -> " + outputs + ")";
    }
}
