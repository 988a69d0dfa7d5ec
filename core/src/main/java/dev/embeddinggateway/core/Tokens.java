package dev.embeddinggateway.core;

import java.util.Arrays;
import java.util.List;

/**
 * One input as its model's tokenizer saw it, before any long-input policy. A request's inputs are tokenized
 * once ({@link EmbeddingProvider#tokenize}): the counts serve limits and budgets before the call, and the same
 * tokens travel to {@link EmbeddingProvider#embed} inside the {@link EmbeddingRequest}.
 *
 * @param ids      the token ids, special tokens included
 * @param leading  how many of the ids are special tokens at the start ([CLS]), which every window keeps
 * @param trailing how many are special tokens at the end ([SEP]), which every window keeps too
 */
public record Tokens(int[] ids, int leading, int trailing) {

    /** Ids without special tokens (cl100k_base). */
    public Tokens(int[] ids) {
        this(ids, 0, 0);
    }

    public int count() {
        return ids.length;
    }

    /**
     * The sequences a model taking at most {@code max} tokens sees under {@code policy}: the ids themselves when
     * they fit; else their first tokens (truncate), or windows that together cover them (chunk), each with the
     * special tokens kept.
     *
     * @throws BadInputException for {@link LongInputPolicy#ERROR} when the input does not fit
     */
    public List<int[]> fit(int max, LongInputPolicy policy, int inputIndex, String model) {
        if (ids.length <= max) {
            return List.of(ids);
        }
        return policy.windows(ids.length, leading, trailing, max, inputIndex, model).stream()
                .map(w -> window(w.start(), w.count())).toList();
    }

    /** The leading specials, {@code count} content tokens from {@code start}, the trailing specials. */
    private int[] window(int start, int count) {
        int[] w = new int[leading + count + trailing];
        System.arraycopy(ids, 0, w, 0, leading);
        System.arraycopy(ids, start, w, leading, count);
        System.arraycopy(ids, ids.length - trailing, w, leading + count, trailing);
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tokens t && Arrays.equals(ids, t.ids) && leading == t.leading && trailing == t.trailing;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + leading * 7 + trailing;
    }

    @Override
    public String toString() {
        return "Tokens[" + ids.length + " ids]";
    }
}
