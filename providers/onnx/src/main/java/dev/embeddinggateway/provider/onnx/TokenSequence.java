package dev.embeddinggateway.provider.onnx;

import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.LongInputPolicy;

import java.util.ArrayList;
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
     * The sequences the model sees for this input under {@code policy}: the input itself when it fits;
     * else its first {@code max} tokens (truncate), or windows of at most {@code max} tokens that together
     * cover it (chunk).
     *
     * @throws BadInputException for {@link LongInputPolicy#ERROR} when the input is too long
     */
    List<long[]> fit(int max, LongInputPolicy policy, int inputIndex, String model) {
        if (ids.length <= max) {
            return List.of(ids);
        }
        return switch (policy) {
            case TRUNCATE -> List.of(window(leading, max - leading - trailing));
            case CHUNK -> chunks(max);
            case ERROR -> throw new BadInputException("Input " + inputIndex + " has " + ids.length
                    + " tokens, but model " + model + " takes at most " + max
                    + ". Shorten the input, or use a model whose long-input policy is truncate or chunk.",
                    "input", "context_length_exceeded");
        };
    }

    private List<long[]> chunks(int max) {
        int contentEnd = ids.length - trailing;
        int step = max - leading - trailing;
        List<long[]> windows = new ArrayList<>();
        for (int start = leading; start < contentEnd; start += step) {
            windows.add(window(start, Math.min(step, contentEnd - start)));
        }
        return windows;
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
