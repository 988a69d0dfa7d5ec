package dev.embeddinggateway.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How vectors are written in the answer ({@code encoding_format}): OpenAI's floats or base64, or the compact
 * encodings of Cohere and sentence-transformers, which a vector database stores in a quarter (int8) or a
 * thirty-second (binary) of the space.
 */
public enum VectorEncoding {
    FLOAT, BASE64,
    /** One signed byte a dimension, on the model's calibrated range. */
    INT8,
    /** One unsigned byte a dimension, on the model's calibrated range. */
    UINT8,
    /** The sign bit of 8 dimensions a byte, written as a signed byte. */
    BINARY,
    /** The sign bit of 8 dimensions a byte, written as an unsigned byte. */
    UBINARY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean calibrated() {
        return this == INT8 || this == UINT8;
    }

    public static Optional<VectorEncoding> parse(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName().equals(name)).findFirst();
    }
}
