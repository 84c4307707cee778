package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one clip looks like at some point inside a network, without any data: channels, the axes
 * that are still there, and for every input axis (T, H, W) the receptive field of a unit.
 *
 * <p>Shapes are per clip (no batch axis) and keep the lecture's C×T×H×W convention even where a
 * 2D network runs frame by frame ({@link #framesInBatch()}: the frames sit in the batch, the
 * layers see only H×W, and the map still shows T).
 *
 * <p>An axis can leave the map in two ways. Folded into channels (early fusion's 3T×H×W reshape, or
 * a flatten before a fully connected layer), its receptive field does not change until a layer
 * mixes channels; then every unit sees all of it. Reduced (a global pool, or averaging over frames),
 * it keeps its final receptive field.
 *
 * <p>Receptive fields are reported capped at the input's extent: padding is not input.
 */
public final class FeatureMap {
    private final long channels;
    private final List<Dim> dims;
    private final List<Dim> folded;
    private final Map<Axis, Long> reduced;
    private final Map<Axis, Long> extent;
    private final boolean framesInBatch;

    private FeatureMap(long channels, List<Dim> dims, List<Dim> folded, Map<Axis, Long> reduced,
            Map<Axis, Long> extent, boolean framesInBatch) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.channels = channels;
        this.dims = List.copyOf(dims);
        this.folded = List.copyOf(folded);
        this.reduced = Map.copyOf(reduced);
        this.extent = extent;
        this.framesInBatch = framesInBatch;
    }

    /** A clip of shape C×T×H×W. */
    public static FeatureMap ofClip(Shape cthw) {
        if (cthw.dimension() != 4) {
            throw new IllegalArgumentException("a clip is C×T×H×W, got " + cthw);
        }
        for (long d : cthw.getShape()) {
            if (d < 1) {
                throw new IllegalArgumentException("clip sizes must be >= 1, got " + cthw);
            }
        }
        EnumMap<Axis, Long> extent = new EnumMap<>(Axis.class);
        List<Dim> dims = new ArrayList<>();
        Axis[] axes = Axis.values();
        for (int i = 0; i < 3; i++) {
            extent.put(axes[i], cthw.get(i + 1));
            dims.add(Dim.input(axes[i], cthw.get(i + 1)));
        }
        return new FeatureMap(cthw.get(0), dims, List.of(), Map.of(), Collections.unmodifiableMap(extent), false);
    }

    public long channels() {
        return channels;
    }

    /** The axes still in the map, in tensor order (T first when present), including frames held in the batch. */
    public List<Dim> dims() {
        return dims;
    }

    /** The axes the next layer slides over: {@link #dims()} without T while frames sit in the batch. */
    public List<Dim> opDims() {
        if (!framesInBatch) {
            return dims;
        }
        return dims.stream().filter(d -> d.axis() != Axis.T).toList();
    }

    /** True inside a per-frame 2D network: T is part of the batch, so layers do not see it. */
    public boolean framesInBatch() {
        return framesInBatch;
    }

    /** Channel count and then every remaining axis, e.g. [12, 20, 64, 64]. */
    public long[] shape() {
        long[] s = new long[1 + dims.size()];
        s[0] = channels;
        for (int i = 0; i < dims.size(); i++) {
            s[i + 1] = dims.get(i).size();
        }
        return s;
    }

    /** The shape as the lecture writes it, e.g. {@code 12 x 20 x 64 x 64}. */
    public String shapeText() {
        return join(shape());
    }

    /** Elements per clip. */
    public long elements() {
        long n = channels;
        for (Dim d : dims) {
            n = Math.multiplyExact(n, d.size());
        }
        return n;
    }

    /** Input samples one unit sees along {@code axis}, capped at the input's extent. */
    public long receptiveField(Axis axis) {
        long rf;
        Long r = reduced.get(axis);
        if (r != null) {
            rf = r;
        } else {
            rf = find(dims, axis) != null ? find(dims, axis).rf() : find(folded, axis).rf();
        }
        return Math.min(rf, extent.get(axis));
    }

    /** Receptive field as T, H, W. */
    public long[] receptiveField() {
        return new long[] {receptiveField(Axis.T), receptiveField(Axis.H), receptiveField(Axis.W)};
    }

    /** Receptive field as the lecture writes it, e.g. {@code 3 x 3 x 3}. */
    public String receptiveFieldText() {
        return join(receptiveField());
    }

    // ---- transformations, used by layers to describe themselves ----

    public FeatureMap withChannels(long newChannels) {
        return new FeatureMap(newChannels, dims, folded, reduced, extent, framesInBatch);
    }

    /** Marks T as held in (or released from) the batch, around a per-frame network. */
    public FeatureMap withFramesInBatch(boolean inBatch) {
        if (inBatch && find(dims, Axis.T) == null) {
            throw new IllegalArgumentException("a per-frame network needs a T axis, map is " + shapeText());
        }
        return new FeatureMap(channels, dims, folded, reduced, extent, inBatch);
    }

    /** Replaces the axes layers see (see {@link #opDims()}) by {@code newOpDims}, keeping batched frames. */
    public FeatureMap withOpDims(List<Dim> newOpDims) {
        List<Dim> all = new ArrayList<>();
        if (framesInBatch) {
            all.add(find(dims, Axis.T));
        }
        all.addAll(newOpDims);
        return new FeatureMap(channels, all, folded, reduced, extent, framesInBatch);
    }

    /**
     * A window sliding over the axes the layer sees (a convolution or pooling with as many dimensions
     * as the kernel has).
     */
    public FeatureMap slide(Shape kernel, Shape stride, Shape padding, Shape dilation) {
        int k = kernel.dimension();
        List<Dim> op = opDims();
        if (op.size() != k) {
            throw new IllegalArgumentException("a " + k + "D layer takes maps with " + k + " axes after the channels, the map is "
                    + shapeText() + (framesInBatch ? " with frames in the batch" : ""));
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Dim d = op.get(i);
            out.add(d.slide(kernel.get(i), stride.get(i), padding.get(i), dilation.get(i)));
        }
        return withOpDims(out);
    }

    /**
     * Self-attention along {@code axes} (those of them still in the map): every token then sees the
     * whole extent of each, and the map keeps its size.
     */
    public FeatureMap attendOver(Axis... axes) {
        java.util.Set<Axis> over = java.util.EnumSet.noneOf(Axis.class);
        over.addAll(java.util.Arrays.asList(axes));
        return withOpDims(opDims().stream().map(d -> over.contains(d.axis()) ? d.attended() : d).toList());
    }

    /** Every axis the layer sees reduced to one unit (global pooling, keeping the axes). */
    public FeatureMap poolAll() {
        return withOpDims(opDims().stream().map(Dim::whole).toList());
    }

    /**
     * Every axis the layer sees folded into channels (a flatten): channels become the element count
     * and the receptive field waits for the next channel-mixing layer.
     */
    public FeatureMap flatten() {
        long c = channels;
        List<Dim> f = new ArrayList<>(folded);
        for (Dim d : opDims()) {
            c = Math.multiplyExact(c, d.size());
            f.add(d);
        }
        List<Dim> keep = framesInBatch ? List.of(find(dims, Axis.T)) : List.of();
        return new FeatureMap(c, keep, f, reduced, extent, framesInBatch);
    }

    /** One axis folded into channels (early fusion's C×T×H×W to CT×H×W reshape). */
    public FeatureMap foldIntoChannels(Axis axis) {
        Dim d = find(dims, axis);
        if (d == null) {
            throw new IllegalArgumentException("no " + axis + " axis to fold, map is " + shapeText());
        }
        List<Dim> keep = dims.stream().filter(x -> x.axis() != axis).toList();
        List<Dim> f = new ArrayList<>(folded);
        f.add(d);
        return new FeatureMap(Math.multiplyExact(channels, d.size()), keep, f, reduced, extent, framesInBatch);
    }

    /** A layer that mixes all channels (convolution, fully connected): folded axes are now seen whole. */
    public FeatureMap mixChannels() {
        if (folded.isEmpty()) {
            return this;
        }
        EnumMap<Axis, Long> r = new EnumMap<>(Axis.class);
        r.putAll(reduced);
        for (Dim d : folded) {
            r.put(d.axis(), d.whole().rf());
        }
        return new FeatureMap(channels, dims, List.of(), r, extent, framesInBatch);
    }

    /** Removes {@code axis} by reducing over it (e.g. averaging per-frame predictions over T). */
    public FeatureMap reduce(Axis axis) {
        Dim d = find(dims, axis);
        if (d == null) {
            throw new IllegalArgumentException("no " + axis + " axis to reduce, map is " + shapeText());
        }
        EnumMap<Axis, Long> r = new EnumMap<>(Axis.class);
        r.putAll(reduced);
        r.put(axis, d.whole().rf());
        List<Dim> keep = dims.stream().filter(x -> x.axis() != axis).toList();
        return new FeatureMap(channels, keep, folded, r, extent, framesInBatch && axis != Axis.T);
    }

    private static Dim find(List<Dim> list, Axis axis) {
        for (Dim d : list) {
            if (d.axis() == axis) {
                return d;
            }
        }
        return null;
    }

    static String join(long[] values) {
        return java.util.Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(" x "));
    }

    @Override
    public String toString() {
        return shapeText() + " (rf " + receptiveFieldText() + (framesInBatch ? ", frames in batch" : "") + ")";
    }
}
