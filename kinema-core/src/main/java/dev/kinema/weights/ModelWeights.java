package dev.kinema.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.kinema.io.FloatTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A model's parameters as named float tensors, and saving them as safetensors PyTorch can read. */
public final class ModelWeights {
    private ModelWeights() {}

    /** Every initialised parameter under its {@link ParameterNames} name, values copied out. */
    public static Map<String, FloatTensor> tensors(Block model) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : ParameterNames.of(model).entrySet()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not initialised");
            }
            NDArray a = p.getValue().getArray();
            out.put(p.getKey(), new FloatTensor(a.getShape().getShape(), floats(a)));
        }
        return out;
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray converted = a.toType(DataType.FLOAT32, true)) {
            return converted.toFloatArray();
        }
    }

    /**
     * Saves {@code model}'s parameters as safetensors in {@code dtype}, with metadata
     * {@code format: pt}, so {@code safetensors.torch.load_file} and Kinema's {@link WeightLoader} read them.
     */
    public static Path save(Block model, Path file, DType dtype) throws IOException {
        return Safetensors.write(file, tensors(model), dtype, Map.of("format", "pt"));
    }
}
