package dev.embeddinggateway.cache;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.support.Vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * An embedding as Redis keeps it: a format byte, a flags byte (1: the input was truncated), its token count (int32),
 * then its float32 values, little-endian.
 * What comes back from Redis is checked before it is used: anyone who can write to Redis could have put it there.
 */
final class CachedEmbeddingCodec {
    /** Changes with the layout, as the key prefix does. */
    static final byte FORMAT = 2;
    /** More tokens than any one input can carry (the largest body holds fewer characters). */
    private static final int MAX_TOKENS = 1 << 24;
    private static final int HEADER = 2 + Integer.BYTES;

    private CachedEmbeddingCodec() {
    }

    static byte[] encode(Embedding embedding) {
        float[] v = embedding.vector();
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(FORMAT).put((byte) (embedding.truncated() ? 1 : 0)).putInt(embedding.tokens());
        bytes.asFloatBuffer().put(v);
        return bytes.array();
    }

    /**
     * The embedding, when {@code value} is one: this format, {@code dimensions} finite values, a sane token count.
     * Empty otherwise: the caller treats it as a miss.
     */
    static Optional<Embedding> decode(byte[] value, int dimensions) {
        if (value.length != HEADER + dimensions * Float.BYTES || value[0] != FORMAT || (value[1] & ~1) != 0) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(value, 2, value.length - 2).order(ByteOrder.LITTLE_ENDIAN);
        int tokens = bytes.getInt();
        float[] v = new float[dimensions];
        bytes.asFloatBuffer().get(v);
        return tokens < 1 || tokens > MAX_TOKENS || !Vectors.isFinite(v) ? Optional.empty()
                : Optional.of(new Embedding(v, tokens, value[1] == 1));
    }
}
