package dev.embeddinggateway.core;

import java.util.Locale;

/** What to do with an input longer than the model takes. */
public enum LongInputPolicy {
    /** Keep the first tokens, as sentence-transformers does (special tokens kept). */
    TRUNCATE,
    /** Refuse the request with {@code context_length_exceeded}. */
    ERROR,
    /** Embed windows of the model's length and return their token-weighted mean, renormalized. */
    CHUNK;

    public static LongInputPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("long-input must be truncate, error or chunk, not '" + value + "'");
        }
    }
}
