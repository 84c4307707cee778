package dev.kinema.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.kinema.flow.FlowColors;
import dev.kinema.models.VideoModel;
import dev.kinema.video.VideoFrames;
import dev.kinema.viz.GifWriter;
import dev.kinema.viz.Images;
import dev.kinema.viz.TileGrid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model's first-layer filters as pictures (the lecture's look at what a 3D CNN learns first):
 * every filter C×kt×kh×kw as kt frames of kh×kw pixels.
 * <ul>
 *   <li>A 3D convolution's weight O×C×kt×kh×kw (3D CNNs, I3D's inflated filters) gives kt frames.</li>
 *   <li>A 2D convolution over C·T folded channels (early fusion, the temporal stream: channel
 *       {@code c·T + t}, as {@link dev.kinema.nn.TimeToChannels} folds them) gives T frames; over C
 *       channels (a frame model) one frame.</li>
 *   <li>RGB filters are shown as colours around mid-grey ({@code 128 + 127·w / max|w|}); flow filters
 *       (two input channels, dx and dy) on the colour wheel of {@link FlowColors}.</li>
 * </ul>
 * The scale {@code max} is each filter's own (every filter uses its full range) or, with
 * {@code sharedScale}, the layer's (filters compare in strength). A two-stream model has two first
 * layers, one per stream.
 */
public final class FirstLayerFilters {
    /** The side of the block each kernel pixel becomes. */
    static final int PIXEL = 8;

    /**
     * One first layer.
     *
     * @param name the weight's parameter name
     * @param flow true when its input is optical flow (dx, dy)
     * @param weights O×C×T×kh×kw, row-major
     */
    public record Layer(String name, boolean flow, int filters, int channels, int frames, int height, int width,
            float[] weights) {
        int filterSize() {
            return channels * frames * height * width;
        }
    }

    private FirstLayerFilters() {}

    /**
     * The first convolution's weights of {@code model}, or of each stream of a two-stream model (the
     * first convolution reading 3 channels, then the first reading 2·L flow channels).
     */
    public static List<Layer> of(VideoModel model) {
        PairList<String, Parameter> params = model.getParameters();
        int inputChannels = (int) model.config().channels();
        int frames = (int) model.inputShape().get(1);
        List<Layer> out = new ArrayList<>();
        boolean twoStream = inputChannels == 5;
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.valueAt(i).getArray();
            Shape s = w.getShape();
            if (!params.keyAt(i).endsWith("weight") || s.dimension() < 4) {
                continue;
            }
            int c = (int) s.get(1);
            Layer layer;
            if (twoStream) {
                boolean rgb = out.stream().noneMatch(l -> !l.flow()) && (c == 3 || c == 3 * frames);
                boolean flow = out.stream().noneMatch(Layer::flow) && c == 2 * frames;
                if (!rgb && !flow) {
                    continue;
                }
                layer = layer(params.keyAt(i), w, rgb ? 3 : 2);
            } else {
                layer = layer(params.keyAt(i), w, inputChannels);
            }
            out.add(layer);
            if (!twoStream || out.size() == 2) {
                break;
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(model.name() + " has no convolution (a transformer's first layer is a"
                    + " patch embedding: use its weight as a 3D filter)");
        }
        return out;
    }

    private static Layer layer(String name, NDArray w, int channels) {
        Shape s = w.getShape();
        int o = (int) s.get(0);
        int in = (int) s.get(1);
        if (in % channels != 0) {
            throw new IllegalArgumentException(name + " " + s + " does not read " + channels + "-channel input");
        }
        float[] values = w.toFloatArray();
        if (s.dimension() == 5) {
            return new Layer(name, channels == 2, o, in, (int) s.get(2), (int) s.get(3), (int) s.get(4), values);
        }
        // 2D over folded time: channel c·T + t is already C×T order.
        return new Layer(name, channels == 2, o, channels, in / channels, (int) s.get(2), (int) s.get(3), values);
    }

    /** Each filter as frames; {@code sharedScale}: one scale for the layer. */
    public static List<VideoFrames> pictures(Layer layer, boolean sharedScale) {
        int size = layer.filterSize();
        float layerMax = maxAbs(layer.weights(), 0, layer.weights().length, layer);
        List<VideoFrames> out = new ArrayList<>();
        int plane = layer.height() * layer.width();
        int t = layer.frames();
        for (int f = 0; f < layer.filters(); f++) {
            int base = f * size;
            float max = sharedScale ? layerMax : maxAbs(layer.weights(), base, size, layer);
            byte[] rgb = new byte[t * plane * 3];
            for (int ti = 0; ti < t; ti++) {
                for (int p = 0; p < plane; p++) {
                    int o = (ti * plane + p) * 3;
                    if (layer.flow()) {
                        float dx = layer.weights()[base + ti * plane + p];
                        float dy = layer.weights()[base + (t + ti) * plane + p];
                        int c = FlowColors.color(dx, dy, max);
                        rgb[o] = (byte) (c >> 16);
                        rgb[o + 1] = (byte) (c >> 8);
                        rgb[o + 2] = (byte) c;
                    } else {
                        for (int c = 0; c < 3; c++) {
                            int ch = Math.min(c, layer.channels() - 1);
                            float v = layer.weights()[base + (ch * t + ti) * plane + p];
                            rgb[o + c] = (byte) Math.max(0, Math.min(255, Math.round(128 + 127 * v / max)));
                        }
                    }
                }
            }
            out.add(new VideoFrames(rgb, t, layer.height(), layer.width()));
        }
        return out;
    }

    /** The largest |w| (flow: the largest (dx, dy) magnitude) of {@code count} weights from {@code from}. */
    private static float maxAbs(float[] w, int from, int count, Layer layer) {
        float max = 0;
        if (layer.flow()) {
            int plane = layer.height() * layer.width();
            int half = layer.frames() * plane;
            for (int base = from; base < from + count; base += layer.filterSize()) {
                for (int i = 0; i < half; i++) {
                    max = Math.max(max, (float) Math.hypot(w[base + i], w[base + half + i]));
                }
            }
        } else {
            for (int i = from; i < from + count; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
        }
        return max > 0 ? max : 1;
    }

    /**
     * Writes the filters to {@code out}: a {@code .png} of strips (kt frames left to right per filter)
     * or a {@code .gif} of looping tiles; a two-stream model's second layer goes to a file named with
     * {@code -flow} before the extension. Returns the files written.
     */
    public static List<Path> write(VideoModel model, boolean sharedScale, Path out) {
        String file = out.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        boolean gif = lower.endsWith(".gif");
        if (!gif && !lower.endsWith(".png")) {
            throw new IllegalArgumentException(out + ": filters are written as .png (strips) or .gif (looping tiles)");
        }
        List<Layer> layers = of(model);
        TileGrid grid = new TileGrid(PIXEL, 2, 0x202020);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Path target = i == 0 ? out : out.resolveSibling(file.substring(0, file.length() - 4) + "-flow" + file.substring(file.length() - 4));
            List<VideoFrames> pictures = pictures(layers.get(i), sharedScale);
            written.add(gif ? new GifWriter(3).write(grid.animate(pictures), target)
                    : Images.writePng(grid.strips(pictures), target));
        }
        return written;
    }
}
