package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.weights.DeterministicFill;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One block each of joint, divided, factorised self-attention and factorised dot-product
 * attention against the plain-torch reference of {@code tools/golden/attention_blocks.py}, with
 * the same {@link DeterministicFill} weights and input: parameter names and shapes as timm's and
 * TimeSformer's, outputs within 1e-5. Also the resizing of a position table against torch's
 * trilinear interpolation.
 */
class SpaceTimeBlockGoldenTest {
    private static final double TOLERANCE = 1e-5;
    private static final JsonNode GOLDEN = golden();

    static Stream<Arguments> blocks() {
        return Stream.iterate(0, i -> i + 1).limit(GOLDEN.get("blocks").size())
                .map(i -> Arguments.of(GOLDEN.get("blocks").get(i).get("kind").asText(),
                        GOLDEN.get("blocks").get(i).get("classToken").asBoolean(), i));
    }

    @ParameterizedTest(name = "{0}, class token {1}")
    @MethodSource("blocks")
    void matchesTheTorchReference(String kind, boolean classToken, int index) {
        JsonNode g = GOLDEN.get("shape");
        int n = g.get("n").asInt(), t = g.get("t").asInt(), h = g.get("h").asInt(), w = g.get("w").asInt();
        int d = g.get("d").asInt();
        JsonNode expected = GOLDEN.get("blocks").get(index);
        SpaceTimeBlock block = new SpaceTimeBlock(attention(kind), d, g.get("heads").asInt(), g.get("hidden").asInt(),
                true, classToken, 0f);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape tokens = new Shape(n, t, h, w, d);
            Shape cls = new Shape(n, 1, d);
            block.initialize(manager, DataType.FLOAT32, classToken ? new Shape[] {tokens, cls} : new Shape[] {tokens});
            Map<String, Parameter> filled = DeterministicFill.fill(block);
            Map<String, Shape> kinema = new TreeMap<>();
            filled.forEach((k, p) -> kinema.put(k, p.getArray().getShape()));
            Map<String, Shape> torch = new TreeMap<>();
            expected.get("parameters").forEach(e -> torch.put(e.get(0).asText(), shape(e.get(1))));
            assertEquals(torch, kinema, "parameter names and shapes");

            NDList in = new NDList(DeterministicFill.input(manager, "tokens", tokens));
            if (classToken) {
                in.add(DeterministicFill.input(manager, "cls", cls));
            }
            NDList out = block.forward(new ParameterStore(manager, false), in, false);
            assertEquals(tokens, out.get(0).getShape());
            assertClose(expected.get("tokens"), out.get(0), kind + " tokens");
            if (classToken) {
                assertEquals(cls, out.get(1).getShape());
                assertClose(expected.get("cls"), out.get(1), kind + " class token");
            }
        }
    }

    @Test
    void positionTablesResizeAsTorchsTrilinearInterpolation() {
        JsonNode r = GOLDEN.get("resize");
        long[] from = longs(r.get("from"));
        long[] to = longs(r.get("to"));
        long features = r.get("features").asLong();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray table = DeterministicFill.input(manager, "table", new Shape(from[0] * from[1] * from[2], features));
            NDArray resized = PositionEmbeddings.resize(table, from, to);
            assertEquals(new Shape(to[0], to[1], to[2], features), resized.getShape());
            assertClose(r.get("values"), resized, "resized table");
        }
    }

    private static SpaceTimeAttention attention(String kind) {
        return switch (kind) {
            case "joint" -> SpaceTimeAttention.JOINT;
            case "divided" -> SpaceTimeAttention.DIVIDED;
            case "fsa" -> SpaceTimeAttention.FACTORISED_SELF_ATTENTION;
            case "fdp" -> SpaceTimeAttention.FACTORISED_DOT_PRODUCT;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static void assertClose(JsonNode expected, NDArray actual, String what) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.size(), a.length, what + " size");
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - expected.get(i).asDouble()));
            largest = Math.max(largest, Math.abs(expected.get(i).asDouble()));
        }
        assertTrue(worst <= TOLERANCE, what + ": max |kinema - torch| = " + worst);
        assertTrue(largest > 0.1, what + ": golden values too small to compare, max " + largest);
    }

    private static long[] longs(JsonNode n) {
        long[] v = new long[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asLong();
        }
        return v;
    }

    private static Shape shape(JsonNode dims) {
        return new Shape(longs(dims));
    }

    private static JsonNode golden() {
        String path = "/golden/transformer/blocks.json";
        try (InputStream in = SpaceTimeBlockGoldenTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path + "; run /usr/bin/python3 tools/golden/attention_blocks.py");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
