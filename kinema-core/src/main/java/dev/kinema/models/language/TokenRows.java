package dev.kinema.models.language;

import java.util.ArrayList;
import java.util.List;

/**
 * Training sequences for next-token prediction: one row per example, {@code <bos>} and, for a video
 * example, {@code <video>} first, then the prompt's tokens, the target's and {@code <eos>}, padded
 * with {@code <pad>} to the batch's longest row; and the loss mask, which is 1 exactly where a row
 * position holds a target token or the {@code <eos>} after it (the model is not taught to
 * predict the prompt). Rows longer than {@code maxTokens} are cut, keeping the prompt.
 */
public record TokenRows(long[] tokens, float[] mask, int rows, int length) {
    /** One example: what the model is told, and what it must say. */
    public record Example(String prompt, String target) {}

    public static TokenRows of(WordTokenizer tokenizer, List<Example> examples, boolean video, int maxTokens) {
        List<int[]> sequences = new ArrayList<>();
        List<Integer> targetStarts = new ArrayList<>();
        int length = 0;
        for (Example e : examples) {
            int[] prompt = tokenizer.encode(e.prompt());
            int[] target = tokenizer.encode(e.target());
            int head = video ? 2 : 1;
            int[] row = new int[Math.min(maxTokens, head + prompt.length + target.length + 1)];
            int at = 0;
            int[] all = new int[head + prompt.length + target.length + 1];
            all[at++] = tokenizer.id(WordTokenizer.BOS);
            if (video) {
                all[at++] = tokenizer.id(WordTokenizer.VIDEO);
            }
            for (int t : prompt) {
                all[at++] = t;
            }
            targetStarts.add(at);
            for (int t : target) {
                all[at++] = t;
            }
            all[at] = tokenizer.id(WordTokenizer.EOS);
            System.arraycopy(all, 0, row, 0, row.length);
            sequences.add(row);
            length = Math.max(length, row.length);
        }
        long[] tokens = new long[sequences.size() * length];
        float[] mask = new float[sequences.size() * length];
        for (int r = 0; r < sequences.size(); r++) {
            int[] row = sequences.get(r);
            for (int i = 0; i < row.length; i++) {
                tokens[r * length + i] = row[i];
                mask[r * length + i] = i >= targetStarts.get(r) ? 1 : 0;
            }
        }
        return new TokenRows(tokens, mask, sequences.size(), length);
    }
}
