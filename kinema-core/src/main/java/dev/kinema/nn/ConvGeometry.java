package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One convolution as the kernel sees it: the input's full shape (batch included) and the
 * convolution's filters, kernel, stride, padding, dilation, groups and bias. oneDNN chooses its
 * kernel and blocking from exactly these, so this is the unit the kernel check verifies.
 *
 * <p>Written as one line, e.g. {@code 3d 2x64x4x8x8 o64 k3x3x3 s1x1x1 p1x1x1 d1x1x1 g1 b0}; the line
 * also names the deterministic probe tensors ({@link KernelCheck}).
 */
public record ConvGeometry(Shape input, long filters, Shape kernel, Shape stride, Shape padding, Shape dilation,
        int groups, boolean bias) {
    /** Where {@link #ran} puts what the kernel got, while {@link #whileRunning} watches this thread. */
    private static final ThreadLocal<Set<ConvGeometry>> WATCHED = new ThreadLocal<>();

    public ConvGeometry {
        int dims = kernel.dimension();
        if ((dims != 2 && dims != 3) || input.dimension() != dims + 2 || stride.dimension() != dims
                || padding.dimension() != dims || dilation.dimension() != dims) {
            throw new IllegalArgumentException("not a 2D or 3D convolution geometry: input " + input + ", kernel "
                    + kernel + ", stride " + stride + ", padding " + padding + ", dilation " + dilation);
        }
    }

    /** 2 or 3. */
    public int dims() {
        return kernel.dimension();
    }

    /** The weight's shape: filters × input channels per group × kernel. */
    public Shape weightShape() {
        return new Shape(filters, input.get(1) / groups).addAll(kernel);
    }

    /** The geometry of an initialised convolution block. */
    public static ConvGeometry of(Convolution conv) {
        Shape[] in = conv.getInputShapes();
        if (in == null || in.length == 0) {
            throw new IllegalStateException("the convolution is not initialised: " + conv);
        }
        return new ConvGeometry(in[0], conv.getFilters(), conv.getKernelShape(), conv.getStride(), conv.getPadding(),
                conv.getDilation(), conv.getGroups(), conv.isIncludeBias());
    }

    /** Every convolution inside an initialised block, in the order met, each geometry once. */
    public static Set<ConvGeometry> within(Block block) {
        Set<ConvGeometry> found = new LinkedHashSet<>();
        collect(block, found);
        return found;
    }

    private static void collect(Block block, Set<ConvGeometry> found) {
        if (block instanceof Convolution conv) {
            found.add(of(conv));
        }
        block.getChildren().values().forEach(child -> collect(child, found));
    }

    /**
     * Every geometry {@link GuardedConv3d} handed the kernel while {@code pass} ran on this thread.
     * It differs from the declared one ({@link #within}) wherever the convolution pads its input
     * itself (causal, inflated, TensorFlow's "SAME", a short strided clip) or re-batches it (an
     * eval-mode batch of one run as two halves), and the kernel check must verify the geometry that
     * actually runs.
     */
    public static Set<ConvGeometry> whileRunning(Runnable pass) {
        Set<ConvGeometry> outer = WATCHED.get();
        Set<ConvGeometry> found = new LinkedHashSet<>();
        WATCHED.set(found);
        try {
            pass.run();
        } finally {
            WATCHED.set(outer);
        }
        if (outer != null) {
            outer.addAll(found);
        }
        return found;
    }

    /** Notes, for {@link #whileRunning}, the convolution of {@code x} by {@code w} about to run. */
    static void ran(NDArray x, NDArray w, boolean bias, Shape stride, Shape padding, Shape dilation, int groups) {
        Set<ConvGeometry> watched = WATCHED.get();
        if (watched != null) {
            Shape ws = w.getShape();
            watched.add(new ConvGeometry(x.getShape(), ws.get(0), ws.slice(2), stride, padding, dilation, groups, bias));
        }
    }

    /** The one-line form, which {@link #parse} reads back. */
    public String line() {
        return dims() + "d " + dims(input) + " o" + filters + " k" + dims(kernel) + " s" + dims(stride) + " p"
                + dims(padding) + " d" + dims(dilation) + " g" + groups + " b" + (bias ? 1 : 0);
    }

    public static ConvGeometry parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 9 || !f[0].matches("[23]d")) {
            throw new IllegalArgumentException("not a convolution geometry line: '" + line + "'");
        }
        return new ConvGeometry(shape(f[1], ""), Long.parseLong(field(f[2], "o")), shape(f[3], "k"), shape(f[4], "s"),
                shape(f[5], "p"), shape(f[6], "d"), Integer.parseInt(field(f[7], "g")), field(f[8], "b").equals("1"));
    }

    @Override
    public String toString() {
        return line();
    }

    private static String dims(Shape s) {
        return Arrays.stream(s.getShape()).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    private static Shape shape(String text, String prefix) {
        return new Shape(Arrays.stream(field(text, prefix).split("x")).mapToLong(Long::parseLong).toArray());
    }

    private static String field(String text, String prefix) {
        if (!text.startsWith(prefix)) {
            throw new IllegalArgumentException("expected '" + prefix + "...', got '" + text + "'");
        }
        return text.substring(prefix.length());
    }
}
