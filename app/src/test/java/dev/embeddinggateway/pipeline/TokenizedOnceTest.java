package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.auth.KeysProfile;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.embeddinggateway.testing.Embeddings.body;
import static dev.embeddinggateway.testplugin.CharHistogramProviderFactory.TOKENIZED_INPUTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each input is tokenized once per request, though the key's token limit, its budget and the provider's token
 * limit all count it: the count made for the key travels to the provider. (The test provider counts every input
 * it tokenizes.)
 */
@QuarkusTest
@TestProfile(KeysProfile.class)
class TokenizedOnceTest {


    /** How many inputs the provider was asked to tokenize while {@code request} ran. */
    private static long tokenizedDuring(Runnable request) {
        long before = TOKENIZED_INPUTS.get();
        request.run();
        return TOKENIZED_INPUTS.get() - before;
    }

    @Test
    void aMeteredKeysInputsAreTokenizedOnceWhetherEmbeddedOrCached() {
        String run = UUID.randomUUID().toString();
        List<String> texts = IntStream.range(0, 5).mapToObj(i -> "text " + i + " of " + run).toList();
        int codePoints = texts.stream().mapToInt(String::length).sum();

        assertThat(tokenizedDuring(() -> Embeddings.post(KeysProfile.METERED, body("metered-plugin", texts)).then()
                .statusCode(200)
                .header("x-cache-misses", "5").header("x-ratelimit-limit-tokens", "100000")))
                .isEqualTo(5);
        // From the cache: counted once more, for the key's limit and budget, and by no provider.
        assertThat(tokenizedDuring(() -> Embeddings.post(KeysProfile.METERED, body("metered-plugin", texts)).then()
                .statusCode(200)
                .header("x-cache-hits", "5")))
                .isEqualTo(5);
        Response cached = Embeddings.post(KeysProfile.ADMIN, body("metered-plugin", texts));
        assertThat(cached.jsonPath().getInt("usage.prompt_tokens")).isEqualTo(codePoints);
    }

    @Test
    void anUnmeteredKeysInputsAreTokenizedOnlyForTheProvider() {
        String run = UUID.randomUUID().toString();
        List<String> texts = List.of("first " + run, "second " + run, "first " + run);

        // Two distinct inputs miss the cache: the provider's token limit counts them, and the same tokens are embedded.
        assertThat(tokenizedDuring(() -> Embeddings.post(KeysProfile.ADMIN, body("metered-plugin", texts)).then().statusCode(200)
                .header("x-cache-misses", "3")))
                .isEqualTo(2);
        assertThat(tokenizedDuring(() -> Embeddings.post(KeysProfile.ADMIN, body("metered-plugin", texts)).then().statusCode(200)
                .header("x-cache-hits", "3")))
                .isZero();
    }
}
