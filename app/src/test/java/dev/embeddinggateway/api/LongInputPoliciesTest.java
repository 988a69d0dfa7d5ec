package dev.embeddinggateway.api;

import dev.embeddinggateway.golden.Golden;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** One long text (over 256 tokens) under each long-input policy of the same local model. */
@QuarkusTest
class LongInputPoliciesTest {
    private static final Golden.Item LONG = Golden.load(Golden.MINILM).items().get(14);

    @Test
    void truncateKeepsTheFirstTokensAndSepLikeSentenceTransformers() {
        Response response = Embeddings.post(Map.of("model", "all-minilm-l6-v2", "input", LONG.text()));
        assertThat(Golden.cosine(Embeddings.vectors(response)[0], LONG.embedding())).isGreaterThanOrEqualTo(0.99999);
        assertThat(response.jsonPath().getInt("usage.prompt_tokens")).isEqualTo(256);
    }

    @Test
    void aResponseSaysHowManyInputsWereCutAndSaysItFromTheCacheToo() {
        Map<String, Object> body = Map.of("model", "all-minilm-l6-v2", "input", List.of("short", LONG.text(), LONG.text() + " more"));
        Response computed = Embeddings.post(body);
        computed.then().statusCode(200).header("x-gateway-truncated-inputs", "2");
        Response cached = Embeddings.post(body);
        cached.then().statusCode(200).header("x-cache-hits", "3").header("x-gateway-truncated-inputs", "2");
        Embeddings.post(Map.of("model", "all-minilm-l6-v2", "input", "short")).then().header("x-gateway-truncated-inputs",
                (String) null);
        Embeddings.post(Map.of("model", "minilm-chunked", "input", LONG.text())).then().header("x-gateway-truncated-inputs",
                (String) null);
    }

    @Test
    void errorRefusesWithTheLimitAndTheCount() {
        Embeddings.post(Map.of("model", "minilm-strict", "input", java.util.List.of("short", LONG.text())))
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.param", equalTo("input"))
                .body("error.message", containsString("Input 1"))
                .body("error.message", containsString("at most 256"));
    }

    @Test
    void errorPolicyServesInputsThatFit() {
        Embeddings.post(Map.of("model", "minilm-strict", "input", "short")).then().statusCode(200);
    }

    @Test
    void chunkEmbedsTheWholeTextAsOneVector() {
        Response response = Embeddings.post(Map.of("model", "minilm-chunked", "input", LONG.text()));
        response.then().statusCode(200);
        float[] chunked = Embeddings.vectors(response)[0];
        assertThat(chunked).hasSize(384);
        assertThat(response.jsonPath().getInt("usage.prompt_tokens")).isGreaterThan(256);
        // The windows past the first move the vector away from the truncated one, but not far: same text.
        double toTruncated = Golden.cosine(chunked, LONG.embedding());
        assertThat(toTruncated).isLessThan(0.9999).isGreaterThan(0.7);
    }
}
