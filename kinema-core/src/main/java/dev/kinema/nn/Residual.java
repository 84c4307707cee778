package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * {@code activation(branch(shift(x)) + shortcut(x))}, the residual block of every ResNet-like
 * model, with its layers as direct children under the names of the checkpoint it must match, so
 * that parameters carry those names. The one block behind every layout:
 *
 * <ul>
 *   <li>torchvision's ResNets: {@code conv1}, {@code bn1}, {@code relu1}, {@code conv2}, ... as
 *       branch layers, {@code downsample} as the shortcut, {@code relu} after the sum (2D ResNets,
 *       TSM, the video ResNets' {@code BasicBlock});
 *   <li>PyTorchVideo's {@code ResBlock} ({@link #resBlock}): {@code branch1_conv} and
 *       {@code branch1_norm} as the shortcut, {@code branch2} as the branch, {@code activation};
 *   <li>Kinema's own backbones: {@code main}, {@code shortcut}, {@code activation}.
 * </ul>
 *
 * <p>Optionally a parameter-free block (TSM's temporal shift) runs on the branch's input only: the
 * shortcut sees the unshifted features. An empty shortcut is the identity. Children are registered
 * in the order the builder is given them (which is the checkpoint's parameter order); whatever that
 * order, initialisation runs shift, branch, shortcut, activation. One table row, whose receptive
 * field is the branch's, the wider of the two paths.
 */
public final class Residual extends AbstractBlock implements Profiled {
    private enum Role { SHIFT, BRANCH, SHORTCUT, ACTIVATION }

    private final String label;
    private final List<Role> roles;
    private final List<String> names;
    private final Block shift;
    private final List<Block> branch = new ArrayList<>();
    private final List<Block> shortcut = new ArrayList<>();
    private final Block activation;

    private Residual(Builder b) {
        this.label = b.label;
        this.roles = List.copyOf(b.roles);
        this.names = List.copyOf(b.names);
        Block shiftBlock = null;
        Block act = null;
        for (int i = 0; i < roles.size(); i++) {
            Block child = addChildBlock(names.get(i), b.blocks.get(i));
            switch (roles.get(i)) {
                case SHIFT -> shiftBlock = child;
                case BRANCH -> branch.add(child);
                case SHORTCUT -> shortcut.add(child);
                case ACTIVATION -> act = child;
            }
        }
        if (branch.isEmpty()) {
            throw new IllegalArgumentException(label + ": a residual block needs a branch");
        }
        this.shift = shiftBlock;
        this.activation = act;
    }

    /** A builder for the block {@code label} names in layer tables, e.g. {@code BasicBlock(64->128, stride 2)}. */
    public static Builder builder(String label) {
        return new Builder(label);
    }

    /**
     * PyTorchVideo's {@code ResBlock} layout: children {@code branch1_conv} (a projection, or
     * {@code null} for the identity), {@code branch1_norm} (or {@code null}), {@code branch2} and
     * {@code activation} (or {@code null}).
     */
    public static Residual resBlock(String label, Block branch1Conv, Block branch1Norm, Block branch2, Block activation) {
        if (branch1Conv == null && branch1Norm != null) {
            throw new IllegalArgumentException("a shortcut normalisation needs a shortcut convolution");
        }
        Builder b = builder(label);
        if (branch1Conv != null) {
            b.shortcut("branch1_conv", branch1Conv);
        }
        if (branch1Norm != null) {
            b.shortcut("branch1_norm", branch1Norm);
        }
        b.branch("branch2", Objects.requireNonNull(branch2, "branch2"));
        if (activation != null) {
            b.activation("activation", activation);
        }
        return b.build();
    }

    /** True when a shift runs on the branch's input. */
    public boolean isShifted() {
        return shift != null;
    }

    /**
     * The same block with every child replaced by {@code f(name, child)}, under the same names and
     * roles (how {@code Inflate} turns a 2D block into a 3D one).
     */
    public Residual map(BiFunction<String, Block, Block> f) {
        Builder b = builder(label);
        List<Block> children = getChildren().values();
        for (int i = 0; i < roles.size(); i++) {
            b.add(roles.get(i), names.get(i), f.apply(names.get(i), children.get(i)));
        }
        return b.build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = shift == null ? inputs : shift.forward(parameterStore, inputs, training, params);
        for (Block b : branch) {
            x = b.forward(parameterStore, x, training, params);
        }
        NDList across = inputs;
        for (Block b : shortcut) {
            across = b.forward(parameterStore, across, training, params);
        }
        NDArray main = x.head();
        // At inference a branch output nobody else holds is added to in place, as torchvision does;
        // in training autograd may need it, so it is kept.
        boolean fresh = !training && main != inputs.head() && main != across.head();
        NDArray sum = fresh ? main.addi(across.head()) : main.add(across.head());
        NDList out = new NDList(sum);
        return activation == null ? out : activation.forward(parameterStore, out, training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (shift != null) {
            shift.initialize(manager, dataType, inputShapes);
        }
        Shape[] out = inputShapes;
        for (Block b : branch) {
            b.initialize(manager, dataType, out);
            out = b.getOutputShapes(out);
        }
        Shape[] across = inputShapes;
        for (Block b : shortcut) {
            b.initialize(manager, dataType, across);
            across = b.getOutputShapes(across);
        }
        if (activation != null) {
            activation.initialize(manager, dataType, out);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block b : branch) {
            shapes = b.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap x = shift == null ? in : profiler.visit(shift, in);
        for (Block b : branch) {
            x = profiler.visit(b, x);
        }
        FeatureMap across = in;
        for (Block b : shortcut) {
            across = profiler.visit(b, across);
        }
        if (!Arrays.equals(x.shape(), across.shape())) {
            throw new IllegalArgumentException("the residual branch gives " + x.shapeText() + " but the shortcut gives "
                    + across.shapeText());
        }
        return activation == null ? x : profiler.visit(activation, x);
    }

    @Override
    public String label(FeatureMap in) {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /** The block's children, each with its role, in the order given (the parameters' order). */
    public static final class Builder {
        private final String label;
        private final List<Role> roles = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<Block> blocks = new ArrayList<>();

        private Builder(String label) {
            this.label = Objects.requireNonNull(label, "label");
        }

        /** A parameter-free block run on the branch's input only (TSM's shift); at most one. */
        public Builder shift(String name, Block block) {
            return add(Role.SHIFT, name, block);
        }

        /** The branch's next layer. */
        public Builder branch(String name, Block block) {
            return add(Role.BRANCH, name, block);
        }

        /** The shortcut's next layer; a block without shortcut layers adds its input unchanged. */
        public Builder shortcut(String name, Block block) {
            return add(Role.SHORTCUT, name, block);
        }

        /** The activation after the sum; at most one. */
        public Builder activation(String name, Block block) {
            return add(Role.ACTIVATION, name, block);
        }

        private Builder add(Role role, String name, Block block) {
            if ((role == Role.SHIFT || role == Role.ACTIVATION) && roles.contains(role)) {
                throw new IllegalArgumentException(label + ": a second " + role.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException(label + ": duplicate child name '" + name + "'");
            }
            roles.add(role);
            names.add(name);
            blocks.add(Objects.requireNonNull(block, name));
            return this;
        }

        public Residual build() {
            return new Residual(this);
        }
    }
}
