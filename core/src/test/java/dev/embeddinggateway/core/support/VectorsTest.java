package dev.embeddinggateway.core.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class VectorsTest {

    @Test
    void base64IsLittleEndianFloat32AsOpenAiWritesIt() {
        // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F.
        assertThat(Vectors.toBase64(new float[]{1.0f})).isEqualTo("AACAPw==");
        float[] v = {0.1f, -2.5f, 3.4028235e38f, 1e-45f};
        assertThat(Vectors.fromBase64(Vectors.toBase64(v))).containsExactly(v);
    }

    @Test
    void weightedMeanLeansToTheHeavierWindowAndIsUnitLength() {
        float[] mean = Vectors.weightedMean(new float[][]{{1, 0}, {0, 1}}, new int[]{3, 1});
        assertThat(mean[0]).isGreaterThan(mean[1] * 2.9f);
        assertThat(Vectors.norm(mean)).isCloseTo(1.0, offset(1e-6));
    }

    @Test
    void truncateKeepsTheFirstComponentsRenormalized() {
        float[] v = Vectors.truncate(new float[]{3, 4, 12}, 2);
        assertThat(v).containsExactly(0.6f, 0.8f);
    }
}
