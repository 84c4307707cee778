package dev.kinema.models.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.kinema.nn.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Text from a {@link CausalDecoder} after a prefix of embeddings (a prompt with its video tokens):
 * greedy decoding, beam search (Hugging Face's, scores are summed log-probabilities over the
 * length), or sampling with a temperature and top-k; each up to a maximum number of new tokens or
 * {@code <eos>}. Generation feeds one token at a time through a {@link KvCache}; {@code useCache =
 * false} recomputes the whole sequence at every step instead (same tokens, slower: the reference the
 * cache is tested against).
 */
public final class TextGenerator {
    /**
     * How to choose tokens.
     *
     * @param maxTokens most new tokens, {@code <eos>} included
     * @param beams beam width; 1 is greedy (or sampling when {@code temperature > 0})
     * @param temperature 0 for the most likely token; above 0 samples from softmax(logits / temperature)
     * @param topK when sampling, only the k most likely tokens (0: all)
     * @param seed the sampling generator's seed
     */
    public record Options(int maxTokens, int beams, double temperature, int topK, long seed) {
        public Options {
            if (maxTokens < 1 || beams < 1 || temperature < 0 || topK < 0) {
                throw new IllegalArgumentException("generation needs maxTokens >= 1, beams >= 1, temperature >= 0 and topK >= 0");
            }
            if (beams > 1 && temperature > 0) {
                throw new IllegalArgumentException("choose beam search or sampling, not both");
            }
        }

        public static Options greedy(int maxTokens) {
            return new Options(maxTokens, 1, 0, 0, 0);
        }

        public static Options beam(int maxTokens, int beams) {
            return new Options(maxTokens, beams, 0, 0, 0);
        }
    }

    private final CausalDecoder decoder;
    private final int eos;

    public TextGenerator(CausalDecoder decoder, int eos) {
        this.decoder = decoder;
        this.eos = eos;
    }

    /** The new tokens after {@code prefix} (1×L×D), {@code <eos>} left off. */
    public int[] generate(ParameterStore parameterStore, NDArray prefix, Options options, boolean useCache) {
        if (options.beams() > 1) {
            return beamSearch(parameterStore, prefix, options, useCache);
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        Beam beam = start(parameterStore, prefix, useCache);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < options.maxTokens(); i++) {
            float[] logits = beam.logits;
            int next = options.temperature() > 0 ? sample(logits, options, rng) : argmax(logits);
            if (next == eos) {
                break;
            }
            out.add(next);
            if (i + 1 < options.maxTokens()) {
                beam = extend(prefix.getManager(), parameterStore, beam, next, 0);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A partial sequence: its tokens, summed log-probability, cache (or full embeddings) and next-token logits. */
    private record Beam(int[] tokens, double logProbability, KvCache cache, NDArray sequence, float[] logits) {}

    private Beam start(ParameterStore parameterStore, NDArray prefix, boolean useCache) {
        KvCache cache = useCache ? new KvCache(decoder.layers()) : null;
        NDArray logits = decoder.forwardEmbeddings(parameterStore, prefix, false, cache);
        return new Beam(new int[0], 0, cache, useCache ? null : prefix, last(logits));
    }

    private Beam extend(NDManager manager, ParameterStore parameterStore, Beam beam, int token, double logProbability) {
        NDArray embedded = decoder.embed(parameterStore, manager.create(new long[] {token}).reshape(1, 1));
        int[] tokens = Arrays.copyOf(beam.tokens, beam.tokens.length + 1);
        tokens[tokens.length - 1] = token;
        if (beam.cache != null) {
            KvCache cache = beam.cache.copy();
            NDArray logits = decoder.forwardEmbeddings(parameterStore, embedded, false, cache);
            return new Beam(tokens, logProbability, cache, null, last(logits));
        }
        NDArray sequence = NDArrays.concat(new NDList(beam.sequence, embedded), 1);
        NDArray logits = decoder.forwardEmbeddings(parameterStore, sequence, false, null);
        return new Beam(tokens, logProbability, null, sequence, last(logits));
    }

    private int[] beamSearch(ParameterStore parameterStore, NDArray prefix, Options options, boolean useCache) {
        int width = options.beams();
        List<Beam> alive = List.of(start(parameterStore, prefix, useCache));
        List<Beam> finished = new ArrayList<>();
        for (int step = 0; step < options.maxTokens() && !alive.isEmpty(); step++) {
            record Candidate(Beam parent, int token, double logProbability) {}
            List<Candidate> candidates = new ArrayList<>();
            for (Beam b : alive) {
                double[] logProbabilities = logSoftmax(b.logits);
                for (int t : topIndices(logProbabilities, width)) {
                    candidates.add(new Candidate(b, t, b.logProbability + logProbabilities[t]));
                }
            }
            candidates.sort(Comparator.comparingDouble(Candidate::logProbability).reversed());
            List<Beam> next = new ArrayList<>();
            for (Candidate c : candidates) {
                if (next.size() == width) {
                    break;
                }
                if (c.token == eos || step + 1 == options.maxTokens()) {
                    int[] tokens = c.token == eos ? c.parent.tokens : append(c.parent.tokens, c.token);
                    finished.add(new Beam(tokens, c.logProbability, null, null, null));
                    if (finished.size() >= width) {
                        break;
                    }
                } else {
                    next.add(extend(prefix.getManager(), parameterStore, c.parent, c.token, c.logProbability));
                }
            }
            alive = finished.size() >= width ? List.of() : next;
        }
        return finished.stream().max(Comparator.comparingDouble(b -> b.logProbability / Math.max(1, b.tokens.length + 1)))
                .map(Beam::tokens).orElse(new int[0]);
    }

    private static int[] append(int[] tokens, int token) {
        int[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = token;
        return out;
    }

    private static float[] last(NDArray logits) {
        long length = logits.getShape().get(1);
        return logits.get(new NDIndex("0, {}", length - 1)).toFloatArray();
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - log;
        }
        return out;
    }

    /** The indices of the k largest values, largest first (ties to the lower index). */
    private static int[] topIndices(double[] values, int k) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a]) : Integer.compare(a, b));
        return Arrays.stream(order, 0, Math.min(k, order.length)).mapToInt(Integer::intValue).toArray();
    }

    private static int sample(float[] logits, Options options, SplittableRandom rng) {
        double[] scaled = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scaled[i] = logits[i] / options.temperature();
        }
        int[] allowed = topIndices(scaled, options.topK() == 0 ? logits.length : options.topK());
        double[] p = logSoftmax(toFloats(scaled, allowed));
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < allowed.length; i++) {
            cumulative += Math.exp(p[i]);
            if (u < cumulative) {
                return allowed[i];
            }
        }
        return allowed[allowed.length - 1];
    }

    private static float[] toFloats(double[] values, int[] indices) {
        float[] out = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = (float) values[indices[i]];
        }
        return out;
    }
}
