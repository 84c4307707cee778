package dev.kinema.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Locale;

/**
 * What to tell the user when training meets a NaN or an infinity: where it appeared (the forward
 * pass or the backward pass), whether the input clips and the parameters were finite, and a lower
 * learning rate as the cure only when an update with a finite loss came just before, since that is
 * the one case a smaller step can fix. A NaN in the first forward pass, or from finite inputs and
 * parameters, points at the data, the model or the CPU's kernels instead.
 */
final class NumericFault {
    private NumericFault() {}

    /** The message for a non-finite loss from the forward pass of update {@code update}. */
    static String inForward(float loss, int epoch, long update, NDList inputs, Block model, Float previousLoss,
            float lr, NDManager scratch) {
        String where = String.format(Locale.ROOT, "the loss became %s in the forward pass of epoch %d, update %d",
                loss, epoch, update);
        if (!allFinite(inputs, scratch)) {
            return where + ": the input clips hold NaN or infinite values; check the videos and the normalisation";
        }
        String bad = firstNonFiniteParameter(model, scratch);
        if (bad != null) {
            return where + ": parameter " + bad + " is no longer finite after the last update" + lowerRate(previousLoss, lr);
        }
        if (previousLoss == null) {
            return where + ", before any update, with finite inputs and parameters: the model overflows on these"
                    + " clips, or the CPU's kernels compute wrong values (kinema doctor checks them)";
        }
        return where + " with finite inputs and parameters" + lowerRate(previousLoss, lr);
    }

    /** The message for gradients that are not finite although the loss {@code loss} was. */
    static String inBackward(float loss, int epoch, long update, Float previousLoss, float lr) {
        String where = String.format(Locale.ROOT,
                "the gradients became NaN or infinite in the backward pass of epoch %d, update %d, from a finite loss"
                        + " (%.4g); the parameters were not updated", epoch, update, loss);
        return previousLoss == null
                ? where + "; before any update this points at the model or the CPU's kernels (kinema doctor checks them)"
                : where + lowerRate(previousLoss, lr);
    }

    /**
     * True if every gradient is finite. One sum per parameter, added up on the engine and read
     * once: a NaN or an infinity anywhere makes the total non-finite, at the cost of reductions,
     * not copies, and of one synchronisation per step. The gradients' handles and sums go to
     * {@code scratch}, the step's manager.
     */
    static boolean gradientsFinite(Block model, NDManager scratch) {
        NDArray total = null;
        for (Pair<String, Parameter> p : model.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient() && parameter.isInitialized() && parameter.getArray().hasGradient()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(scratch);
                NDArray sum = gradient.sum();
                total = total == null ? sum : total.add(sum);
            }
        }
        return total == null || Float.isFinite(total.getFloat());
    }

    private static String lowerRate(Float previousLoss, float lr) {
        return previousLoss == null ? ""
                : String.format(Locale.ROOT, "; the update before had a finite loss (%.4g): try a lower learning rate"
                        + " (now %.3g)", previousLoss, lr);
    }

    private static boolean allFinite(NDList arrays, NDManager scratch) {
        for (NDArray a : arrays) {
            if (hasNonFinite(a, scratch)) {
                return false;
            }
        }
        return true;
    }

    private static String firstNonFiniteParameter(Block model, NDManager scratch) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().isInitialized() && hasNonFinite(p.getValue().getArray(), scratch)) {
                return p.getKey();
            }
        }
        return null;
    }

    /** The tests' arrays live in {@code scratch}, not in the manager of {@code a} (a parameter's is the model's). */
    private static boolean hasNonFinite(NDArray a, NDManager scratch) {
        NDArray infinite = a.isInfinite();
        infinite.attach(scratch);
        NDArray nan = a.isNaN();
        nan.attach(scratch);
        return infinite.logicalOr(nan).any().getBoolean();
    }
}
