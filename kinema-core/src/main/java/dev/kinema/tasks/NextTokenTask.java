package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.engine.Scalars;
import dev.kinema.models.language.TokenRows;
import dev.kinema.models.language.WordTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Next-token prediction for a video-language model, the loss of all three training stages (text
 * pretraining, projector alignment, fine-tuning on captions and questions): cross-entropy of each
 * target token given the video and the tokens before it, averaged over the target tokens only
 * ({@link TokenRows}' mask). A clip's {@link ClipBatch#texts() text} is its example, the prompt and
 * the target separated by a tab ({@code "question: which way do the shapes move?\tright"}).
 *
 * <p>Inputs: with video, the clips N×C×T×H×W and the token rows N×L
 * ({@code dev.kinema.models.language.VideoLanguageModel} takes both and returns the logits of row
 * positions 2..L-1); without, the token rows alone for a {@code CausalDecoder}, whose logits at
 * positions 0..L-2 predict positions 1..L-1. Targets: the tokens predicted and the mask, N×(L-s).
 */
public final class NextTokenTask implements TrainingTask {
    private final WordTokenizer tokenizer;
    private final boolean video;
    private final int maxTokens;

    public NextTokenTask(WordTokenizer tokenizer, boolean video, int maxTokens) {
        this.tokenizer = tokenizer;
        this.video = video;
        this.maxTokens = maxTokens;
    }

    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    /** A clip's text as an example: prompt, a tab, target. */
    public static TokenRows.Example example(String text) {
        int tab = text == null ? -1 : text.indexOf('\t');
        if (tab < 0) {
            throw new IllegalArgumentException("a next-token example is 'prompt<TAB>target', got " + text);
        }
        return new TokenRows.Example(text.substring(0, tab), text.substring(tab + 1));
    }

    /** The clip text of an example: what {@link #example} reads back. */
    public static String text(String prompt, String target) {
        return prompt + "\t" + target;
    }

    @Override
    public int outputs() {
        return tokenizer.size();
    }

    @Override
    public Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
        List<TokenRows.Example> examples = new ArrayList<>();
        batch.texts().forEach(t -> examples.add(example(t)));
        return step(TokenRows.of(tokenizer, examples, video, maxTokens), video ? batch.data(manager) : null, manager);
    }

    /** The inputs and targets of token rows (and, with video, their clips). */
    public Step step(TokenRows rows, NDArray clips, NDManager manager) {
        NDArray tokens = manager.create(rows.tokens(), new Shape(rows.rows(), rows.length()));
        NDArray mask = manager.create(rows.mask(), new Shape(rows.rows(), rows.length()));
        int shift = video ? 2 : 1;
        NDIndex predicted = new NDIndex(":, {}:", shift);
        NDList targets = new NDList(tokens.get(predicted), mask.get(predicted));
        NDList inputs = video ? new NDList(clips, tokens) : new NDList(tokens);
        return new Step(inputs, targets);
    }

    /** Mean cross-entropy over the masked target positions; logits without video drop their last position. */
    @Override
    public NDArray loss(NDList outputs, NDList targets) {
        NDArray logits = outputs.singletonOrThrow();
        NDArray tokens = targets.get(0);
        NDArray mask = targets.get(1);
        long positions = tokens.getShape().get(1);
        if (logits.getShape().get(1) != positions) {
            logits = logits.get(new NDIndex(":, :{}", positions));
        }
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray picked = logProbabilities.mul(tokens.oneHot((int) logits.getShape().get(2)).toType(DataType.FLOAT32, false))
                .sum(new int[] {-1});
        return picked.mul(mask).sum().neg().div(Scalars.maximum(mask.sum(), 1));
    }

    @Override
    public EpochMetricsAccumulator newEpoch() {
        return new Perplexity();
    }

    /**
     * Generation is the real test of a captioner and runs after training ({@code kinema caption},
     * {@code kinema metrics captions}); inside the loop the task reports no validation metrics.
     */
    @Override
    public Validation validate(ValidationPass pass) {
        return Map::of;
    }

    /** Mean loss per example and its perplexity, exp(loss). */
    private static final class Perplexity extends MeanLossAccumulator {
        @Override
        void addMetrics(ClipBatch batch, float[] outputs) {}

        @Override
        public Map<String, Double> summary() {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("perplexity", clips() == 0 ? Double.NaN : Math.exp(meanLoss()));
            return out;
        }
    }
}
