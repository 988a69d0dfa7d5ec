package dev.embeddinggateway.core.support;

import dev.embeddinggateway.core.ProviderFailedException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Base64;

/** Vector arithmetic shared by providers, and the check of a vector from outside. */
public final class Vectors {
    private Vectors() {
    }

    /** Scales {@code v} in place to unit length; a zero vector stays zero. */
    public static float[] normalize(float[] v) {
        double norm = norm(v);
        if (norm > 0) {
            float inv = (float) (1.0 / norm);
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    /** Whether every value is a number (no NaN, no infinity): what a vector from outside must be. */
    public static boolean isFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A vector an upstream answered, checked: present, of {@code dimensions} values, finite.
     *
     * @throws ProviderFailedException ({@link ProviderFailedException#malformed}) naming what is wrong
     */
    public static float[] fromUpstream(String provider, float[] v, int dimensions) {
        if (v == null || v.length != dimensions || !isFinite(v)) {
            throw ProviderFailedException.malformed(provider, v == null ? "a vector is missing"
                    : v.length != dimensions ? "a vector has " + v.length + " values, not " + dimensions
                    : "a vector holds NaN or infinity");
        }
        return v;
    }

    /** The L2 norm (length) of {@code v}. */
    public static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /** Matryoshka truncation: the first {@code dimensions} components, renormalized. */
    public static float[] truncate(float[] v, int dimensions) {
        if (dimensions >= v.length) {
            return v;
        }
        return normalize(Arrays.copyOf(v, dimensions));
    }

    /** The weighted mean of {@code vectors}, renormalized: how chunked long input becomes one vector. */
    public static float[] weightedMean(float[][] vectors, int[] weights) {
        float[] mean = new float[vectors[0].length];
        for (int i = 0; i < vectors.length; i++) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += vectors[i][d] * weights[i];
            }
        }
        return normalize(mean);
    }

    /** OpenAI's base64 encoding of a vector: its float32 values, little-endian, base64-encoded. */
    public static String toBase64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The inverse of {@link #toBase64(float[])}. */
    public static float[] fromBase64(String encoded) {
        FloatBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(encoded))
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[floats.remaining()];
        floats.get(v);
        return v;
    }
}
