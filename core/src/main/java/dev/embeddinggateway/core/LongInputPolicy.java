package dev.embeddinggateway.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What to do with an input longer than the model takes. */
public enum LongInputPolicy {
    /** Keep the first tokens, as sentence-transformers does (special tokens kept). */
    TRUNCATE,
    /** Refuse the request with {@code context_length_exceeded}. */
    ERROR,
    /** Embed windows of the model's length and return their token-weighted mean, renormalized. */
    CHUNK;

    /** A run of content tokens of one input: {@code count} tokens from {@code start}. */
    public record Window(int start, int count) {
    }

    /**
     * Which content tokens of one input the model sees under this policy. The input has {@code length}
     * tokens, of which the first {@code leading} and last {@code trailing} are special tokens ([CLS], [SEP])
     * that every window keeps; the model takes at most {@code max} tokens, specials included.
     *
     * @return one window when the input fits or is truncated; several, covering all content, for chunk
     * @throws BadInputException for {@link #ERROR} when the input does not fit
     */
    public List<Window> windows(int length, int leading, int trailing, int max, int inputIndex, String model) {
        int contentEnd = length - trailing;
        if (length <= max) {
            return List.of(new Window(leading, contentEnd - leading));
        }
        int step = max - leading - trailing;
        return switch (this) {
            case TRUNCATE -> List.of(new Window(leading, step));
            case ERROR -> throw new BadInputException("Input " + inputIndex + " has " + length + " tokens, but model "
                    + model + " takes at most " + max + ". Shorten the input, or use a model whose long-input policy "
                    + "is truncate or chunk.", "input", "context_length_exceeded");
            case CHUNK -> {
                List<Window> windows = new ArrayList<>();
                for (int start = leading; start < contentEnd; start += step) {
                    windows.add(new Window(start, Math.min(step, contentEnd - start)));
                }
                yield windows;
            }
        };
    }

    /** Whether a model taking at most {@code max} tokens sees only the first of an input's {@code length}. */
    public boolean cuts(int length, int max) {
        return this == TRUNCATE && length > max;
    }

    /** The tokens such a model sees of an input of {@code length}, which is what the input counts as. */
    public int seen(int length, int max) {
        return cuts(length, max) ? max : length;
    }

    public static LongInputPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("long-input must be truncate, error or chunk, not '" + value + "'");
        }
    }
}
