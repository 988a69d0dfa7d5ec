package dev.embeddinggateway.api;

import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code dimensions}: a model's native size always; smaller sizes only from a model declared Matryoshka. */
@QuarkusTest
class DimensionsTest {

    @Test
    void nativeSizeIsAccepted() {
        assertThat(Embeddings.vectors(Embeddings.post(Map.of("input", "x", "dimensions", 384)))[0]).hasSize(384);
    }

    @Test
    void otherSizesAreRefusedByAModelThatIsNotMatryoshka() {
        Embeddings.post(Map.of("input", "x", "dimensions", 128)).then().statusCode(400)
                .body("error.param", equalTo("dimensions"))
                .body("error.message", containsString("384"));
    }

    @Test
    void matryoshkaModelTruncatesAndRenormalizes() {
        float[] full = Embeddings.vectors(Embeddings.post(Map.of("model", "minilm-mrl", "input", "the lazy dog")))[0];
        float[] small = Embeddings.vectors(Embeddings.post(Map.of("model", "minilm-mrl", "input", "the lazy dog",
                "dimensions", 64)))[0];
        assertThat(small).hasSize(64);
        assertThat(Vectors.norm(small)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Golden.cosine(small, Arrays.copyOf(full, 64))).isGreaterThan(0.99999);
    }

    @Test
    void matryoshkaModelRefusesMoreThanItsNativeSize() {
        Embeddings.post(Map.of("model", "minilm-mrl", "input", "x", "dimensions", 385)).then().statusCode(400)
                .body("error.param", equalTo("dimensions"));
    }
}
