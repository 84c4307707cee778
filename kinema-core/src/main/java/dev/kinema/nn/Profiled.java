package dev.kinema.nn;

/**
 * A {@link ai.djl.nn.Block} that can describe itself to a {@link Profiler} without running: how it
 * changes a {@link FeatureMap}, and what it costs.
 *
 * <p>Leaf blocks report their parameters and multiply-adds with {@link Profiler#count}; composite
 * blocks pass their children to {@link Profiler#visit}. DJL's own convolution, linear, batch-norm
 * and dropout blocks are known to the profiler and need no wrapper.
 */
public interface Profiled {
    /** The map after this block, given the map before it; costs go to {@code profiler}. */
    FeatureMap profile(FeatureMap in, Profiler profiler);

    /** What the block does, for a layer table, e.g. {@code Conv3D(3x3x3, 3->64)}. */
    default String label(FeatureMap in) {
        return getClass().getSimpleName();
    }

    /**
     * Whether the block gets a row of its own in a layer table. Pure reshapes (flatten, folding time
     * into channels) do not: the lecture's tables have no such rows.
     */
    default boolean isRow() {
        return true;
    }

    /**
     * Adds this block's rows to the table under {@code name}. A block is one row by default;
     * containers override this to give each child a row, wrappers to pass their inner block's rows
     * through.
     */
    default FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        return profiler.row(name, (ai.djl.nn.Block) this, in);
    }
}
