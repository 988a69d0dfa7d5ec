package dev.embeddinggateway.api;

/**
 * The integer encodings of a vector, as sentence-transformers' {@code quantize_embeddings} and Cohere define them.
 * Each depends on the vector alone (and, for int8/uint8, on its model's fixed ranges), never on its batch-mates.
 */
final class CompactEncodings {
    private CompactEncodings() {
    }

    /**
     * Every dimension on one symmetric scale, {@code maxAbs} (the model's largest value in calibration) → 127:
     * rounded and clamped to -128..127, plus 128 for uint8. One scale for all dimensions keeps the dot product and
     * cosine of the codes in proportion to those of the vectors, so a store can compare the codes as they are.
     */
    static int[] scalar(float[] v, float maxAbs, boolean signed) {
        int[] codes = new int[v.length];
        float perStep = 127f / maxAbs;
        int offset = signed ? 0 : 128;
        for (int i = 0; i < v.length; i++) {
            codes[i] = Math.max(-128, Math.min(127, Math.round(v[i] * perStep))) + offset;
        }
        return codes;
    }

    /**
     * The sign bits (1 for a positive value), 8 dimensions a byte, the first dimension in the high bit (numpy's
     * {@code packbits}); a last partial byte is padded with zeros. Signed: each byte less 128.
     */
    static int[] binary(float[] v, boolean signed) {
        int[] packed = new int[(v.length + 7) / 8];
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0) {
                packed[i / 8] |= 0x80 >>> (i % 8);
            }
        }
        if (signed) {
            for (int i = 0; i < packed.length; i++) {
                packed[i] -= 128;
            }
        }
        return packed;
    }
}
