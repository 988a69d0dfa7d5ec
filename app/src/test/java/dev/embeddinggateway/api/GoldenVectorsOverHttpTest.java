package dev.embeddinggateway.api;

import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The vectors a client gets are the reference vectors computed outside this project, in both encodings. */
@QuarkusTest
class GoldenVectorsOverHttpTest {

    @ParameterizedTest(name = "{0} as {2}")
    @CsvSource({
            "all-minilm-l6-v2.json, all-minilm-l6-v2, float",
            "all-minilm-l6-v2.json, all-minilm-l6-v2, base64",
            "bge-small-zh-v1.5-q.json, bge-small-zh-v1.5-q, float",
            "bge-small-zh-v1.5-q.json, bge-small-zh-v1.5-q, base64"})
    void everyGoldenVectorComesBack(String file, String model, String encoding) {
        Golden golden = Golden.load(file);
        Response response = Embeddings.postUncached(Map.of("model", model, "input", golden.texts(), "encoding_format", encoding));

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("object")).isEqualTo("list");
        assertThat(response.jsonPath().getString("model")).isEqualTo(model);
        assertThat(response.jsonPath().getList("data.index", Integer.class))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, golden.items().size()).boxed().toList());
        float[][] vectors = Embeddings.vectors(response);
        for (int i = 0; i < vectors.length; i++) {
            Golden.Item item = golden.items().get(i);
            assertThat(Golden.cosine(vectors[i], item.embedding())).as("%s: %s", model, item.text())
                    .isGreaterThanOrEqualTo(golden.minCosine());
        }
        assertThat(response.jsonPath().getInt("usage.prompt_tokens")).isEqualTo(golden.totalTokens());
        assertThat(response.jsonPath().getInt("usage.total_tokens")).isEqualTo(golden.totalTokens());
    }

    @ParameterizedTest
    @CsvSource({"all-minilm-l6-v2", "bge-small-zh-v1.5-q"})
    void theSameTextAloneOrInABatchGetsTheSameVector(String model) {
        String text = "Embeddings map text to dense vectors so that similar meanings end up close together.";
        float[] alone = Embeddings.vectors(Embeddings.postUncached(Map.of("model", model, "input", text)))[0];
        float[] batched = Embeddings.vectors(Embeddings.postUncached(Map.of("model", model,
                "input", java.util.List.of("a", text, Golden.load(Golden.MINILM).items().get(14).text()))))[1];
        assertThat(Golden.cosine(alone, batched)).isGreaterThan(0.99999);
    }

    @org.junit.jupiter.api.Test
    void chineseSeedExampleLandsNearItsMeaning() {
        float[][] v = Embeddings.vectors(Embeddings.post(Map.of("model", "bge-small-zh-v1.5-q",
                "input", java.util.List.of("治疗感冒的药", "缓解伤风症状的药物", "如何更换汽车轮胎"))));
        double similar = Golden.cosine(v[0], v[1]);
        double unrelated = Golden.cosine(v[0], v[2]);
        assertThat(similar).isGreaterThan(unrelated + 0.2);
    }
}
