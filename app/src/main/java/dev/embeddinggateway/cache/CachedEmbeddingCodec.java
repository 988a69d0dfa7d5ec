package dev.embeddinggateway.cache;

import dev.embeddinggateway.core.Embedding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An embedding as Redis keeps it: its token count (int32), then its float32 values, little-endian. */
final class CachedEmbeddingCodec {
    private CachedEmbeddingCodec() {
    }

    static byte[] encode(Embedding embedding) {
        float[] v = embedding.vector();
        ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES + v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(embedding.tokens());
        bytes.asFloatBuffer().put(v);
        return bytes.array();
    }

    static Embedding decode(byte[] value) {
        ByteBuffer bytes = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        int tokens = bytes.getInt();
        float[] v = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(v);
        return new Embedding(v, tokens);
    }
}
