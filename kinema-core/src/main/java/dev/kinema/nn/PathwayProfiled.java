package dev.kinema.nn;

import ai.djl.nn.Block;
import java.util.List;

/**
 * A block inside a multi-pathway network (SlowFast): it takes one feature map per pathway (an
 * {@code NDList} with one array per pathway) and gives one per pathway. The {@link Profiler} carries
 * a single map, so multi-pathway containers walk these blocks themselves with this method.
 */
public interface PathwayProfiled {
    /**
     * The maps after this block, given the maps before it (index 0 the slow pathway); costs go to
     * {@code profiler}, and with {@code rows} the block adds its layer-table rows under {@code name}.
     */
    List<FeatureMap> profilePathways(String name, List<FeatureMap> in, Profiler profiler, boolean rows);

    /** {@code block}'s rows under {@code name}, or only its costs. */
    static FeatureMap account(Profiler profiler, boolean rows, String name, Block block, FeatureMap in) {
        return rows ? profiler.rows(name, block, in) : profiler.visit(block, in);
    }

    /**
     * Two maps of the same T×H×W joined along the channels: the receptive field along each axis is the
     * wider of the two.
     *
     * @throws IllegalArgumentException if their T×H×W differ
     */
    static FeatureMap concatChannels(FeatureMap a, FeatureMap b) {
        List<Dim> da = a.opDims();
        List<Dim> db = b.opDims();
        boolean same = da.size() == db.size();
        for (int i = 0; same && i < da.size(); i++) {
            same = da.get(i).axis() == db.get(i).axis() && da.get(i).size() == db.get(i).size();
        }
        if (!same) {
            throw new IllegalArgumentException("cannot join " + a.shapeText() + " and " + b.shapeText()
                    + " along the channels: T x H x W differ");
        }
        List<Dim> out = new java.util.ArrayList<>();
        for (int i = 0; i < da.size(); i++) {
            Dim x = da.get(i);
            out.add(new Dim(x.axis(), x.size(), Math.max(x.rf(), db.get(i).rf()), x.jump()));
        }
        return a.withOpDims(out).withChannels(a.channels() + b.channels());
    }
}
