package dev.embeddinggateway.provider.onnx;

import dev.embeddinggateway.core.LongInputPolicy;

import java.util.Arrays;
import java.util.List;

/**
 * One input's token ids, special tokens included, with how many of them lead ([CLS]) and trail ([SEP]).
 * Knowing those lets long input be cut the way sentence-transformers does: content shortened, specials kept.
 */
record TokenSequence(long[] ids, int leading, int trailing) {

    int length() {
        return ids.length;
    }

    /** Splits off the special tokens the tokenizer marked at either end. */
    static TokenSequence of(long[] ids, long[] specialTokenMask) {
        int leading = 0;
        while (leading < ids.length && specialTokenMask[leading] == 1) {
            leading++;
        }
        int trailing = 0;
        while (trailing < ids.length - leading && specialTokenMask[ids.length - 1 - trailing] == 1) {
            trailing++;
        }
        return new TokenSequence(ids, leading, trailing);
    }

    /**
     * The sequences the model sees for this input under {@code policy}: the input itself when it fits; else
     * its first tokens (truncate), or windows that together cover it (chunk), each with the specials kept.
     *
     * @throws dev.embeddinggateway.core.BadInputException for {@link LongInputPolicy#ERROR} when too long
     */
    List<long[]> fit(int max, LongInputPolicy policy, int inputIndex, String model) {
        if (ids.length <= max) {
            return List.of(ids);
        }
        return policy.windows(ids.length, leading, trailing, max, inputIndex, model).stream()
                .map(w -> window(w.start(), w.count())).toList();
    }

    /** The leading specials, {@code count} content tokens from {@code start}, the trailing specials. */
    private long[] window(int start, int count) {
        long[] w = new long[leading + count + trailing];
        System.arraycopy(ids, 0, w, 0, leading);
        System.arraycopy(ids, start, w, leading, count);
        System.arraycopy(ids, ids.length - trailing, w, leading + count, trailing);
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSequence t && Arrays.equals(ids, t.ids) && leading == t.leading
                && trailing == t.trailing;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + leading * 7 + trailing;
    }
}
