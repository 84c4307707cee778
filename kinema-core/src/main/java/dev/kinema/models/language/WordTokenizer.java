package dev.kinema.models.language;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level tokenizer built from the generated text: lower-case words and each punctuation mark
 * a token, an id per distinct token in sorted order after five special tokens. Kinema-Motion's
 * language is a few hundred words, so words are the natural unit (BPE, e.g. DJL's Hugging Face
 * tokenizers, would only split them; it is not used so that nothing native is needed). A word not
 * seen when the vocabulary was built becomes {@link #UNK}.
 */
public final class WordTokenizer {
    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    /** Where a prompt's video tokens go. */
    public static final String VIDEO = "<video>";
    public static final List<String> SPECIAL = List.of(PAD, UNK, BOS, EOS, VIDEO);

    private static final Pattern TOKEN = Pattern.compile("<video>|[\\p{L}\\p{N}']+|[^\\s\\p{L}\\p{N}']");

    private final List<String> vocabulary;
    private final Map<String, Integer> ids = new HashMap<>();

    /** A tokenizer with exactly this vocabulary, the special tokens first (as {@link #vocabulary()} returns it). */
    public WordTokenizer(List<String> vocabulary) {
        if (vocabulary.size() < SPECIAL.size() || !vocabulary.subList(0, SPECIAL.size()).equals(SPECIAL)) {
            throw new IllegalArgumentException("a vocabulary starts with the special tokens " + SPECIAL);
        }
        this.vocabulary = List.copyOf(vocabulary);
        for (int i = 0; i < vocabulary.size(); i++) {
            if (ids.put(vocabulary.get(i), i) != null) {
                throw new IllegalArgumentException("token '" + vocabulary.get(i) + "' is twice in the vocabulary");
            }
        }
    }

    /** The vocabulary of {@code texts}: every token they contain. */
    public static WordTokenizer fit(Collection<String> texts) {
        TreeSet<String> words = new TreeSet<>();
        for (String t : texts) {
            words.addAll(split(t));
        }
        SPECIAL.forEach(words::remove);
        List<String> vocabulary = new ArrayList<>(SPECIAL);
        vocabulary.addAll(words);
        return new WordTokenizer(vocabulary);
    }

    /** The tokens of {@code text}: lower-case words, punctuation marks and {@code <video>}. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    public List<String> vocabulary() {
        return vocabulary;
    }

    public int size() {
        return vocabulary.size();
    }

    public int id(String token) {
        return ids.getOrDefault(token, ids.get(UNK));
    }

    public int[] encode(String text) {
        return split(text).stream().mapToInt(this::id).toArray();
    }

    /** The text of {@code tokens}, special tokens left out, punctuation attached to the word before it. */
    public String decode(int[] tokens) {
        StringBuilder b = new StringBuilder();
        for (int t : tokens) {
            String w = vocabulary.get(t);
            if (t < SPECIAL.size()) {
                continue;
            }
            boolean punctuation = !Character.isLetterOrDigit(w.charAt(0)) && w.charAt(0) != '\'';
            if (b.length() > 0 && !punctuation) {
                b.append(' ');
            }
            b.append(w);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "WordTokenizer(" + size() + " tokens: " + Arrays.toString(vocabulary.subList(0, Math.min(12, size())).toArray()) + "...)";
    }
}
