package dev.embeddinggateway.provider.onnx;

import java.nio.FloatBuffer;
import java.util.Locale;

/** How a sequence of token vectors becomes one vector. */
enum Pooling {
    /** The average of the token vectors, over the attention mask (padding excluded). */
    MEAN {
        @Override
        float[] pool(FloatBuffer hidden, int row, int paddedLength, int length, int size) {
            float[] v = new float[size];
            int base = row * paddedLength * size;
            for (int t = 0; t < length; t++) {
                int offset = base + t * size;
                for (int d = 0; d < size; d++) {
                    v[d] += hidden.get(offset + d);
                }
            }
            for (int d = 0; d < size; d++) {
                v[d] /= length;
            }
            return v;
        }
    },
    /** The vector of the first token ([CLS]). */
    CLS {
        @Override
        float[] pool(FloatBuffer hidden, int row, int paddedLength, int length, int size) {
            float[] v = new float[size];
            hidden.get(row * paddedLength * size, v);
            return v;
        }
    };

    /**
     * Pools row {@code row} of a {@code [sequences, paddedLength, size]} output (one inference pass) whose first
     * {@code length} tokens are real (the rest is padding).
     */
    abstract float[] pool(FloatBuffer hidden, int row, int paddedLength, int length, int size);

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
